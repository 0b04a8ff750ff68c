package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.RuntimeTypes.SOFTMAX;
import static dev.nabla.compiler.codegen.Locals.ACC;
import static dev.nabla.compiler.codegen.Locals.BEST;
import static dev.nabla.compiler.codegen.Locals.DJ;
import static dev.nabla.compiler.codegen.Locals.E;
import static dev.nabla.compiler.codegen.Locals.FROM;
import static dev.nabla.compiler.codegen.Locals.I;
import static dev.nabla.compiler.codegen.Locals.J;
import static dev.nabla.compiler.codegen.Locals.LOG_TOTAL;
import static dev.nabla.compiler.codegen.Locals.MAX;
import static dev.nabla.compiler.codegen.Locals.SCALE;
import static dev.nabla.compiler.codegen.Locals.TOTAL;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Sum;

/**
 * Reductions and row functions: sums, extremes and their masks, grouped reductions
 * ({@code group_sum}, {@code maxpool}), softmax and log-softmax (the runtime's row kernel), and
 * {@code kl}. Each accumulates in double and writes in the generated precision.
 */
final class ReductionCode {
  private final Addressing a;
  private final LoopPolicy loops;
  private final Precision p;

  ReductionCode(Addressing addressing, LoopPolicy loops) {
    this.a = addressing;
    this.loops = loops;
    this.p = addressing.precision();
  }

  private CodeBlock acc() {
    return p.fromDouble(CodeBlock.of("$N", ACC));
  }

  CodeBlock sum(Node n, Sum s) {
    Node in = n.input(0);
    if (s.axis() == Sum.ALL) {
      return loops.perInstance(n, b -> CodeBlock.builder()
          .addStatement("double $N = 0", ACC)
          .add(LoopPolicy.loop(in.shape().size(), J, CodeBlock.of("$N += $L;\n", ACC, a.elem(in, b, J))))
          .addStatement("$L = $L", a.at(n, b, Ix.of(0)), acc())
          .build());
    }
    int rows = in.shape().dim(0);
    int cols = in.shape().dim(1);
    Ix outIdx = s.axis() == 0 ? J : I;
    return loops.perInstance(n, b -> CodeBlock.builder()
        .add(LoopPolicy.loop(n.shape().size(), J, CodeBlock.of("$L = 0;\n", a.at(n, b, J))))
        .add(LoopPolicy.loops(rows, cols, I, J,
            CodeBlock.of("$L += $L;\n", a.at(n, b, outIdx), a.elem(in, b, I.times(cols).plus(J)))))
        .build());
  }

  /** group_sum (sum of each group of k) or maxpool (largest of each group). */
  CodeBlock groupReduce(Node n, int k, boolean max) {
    Node in = n.input(0);
    return loops.perInstance(n, b -> LoopPolicy.loop(n.shape().size(), I, CodeBlock.builder()
        .addStatement("$T $N = $L", p.type(), ACC, max ? a.elem(in, b, I.times(k)) : a.literal(0))
        .add(LoopPolicy.loop(k, J, max
            ? CodeBlock.of("$N = $T.max($N, $L);\n", ACC, Math.class, ACC, a.elem(in, b, I.times(k).plus(J)))
            : CodeBlock.of("$N += $L;\n", ACC, a.elem(in, b, I.times(k).plus(J)))))
        .addStatement("$L = $N", a.at(n, b, I), ACC)
        .build()));
  }

  CodeBlock maxpoolMask(Node n, int k) {
    Node in = n.input(0);
    return loops.perInstance(n, b -> LoopPolicy.loop(n.shape().size() / k, I, CodeBlock.builder()
        .addStatement("int $L = 0", BEST)
        .add(LoopPolicy.loop(k, J, CodeBlock.builder()
            .add("if ($L > $L) $L = $L;\n", a.elem(in, b, I.times(k).plus(J)), a.elem(in, b, I.times(k).plus(BEST)), BEST, J)
            .addStatement("$L = 0", a.at(n, b, I.times(k).plus(J)))
            .build()))
        .addStatement("$L = 1", a.at(n, b, I.times(k).plus(BEST)))
        .build()));
  }

  CodeBlock extreme(Node n, boolean max) {
    Node in = n.input(0);
    return loops.perInstance(n, b -> CodeBlock.builder()
        .addStatement("$T $N = $L", p.type(), ACC, a.elem(in, b, Ix.of(0)))
        .add(LoopPolicy.loop(in.shape().size(), J, CodeBlock.of("if ($L $L $N) $N = $L;\n",
            a.elem(in, b, J), max ? ">" : "<", ACC, ACC, a.elem(in, b, J))))
        .addStatement("$L = $N", a.at(n, b, Ix.of(0)), ACC)
        .build());
  }

  CodeBlock argmaxMask(Node n) {
    Node in = n.input(0);
    return loops.perInstance(n, b -> CodeBlock.builder()
        .addStatement("int $L = 0", BEST)
        .add(LoopPolicy.loop(in.shape().size(), J, CodeBlock.builder()
            .add("if ($L > $L) $L = $L;\n", a.elem(in, b, J), a.elem(in, b, BEST), BEST, J)
            .addStatement("$L = 0", a.at(n, b, J))
            .build()))
        .addStatement("$L = 1", a.at(n, b, BEST))
        .build());
  }

