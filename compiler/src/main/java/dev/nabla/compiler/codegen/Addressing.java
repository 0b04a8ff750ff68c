package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.Locals.FORWARD;
import static dev.nabla.compiler.codegen.Locals.MODEL;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.graph.Broadcast;
import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Shape;

/**
 * Where a value lives and how generated code reads one element of it.
 *
 * <p>Layout: a batched value of per-instance shape S is a {@code [B, S]} row-major array, so
 * instance {@code b}'s element {@code j} is at {@code b * size(S) + j}; a shared value is an
 * array of {@code size(S)}. An inline value has no array: its element is its formula over its
 * inputs' elements ({@link ElementFormulas}), which is what fuses a chain into one loop.
 */
final class Addressing {
  /**
   * In place of an instance: the index is already the flat index into the batch's array (a loop
   * over the elements of a range of instances, see {@link ElementwiseCode}).
   */
  static final Ix FLAT = new Ix.Var("");

  private final Plan plan;
  private final Precision p;
  private final boolean inBackward;
  private final ElementFormulas formulas;
  /** For a recurrence's step: how the class reads the model's values (the step's outer leaves). */
  private final Addressing parent;

  Addressing(Plan plan, Precision precision, boolean inBackward) {
    this(plan, precision, inBackward, null);
  }

  /**
   * The addressing of a recurrence's step ({@code plan} a step's plan): its own values are arrays
   * of the class running the loop, its leaves are read where {@link Plan#binding} says, through
   * {@code parent} for the model's values.
   */
  Addressing(Plan plan, Precision precision, boolean inBackward, Addressing parent) {
    this.plan = plan;
    this.p = precision;
    this.inBackward = inBackward;
    this.parent = parent;
    this.formulas = new ElementFormulas(this, precision);
  }

  Plan plan() {
    return plan;
  }

  Precision precision() {
    return p;
  }

  /** The array holding a value, as seen from the class being written. */
  CodeBlock ref(Node n) {
    Plan.Binding bound = plan.binding(n);
    if (bound != null) {
      if (bound.array() == null) {
        return parent.ref(bound.outer());
      }
      boolean backwardClass = parent != null ? parent.inBackward : inBackward;
      boolean viaForward = backwardClass && bound.rows() != null && bound.rows().forwardField();
      return viaForward ? CodeBlock.of("$N.$N", FORWARD, bound.array()) : CodeBlock.of("$N", bound.array());
    }
    String name = plan.name(n);
    return switch (plan.storage(n)) {
      case ALIAS -> ref(n.input(0));
      case PARAM -> CodeBlock.of("$N.$N", MODEL, name);
      case INPUT, FORWARD -> inBackward ? CodeBlock.of("$N.$N", FORWARD, name) : CodeBlock.of("$N", name);
      case BACKWARD -> CodeBlock.of("$N", name);
      case CONSTANT, HYPER, INLINE, ABSORBED -> throw new IllegalStateException("internal: " + n + " has no array");
    };
  }

  /** Whether a value lives in an array ({@link #ref} works), rather than inline or as a literal. */
  boolean holdsArray(Node n) {
    return switch (plan.storage(n)) {
      case INPUT, PARAM, FORWARD, BACKWARD, ALIAS -> true;
      case CONSTANT, HYPER, INLINE, ABSORBED -> false;
    };
  }

  /** The flat index of element {@code idx} of instance {@code b} in a value's array. */
  static Ix index(Node n, Ix b, Ix idx) {
    int size = n.shape().size();
    if (!n.batched() || b == FLAT) {
      return idx;
    }
    if (size == 1) {
      return b;
    }
    return idx.isZero() ? b.times(size) : b.times(size).plus(idx);
  }

  /** The array offset of instance {@code b} of a value (0 for a shared value). */
  static Ix offset(Node n, Ix b) {
    return n.batched() ? b.times(n.shape().size()) : Ix.of(0);
  }

  /** {@code array[index]}: element {@code idx} of instance {@code b} of a value with an array. */
  CodeBlock at(Node n, Ix b, Ix idx) {
    Plan.Rows rows = rowsOf(n);
    if (rows != null) {
      Ix within = b == FLAT ? idx : idx.isZero() ? b.times(rows.stride()) : b.times(rows.stride()).plus(idx);
      return CodeBlock.of("$L[$L]", ref(n), rows.base().plus(within));
    }
    return CodeBlock.of("$L[$L]", ref(n), index(n, b, idx));
  }

