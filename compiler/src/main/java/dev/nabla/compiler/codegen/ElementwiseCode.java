package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.RuntimeTypes.ACTIVATIONS;
import static dev.nabla.compiler.codegen.Locals.B;
import static dev.nabla.compiler.codegen.Locals.FROM;
import static dev.nabla.compiler.codegen.Locals.I;
import static dev.nabla.compiler.codegen.Locals.J;
import static dev.nabla.compiler.codegen.Locals.TO;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.graph.Broadcast;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Slice;
import dev.nabla.compiler.graph.Unary;
import dev.nabla.runtime.kernels.Activations;

/**
 * The loop of an elementwise value (and of a broadcast): one fused loop in which every inline
 * value under it is computed ({@link ElementFormulas}), or the runtime's SIMD kernel for the
 * activations that have one.
 */
final class ElementwiseCode {
  private final Addressing a;
  private final LoopPolicy loops;

  ElementwiseCode(Addressing addressing, LoopPolicy loops) {
    this.a = addressing;
    this.loops = loops;
  }

  /**
   * One fused loop: every inline value under this one is computed in the same pass. When every
   * array it reads is read at the value's own index (no broadcast), it is one flat loop over the
   * range's elements, {@code y[i] = f(x[i])}: a long single loop is what C2 vectorizes, where
   * the nested loop's inner trip count is the (often small) instance size.
   */
  CodeBlock elementwise(Node n) {
    int size = n.shape().size();
    Activations.Fn kernel = activationKernel(n);
    if (n.batched() && kernel != null) {
      return activation(n, kernel);
    }
    if (a.needsAxes(n)) {
      return loops.perInstance(n, b -> LoopPolicy.nested(n.shape(), AxisGroups.of(n, a.plan()),
          nd -> CodeBlock.of("$L = $L;\n", a.at(n, b, nd), a.inline(n, b, nd))));
    }
    if (n.batched() && size > 1 && flat(n, n) && a.flatRows(n)) {
      return loops.rows(n, CodeBlock.builder()
          .beginControlFlow("for (int $L = $L; $L < $L; $L++)", I, FROM.times(size), I, TO.times(size), I)
          .add("$L = $L;\n", a.at(n, Addressing.FLAT, I), a.inline(n, Addressing.FLAT, I))
          .endControlFlow()
          .build());
    }
    return loops.perInstance(n, b -> LoopPolicy.loop(size, J,
        CodeBlock.of("$L = $L;\n", a.at(n, b, J), a.inline(n, b, J))));
  }

  /**
   * The {@code Activations.Fn} constant for a value that is exp, tanh or sigmoid of its input,
   * else null. Java does not vectorize {@code Math.exp} or {@code Math.tanh}; the runtime's
   * kernel runs them on SIMD (a tanh layer's elements about 10x faster).
   */
  static Activations.Fn activationKernel(Node n) {
    if (!(n.op() instanceof Unary u)) {
      return null;
    }
    return switch (u.fn()) {
      case EXP -> Activations.Fn.EXP;
      case TANH -> Activations.Fn.TANH;
      case SIGMOID -> Activations.Fn.SIGMOID;
      default -> null; // the other functions have no kernel: the fused loop computes them
    };
  }

  /**
   * An activation through the runtime's row kernel, {@code Activations.apply}, over the loop's
   * range of instances: straight from the input's array, or, when the input is a fused
   * expression, after writing that expression into the value's own array (the kernel then works
   * in place).
   */
  private CodeBlock activation(Node n, Activations.Fn kernel) {
    Node in = n.input(0);
    int size = n.shape().size();
    CodeBlock.Builder body = CodeBlock.builder();
    CodeBlock source;
    Ix sourceAt = FROM.times(size);
    Plan.Rows own = a.rowsOf(n); // a step value computed into its saved rows of all steps
    Ix outAt = own == null ? FROM.times(size) : own.base().plus(FROM.times(own.stride()));
    if (a.holdsArray(in) && a.flatRows(in) && in.batched() && in.shape().equals(n.shape())) {
      source = a.ref(in);
      Plan.Rows rows = a.rowsOf(in); // step t's rows of an array of all steps, read in place
      sourceAt = rows == null ? sourceAt : rows.base().plus(sourceAt);
    } else if (slicedRows(in)) {
      // a gate of a step's pre-activations: each instance's slice activated where it lies
      Node whole = in.input(0);
      Plan.Rows rows = a.rowsOf(whole);
      int stride = rows == null ? whole.shape().size() : rows.stride();
      int from = ((Slice) in.op()).from();
      Ix first = from == 0 ? FROM.times(stride) : FROM.times(stride).plus(from);
      body.add("$T.apply($T.$L, $L, $L, $L, $L, $L, $L, $L, $L);\n", ACTIVATIONS, Activations.Fn.class, kernel.name(),
          rangeLength(), size, a.ref(whole), rows == null ? first : rows.base().plus(first), stride, a.ref(n),
          outAt, own == null ? size : own.stride());
      return loops.rows(n, body.build());
    } else {
      body.beginControlFlow("for (int $L = $L; $L < $L; $L++)", B, FROM, B, TO, B)
          .add(a.needsAxes(in)
              ? LoopPolicy.nested(n.shape(), AxisGroups.of(in, a.plan()),
                  nd -> CodeBlock.of("$L = $L;\n", a.at(n, B, nd), a.elem(in, B, nd)))
              : LoopPolicy.loop(size, J, CodeBlock.of("$L = $L;\n", a.at(n, B, J), a.elem(in, B, J))))
          .endControlFlow();
      source = a.ref(n);
      sourceAt = outAt;
    }
    body.add("$T.apply($T.$L, $L, $L, $L, $L, $L, $L);\n",
        ACTIVATIONS, Activations.Fn.class, kernel.name(), rangeLength(),
        size, source, sourceAt, a.ref(n), outAt);
    return loops.rows(n, body.build());
  }

  /**
   * Whether a value is a slice read in place ({@code z[H:2H]}, inline) of an array of the batch's
   * rows: the activation kernel then reads each instance's slice at its offset, with the whole
   * row's stride, instead of a copy of the slices written first.
   */
  private boolean slicedRows(Node in) {
    return in.op() instanceof Slice && a.plan().storage(in) == Plan.Storage.INLINE && in.batched()
        && a.holdsArray(in.input(0)) && in.input(0).batched() && in.input(0).shape().rank() == 1;
  }

  /** {@code to - from}: the instances of a loop method's range. */
  static Ix rangeLength() {
    return new Ix.Bin(TO, '-', FROM);
  }

  /**
   * Whether the fused expression {@code n} (the loop's value {@code out}, or one inline in it)
   * reads every array at {@code out}'s flat index: each input is batched with {@code out}'s
   * shape (arrays, or inline values of that kind), or a scalar read at 0 (a literal, a hyper, a
   * shared one-element array).
   */
  private boolean flat(Node n, Node out) {
    if (n.op() instanceof Broadcast) {
      return false;
    }
    for (Node in : n.inputs()) {
      boolean sameIndex = in.batched() && in.shape().equals(out.shape());
      boolean ok = switch (a.plan().storage(in)) {
        case CONSTANT, HYPER -> true;
        case INLINE -> sameIndex && flat(in, out);
        case INPUT, PARAM, FORWARD, BACKWARD, ALIAS ->
            (sameIndex && a.flatRows(in)) || (!in.batched() && in.shape().isScalar());
        case ABSORBED -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
