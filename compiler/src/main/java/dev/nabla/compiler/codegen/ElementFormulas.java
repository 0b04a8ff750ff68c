package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.RuntimeTypes.SCALARS;
import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.graph.ArgMaxMask;
import dev.nabla.compiler.graph.BatchMean;
import dev.nabla.compiler.graph.Binary;
import dev.nabla.compiler.graph.Broadcast;
import dev.nabla.compiler.graph.Concat;
import dev.nabla.compiler.graph.ConcatAxis;
import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.Conv;
import dev.nabla.compiler.graph.Pool;
import dev.nabla.compiler.graph.Extreme;
import dev.nabla.compiler.graph.GroupSum;
import dev.nabla.compiler.graph.Index;
import dev.nabla.compiler.graph.Kl;
import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.LogSoftmax;
import dev.nabla.compiler.graph.LogSumExp;
import dev.nabla.compiler.graph.MatMul;
import dev.nabla.compiler.graph.MaxPool;
import dev.nabla.compiler.graph.MaxPoolMask;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Outer;
import dev.nabla.compiler.graph.Pad;
import dev.nabla.compiler.graph.PadAxes;
import dev.nabla.compiler.graph.Permute;
import dev.nabla.compiler.graph.Recurrence;
import dev.nabla.compiler.graph.RecurrenceOutput;
import dev.nabla.compiler.graph.Repeat;
import dev.nabla.compiler.graph.Reshape;
import dev.nabla.compiler.graph.Slice;
import dev.nabla.compiler.graph.Softmax;
import dev.nabla.compiler.graph.Stack;
import dev.nabla.compiler.graph.Subscript;
import dev.nabla.compiler.graph.Sum;
import dev.nabla.compiler.graph.StackMatMul;
import dev.nabla.compiler.graph.Transpose;
import dev.nabla.compiler.graph.Unary;
import dev.nabla.compiler.graph.Where;
import dev.nabla.runtime.kernels.Scalars;

/**
 * The Java expression for one element of an elementwise value: each function's template. A
 * new elementwise function gets its line in {@link #unary} or {@link #binary}, which javac asks
 * for (the switches have no default).
 */
final class ElementFormulas {
  private final Addressing a;
  private final Precision p;

  ElementFormulas(Addressing addressing, Precision precision) {
    this.a = addressing;
    this.p = precision;
  }

  /** Element {@code idx} of instance {@code b} of an inline value, over its inputs' elements. */
  CodeBlock inline(Node n, Ix b, Ix idx) {
    return switch (n.op()) {
      case Unary u -> unary(u, a.elem(n.input(0), b, idx));
      case Binary bin -> binary(bin, operand(n, 0, b, idx), operand(n, 1, b, idx));
      case Where w -> {
        // a select, not c * a + (1 - c) * b: the branch not taken is never read into the value
        CodeBlock c = operand(n, 0, b, idx);
        yield CodeBlock.of("($L != $L ? $L : $L)", c, a.literal(0), operand(n, 1, b, idx), operand(n, 2, b, idx));
      }
      case Broadcast br -> {
        Ix source =
            idx instanceof Ix.Nd
                ? Addressing.read(idx, br.to(), br.aligned(), n.input(0).shape())
                : switch (br.kind()) {
                  case SCALAR -> Ix.of(0);
                  case ROWS -> idx.mod(br.to().dim(1));
                  case COLUMNS -> idx.div(br.to().dim(1));
                  case GENERAL -> Addressing.read(idx, br.to(), br.aligned(), n.input(0).shape());
                };
        yield a.elem(n.input(0), b, source);
      }
      // A contiguous run of its input (Plan): element idx is the input's element offset + idx.
      case Subscript s -> {
        int offset = s.offset(n.input(0).shape());
        yield a.elem(n.input(0), b, offset == 0 ? idx : idx.plus(offset));
      }
      // A slice of a vector in a recurrence's step (Plan): element idx is the input's from + idx.
      case Slice s -> a.elem(n.input(0), b, s.from() == 0 ? idx : idx.plus(s.from()));
      case Leaf _, Constant _, BatchMean _, MatMul _, Transpose _, Outer _, Index _, Pad _,
          Concat _, Repeat _, GroupSum _, Sum _, Extreme _, ArgMaxMask _, MaxPool _, MaxPoolMask _,
          Softmax _, LogSoftmax _, LogSumExp _, Kl _, StackMatMul _, Permute _, Reshape _, PadAxes _,
          ConcatAxis _, Stack _, Conv _, Pool _, Recurrence _, RecurrenceOutput _ ->
          // Only elementwise ops and broadcasts are planned inline (Plan.readsElementwise).
          throw new IllegalStateException("internal: cannot inline " + n);
    };
  }