  /**
   * Where a step value read in place lies in the rows of all steps ({@link Plan.Rows}), or null.
   * Only elementwise reads ({@link #at}) know the offset: {@code StepSaves} binds values so
   * only when nothing else reads them.
   */
  Plan.Rows rowsOf(Node n) {
    Plan.Binding bound = plan.binding(n);
    return bound == null ? plan.placedRows(n) : bound.rows();
  }

  /** Whether a value's instances are read at its flat index ({@code b * size + j}), as a batch's rows are. */
  boolean flatRows(Node n) {
    Plan.Rows rows = rowsOf(n);
    return rows == null || rows.stride() == n.shape().size();
  }

  /** Element {@code idx} of instance {@code b} of a value. */
  CodeBlock elem(Node n, Ix b, Ix idx) {
    return switch (plan.storage(n)) {
      case CONSTANT -> literal(((Constant) n.op()).value());
      case HYPER -> CodeBlock.of("$N", plan.name(n));
      case INPUT, PARAM, FORWARD, BACKWARD, ALIAS -> at(n, b, idx);
      case INLINE -> formulas.inline(n, b, idx);
      case ABSORBED -> throw new IllegalStateException("internal: absorbed " + n + " read elementwise");
    };
  }

  /** Element {@code idx} of an inline value, written out over its inputs. */
  CodeBlock inline(Node n, Ix b, Ix idx) {
    return formulas.inline(n, b, idx);
  }

  /**
   * Whether the fused expression {@code n} (a value or one inline in it) reads an operand
   * broadcast beyond version 1's kinds (a scalar, a row of a matrix): then its loops are nested
   * per axis ({@link LoopPolicy#nested}), so that each operand's index is a sum of per-axis
   * terms rather than divisions and remainders of the flat index.
   */
  boolean needsAxes(Node n) {
    if (n.op() instanceof Broadcast br && br.kind() == Broadcast.Kind.GENERAL) {
      return true;
    }
    if (!Plan.readsElementwise(n)) {
      return false;
    }
    for (Node in : n.inputs()) {
      Shape s = in.shape();
      boolean v1 = s.equals(n.shape()) || s.isScalar() || (s.rank() == 1 && n.shape().rank() == 2);
      if (!(n.op() instanceof Broadcast) && !v1) {
        return true;
      }
      if (plan.storage(in) == Plan.Storage.INLINE && needsAxes(in)) {
        return true;
      }
    }
    return false;
  }

  /** A literal of the generated precision, in parentheses when negative. */
  CodeBlock literal(double v) {
    CodeBlock lit = p.literal(v);
    return v < 0 ? CodeBlock.of("($L)", lit) : lit;
  }

  /**
   * The index into an operand of shape {@code in} for element {@code idx} of an elementwise
   * value of shape {@code out} (NumPy's broadcasting): per axis when the loops are nested per
   * axis ({@link Ix.Nd}), else from the flat index ({@link #fromFlat}).
   */
  static Ix broadcastIndex(Ix idx, Shape out, Shape in) {
    if (in.equals(out)) {
      return idx;
    }
    if (in.isScalar()) {
      return Ix.of(0);
    }
    return read(idx, out, in.padded(out.rank()), in);
  }

  /**
   * The index into a value of shape {@code actual}, read as {@code aligned} (a shape of {@code
   * out}'s rank whose dims of 1 are copied), for element {@code idx} of {@code out}.
   */
  static Ix read(Ix idx, Shape out, Shape aligned, Shape actual) {
    if (idx instanceof Ix.Nd nd) {
      return nd.read(aligned, actual);
    }
    if (aligned.rank() == 2 && aligned.dim(0) == 1) {
      return idx.mod(aligned.dim(1)); // a row of a matrix: v1's row broadcasting
    }
    return fromFlat(idx, out, aligned);
  }

  /**
   * The general case from a flat index: each axis's index taken out of it by division and
   * remainder. Only reached where a loop over a broadcast value cannot be nested per axis (a
   * batch mean of one); elementwise loops use {@link Ix.Nd}.
   */
  private static Ix fromFlat(Ix idx, Shape out, Shape aligned) {
    Ix sum = null;
    for (int k = 0; k < out.rank(); k++) {
      if (aligned.dim(k) == 1) {
        continue;
      }
      int outStride = out.stride(k);
      Ix axis = outStride == 1 ? idx : idx.div(outStride);
      if (k > 0) {
        axis = axis.mod(out.dim(k));
      }
      int stride = aligned.stride(k);
      Ix term = stride == 1 ? axis : axis.times(stride);
      sum = sum == null ? term : sum.plus(term);
    }
    return sum == null ? Ix.of(0) : sum;
  }
}