  /**
   * Row softmax or log-softmax, stable (the row's max is subtracted before exp): a call of the
   * runtime's row kernel ({@code Softmax.softmax} / {@code logSoftmax}, SIMD where the Vector API
   * is present) on the loop's range of instances, one row each.
   */
  CodeBlock softmax(Node n, boolean log) {
    Node in = n.input(0);
    int size = n.shape().size();
    if (!a.holdsArray(in)) {
      return softmaxLoops(n, log);
    }
    String kernel = log ? "logSoftmax" : "softmax";
    if (!n.batched()) {
      return CodeBlock.of("$T.$L(1, $L, $L, 0, $L, 0);\n", SOFTMAX, kernel, size, a.ref(in), a.ref(n));
    }
    return loops.rows(n, CodeBlock.of("$T.$L($L, $L, $L, $L, $L, $L);\n",
        SOFTMAX, kernel, ElementwiseCode.rangeLength(), size, a.ref(in), FROM.times(size), a.ref(n), FROM.times(size)));
  }

  /** Softmax as plain loops, for an input that is no array (a constant). */
  private CodeBlock softmaxLoops(Node n, boolean log) {
    Node in = n.input(0);
    int size = n.shape().size();
    return loops.perInstance(n, b -> {
      CodeBlock.Builder code = CodeBlock.builder()
          .addStatement("double $N = $T.NEGATIVE_INFINITY", MAX, Double.class)
          .add(LoopPolicy.loop(size, J, CodeBlock.of("$N = $T.max($N, $L);\n", MAX, Math.class, MAX, a.elem(in, b, J))))
          .addStatement("double $N = 0", TOTAL);
      if (log) {
        code.add(LoopPolicy.loop(size, J, CodeBlock.of("$N += $T.exp($L - $N);\n", TOTAL, Math.class, a.elem(in, b, J), MAX)));
        code.addStatement("double $N = $N + $T.log($N)", LOG_TOTAL, MAX, Math.class, TOTAL);
        code.add(LoopPolicy.loop(size, J, CodeBlock.of("$L = $L;\n", a.at(n, b, J),
            p.fromDouble(CodeBlock.of("($L - $N)", a.elem(in, b, J), LOG_TOTAL)))));
      } else {
        code.add(LoopPolicy.loop(size, J, CodeBlock.builder()
            .addStatement("double $N = $T.exp($L - $N)", E, Math.class, a.elem(in, b, J), MAX)
            .addStatement("$L = $L", a.at(n, b, J), p.fromDouble(CodeBlock.of("$N", E)))
            .addStatement("$N += $N", TOTAL, E)
            .build()));
        code.addStatement("$T $N = $L", p.type(), SCALE, p.fromDouble(CodeBlock.of("(1 / $N)", TOTAL)));
        code.add(LoopPolicy.loop(size, J, CodeBlock.of("$L *= $N;\n", a.at(n, b, J), SCALE)));
      }
      return code.build();
    });
  }

  /**
   * logsumexp over all elements or along an axis: for each result element {@code i}, the
   * largest of the {@code j} elements summed into it, then {@code max + log(sum exp(x - max))}
   * (just {@code max} when it is infinite).
   */
  CodeBlock logSumExp(Node n, int axis) {
    Node in = n.input(0);
    int cols = in.shape().rank() == 2 ? in.shape().dim(1) : 1;
    int length = in.shape().size() / n.shape().size();
    Ix element = switch (axis) {
      case Sum.ALL -> J;
      case 0 -> J.times(cols).plus(I);
      default -> I.times(cols).plus(J);
    };
    return loops.perInstance(n, b -> LoopPolicy.loop(n.shape().size(), I, CodeBlock.builder()
        .addStatement("double $N = $T.NEGATIVE_INFINITY", MAX, Double.class)
        .add(LoopPolicy.loop(length, J, CodeBlock.of("$N = $T.max($N, $L);\n", MAX, Math.class, MAX, a.elem(in, b, element))))
        .addStatement("double $N = 0", TOTAL)
        .add(LoopPolicy.loop(length, J, CodeBlock.of("$N += $T.exp($L - $N);\n", TOTAL, Math.class, a.elem(in, b, element), MAX)))
        .addStatement("$L = $L", a.at(n, b, I), p.fromDouble(CodeBlock.of(
            "($T.isInfinite($N) ? $N : $N + $T.log($N))", Double.class, MAX, MAX, MAX, Math.class, TOTAL)))
        .build()));
  }

  CodeBlock kl(Node n) {
    Node d = n.input(0);
    Node y = n.input(1);
    return loops.perInstance(n, b -> CodeBlock.builder()
        .addStatement("double $N = 0", ACC)
        .add(LoopPolicy.loop(d.shape().size(), J, CodeBlock.builder()
            .addStatement("double $N = $L", DJ, a.elem(d, b, J))
            .add("if ($N != 0) $N += $N * ($T.log($N) - $T.log($L));\n", DJ, ACC, DJ, Math.class, DJ, Math.class, a.elem(y, b, J))
            .build()))
        .addStatement("$L = $L", a.at(n, b, Ix.of(0)), acc())
        .build());
  }
}