  /** Element {@code idx} of {@code n}'s input {@code k}, read through broadcasting. */
  private CodeBlock operand(Node n, int k, Ix b, Ix idx) {
    return a.elem(n.input(k), b, Addressing.broadcastIndex(idx, n.shape(), n.input(k).shape()));
  }

  /** A function of the JDK's Math, which computes in double. */
  private CodeBlock math(String function, CodeBlock x) {
    return p.fromDouble(CodeBlock.of("$T.$L($L)", Math.class, function, x));
  }

  /** A function of the runtime's {@link Scalars}, overloaded for float and double. */
  private static CodeBlock scalars(String function, CodeBlock x) {
    return CodeBlock.of("$T.$L($L)", SCALARS, function, x);
  }

  private CodeBlock unary(Unary u, CodeBlock x) {
    double alpha = u.parameter();
    return switch (u.fn()) {
      case NEG -> CodeBlock.of("(-$L)", x);
      case EXP -> math("exp", x);
      case LOG -> math("log", x);
      case SQRT -> math("sqrt", x);
      case SIN -> math("sin", x);
      case COS -> math("cos", x);
      case TANH -> math("tanh", x);
      case TAN -> math("tan", x);
      case SINH -> math("sinh", x);
      case COSH -> math("cosh", x);
      case ASIN -> math("asin", x);
      case ACOS -> math("acos", x);
      case ATAN -> math("atan", x);
      case ASINH -> scalars("asinh", x);
      case ACOSH -> scalars("acosh", x);
      case ATANH -> scalars("atanh", x);
      case ERF -> scalars("erf", x);
      case LOG1P -> math("log1p", x);
      case EXPM1 -> math("expm1", x);
      case FLOOR -> math("floor", x);
      case CEIL -> math("ceil", x);
      case ROUND -> math("rint", x); // half to even
      case ABS -> CodeBlock.of("$T.abs($L)", Math.class, x);
      case SIGN -> CodeBlock.of("$T.signum($L)", Math.class, x);
      case SIGMOID -> scalars("sigmoid", x);
      case SOFTPLUS -> scalars("softplus", x);
      case LOG_SIGMOID -> scalars("logSigmoid", x);
      case RELU -> scalars("relu", x);
      case STEP -> scalars("step", x);
      case LEAKY_RELU -> CodeBlock.of("$T.leakyRelu($L, $L)", SCALARS, x, a.literal(alpha));
      case ELU -> CodeBlock.of("$T.elu($L, $L)", SCALARS, x, a.literal(alpha));
      case POWC -> {
        if (alpha == 2) {
          yield scalars("square", x);
        } else if (alpha == 1) {
          yield x;
        } else if (alpha == -1) {
          yield CodeBlock.of("($L / $L)", a.literal(1), x);
        } else if (alpha == 0.5) {
          yield math("sqrt", x);
        }
        yield p.fromDouble(CodeBlock.of("$T.pow($L, $L)", Math.class, x, alpha));
      }
    };
  }

  /** 1 where {@code x op y} holds, else 0, in the code's precision. */
  private CodeBlock comparison(String op, CodeBlock x, CodeBlock y) {
    return CodeBlock.of("($L $L $L ? $L : $L)", x, op, y, a.literal(1), a.literal(0));
  }

  private CodeBlock binary(Binary b, CodeBlock x, CodeBlock y) {
    return switch (b.fn()) {
      case ADD -> CodeBlock.of("($L + $L)", x, y);
      case SUB -> CodeBlock.of("($L - $L)", x, y);
      case MUL -> CodeBlock.of("($L * $L)", x, y);
      case DIV -> CodeBlock.of("($L / $L)", x, y);
      case POW -> p.fromDouble(CodeBlock.of("$T.pow($L, $L)", Math.class, x, y));
      case MAX -> CodeBlock.of("$T.max($L, $L)", SCALARS, x, y);
      case MIN -> CodeBlock.of("$T.min($L, $L)", SCALARS, x, y);
      case GE -> CodeBlock.of("$T.ge($L, $L)", SCALARS, x, y);
      case LT -> comparison("<", x, y);
      case LE -> comparison("<=", x, y);
      case GT -> comparison(">", x, y);
      case EQ -> comparison("==", x, y);
      case NE -> comparison("!=", x, y);
    };
  }
}
