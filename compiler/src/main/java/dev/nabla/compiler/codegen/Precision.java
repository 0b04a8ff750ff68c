package dev.nabla.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;

/** float or double: the element type the generated code computes in. */
public enum Precision {
  FLOAT(TypeName.FLOAT, "F32"),
  DOUBLE(TypeName.DOUBLE, "F64");

  private final TypeName type;
  private final String dtype;

  Precision(TypeName type, String dtype) {
    this.type = type;
    this.dtype = dtype;
  }

  public TypeName type() {
    return type;
  }

  /** Bytes per element: 4 or 8. */
  public int bytes() {
    return this == FLOAT ? Float.BYTES : Double.BYTES;
  }

  /** The runtime DType constant's name. */
  public String dtype() {
    return dtype;
  }

  /** A literal of this type: {@code 0.5f} or {@code 0.5}. */
  public CodeBlock literal(double v) {
    if (Double.isNaN(v)) {
      return CodeBlock.of("$T.NaN", this == FLOAT ? Float.class : Double.class);
    }
    if (Double.isInfinite(v)) {
      String field = v > 0 ? "POSITIVE_INFINITY" : "NEGATIVE_INFINITY";
      return CodeBlock.of("$T.$L", this == FLOAT ? Float.class : Double.class, field);
    }
    if (this == FLOAT) {
      String text = Float.toString((float) v);
      return CodeBlock.of("$Lf", text);
    }
    return CodeBlock.of("$L", Double.toString(v));
  }

  /** Casts a double-valued expression (a Math call) to this type. */
  public CodeBlock fromDouble(CodeBlock doubleExpr) {
    return this == FLOAT ? CodeBlock.of("(float) $L", doubleExpr) : doubleExpr;
  }
}
