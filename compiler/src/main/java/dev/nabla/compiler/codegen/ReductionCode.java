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
import static dev.nabla.compiler.codegen.Locals.Q;
import static dev.nabla.compiler.codegen.Locals.SCALE;
import static dev.nabla.compiler.codegen.Locals.TOTAL;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Shape;
import dev.nabla.compiler.graph.Sum;
import java.util.List;

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
          .add(a.needsAxes(in)
              ? LoopPolicy.nested(in.shape(), AxisGroups.of(in, a.plan()),
                  nd -> CodeBlock.of("$N += $L;\n", ACC, a.elem(in, b, nd)))
              : LoopPolicy.loop(in.shape().size(), J, CodeBlock.of("$N += $L;\n", ACC, a.elem(in, b, J))))
          .addStatement("$L = $L", a.at(n, b, Ix.of(0)), acc())
          .build());
    }
    if (in.shape().rank() != 2) {
      return sumAlong(n, s.axis());
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

  /**
   * A sum along an axis of a value of any rank other than a matrix's (whose code is version 1's
   * above), seen as {@code [pre, n, post]} with the summed axis in the middle: along the last
   * axis one running sum per result element; otherwise the result is cleared and each of the n
   * slices {@code [pre, post]} added in turn, the innermost loop over contiguous elements.
   */
  private CodeBlock sumAlong(Node n, int axis) {
    Node in = n.input(0);
    Shape shape = in.shape();
    int pre = shape.before(axis);
    int len = shape.dim(axis);
    int post = shape.stride(axis);
    if (post == 1) {
      return lines(n, axis, (b, element, line, length) -> CodeBlock.builder()
          .addStatement("double $N = 0", ACC)
          .add(LoopPolicy.loop(length, J, CodeBlock.of("$N += $L;\n", ACC, a.elem(in, b, element.apply(J)))))
          .addStatement("$L = $L", a.at(n, b, line), acc())
          .build());
    }
    Ix out = pre == 1 ? Q : I.times(post).plus(Q);
    Ix element = (pre == 1 ? J : I.times(len).plus(J)).times(post).plus(Q);
    return loops.perInstance(n, b -> {
      CodeBlock add = LoopPolicy.loop(len, J, LoopPolicy.loop(post, Q,
          CodeBlock.of("$L += $L;\n", a.at(n, b, out), a.elem(in, b, element))));
      return CodeBlock.builder()
          .add(LoopPolicy.loop(n.shape().size(), J, CodeBlock.of("$L = 0;\n", a.at(n, b, J))))
          .add(pre == 1 ? add : LoopPolicy.loop(pre, I, add))
          .build();
    });
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

  CodeBlock extreme(Node n, boolean max, int axis) {
    Node in = n.input(0);
    if (axis != Sum.ALL) {
      return lines(n, axis, (b, element, line, len) -> CodeBlock.builder()
          .addStatement("$T $N = $L", p.type(), ACC, a.elem(in, b, element.apply(Ix.of(0))))
          .add(LoopPolicy.loop(len, J, CodeBlock.of("if ($L $L $N) $N = $L;\n",
              a.elem(in, b, element.apply(J)), max ? ">" : "<", ACC, ACC, a.elem(in, b, element.apply(J)))))
          .addStatement("$L = $N", a.at(n, b, line), ACC)
          .build());
    }
    return loops.perInstance(n, b -> CodeBlock.builder()
        .addStatement("$T $N = $L", p.type(), ACC, a.elem(in, b, Ix.of(0)))
        .add(LoopPolicy.loop(in.shape().size(), J, CodeBlock.of("if ($L $L $N) $N = $L;\n",
            a.elem(in, b, J), max ? ">" : "<", ACC, ACC, a.elem(in, b, J))))
        .addStatement("$L = $N", a.at(n, b, Ix.of(0)), ACC)
        .build());
  }

  CodeBlock argmaxMask(Node n, int axis) {
    Node in = n.input(0);
    if (axis != Sum.ALL) {
      return lines(n.input(0), n, axis, (b, element, line, len) -> CodeBlock.builder()
          .addStatement("int $L = 0", BEST)
          .add(LoopPolicy.loop(len, J, CodeBlock.builder()
              .add("if ($L > $L) $L = $L;\n", a.elem(in, b, element.apply(J)), a.elem(in, b, element.apply(BEST)), BEST, J)
              .addStatement("$L = 0", a.at(n, b, element.apply(J)))
              .build()))
          .addStatement("$L = 1", a.at(n, b, element.apply(BEST)))
          .build());
    }
    return loops.perInstance(n, b -> CodeBlock.builder()
        .addStatement("int $L = 0", BEST)
        .add(LoopPolicy.loop(in.shape().size(), J, CodeBlock.builder()
            .add("if ($L > $L) $L = $L;\n", a.elem(in, b, J), a.elem(in, b, BEST), BEST, J)
            .addStatement("$L = 0", a.at(n, b, J))
            .build()))
        .addStatement("$L = 1", a.at(n, b, BEST))
        .build());
  }

  /** The code for one line along an axis (see {@link #lines}). */
  private interface Line {
    /**
     * @param b the instance
     * @param element the flat index in the reduced value of the line's element j
     * @param line the index of the line (its element in the result of a reduction)
     * @param len the elements of the line
     */
    CodeBlock code(Ix b, java.util.function.Function<Ix, Ix> element, Ix line, int len);
  }

  /** {@link #lines(Node, Node, int, Line)} for a reduction of {@code n}'s input. */
  private CodeBlock lines(Node n, int axis, Line body) {
    return lines(n.input(0), n, axis, body);
  }

  /**
   * Loops over the lines along {@code axis} of {@code in} (seen as {@code [pre, len, post]}):
   * i over pre and q over post (each only when more than 1), the body running its own loop over
   * the line's elements. Writes {@code n}.
   */
  private CodeBlock lines(Node in, Node n, int axis, Line body) {
    Shape shape = in.shape();
    int pre = shape.before(axis);
    int len = shape.dim(axis);
    int post = shape.stride(axis);
    Ix line = post == 1 ? (pre == 1 ? Ix.of(0) : I) : (pre == 1 ? Q : I.times(post).plus(Q));
    java.util.function.Function<Ix, Ix> element = j -> {
      Ix row = pre == 1 ? j : (j.isZero() ? I.times(len) : I.times(len).plus(j));
      return post == 1 ? row : (row.isZero() ? Q : row.times(post).plus(Q));
    };
    return loops.perInstance(n, b -> {
      CodeBlock code = body.code(b, element, line, len);
      if (post != 1) {
        code = LoopPolicy.loop(post, Q, code);
      }
      return pre == 1 ? code : LoopPolicy.loop(pre, I, code);
    });
  }

  /**
   * Softmax or log-softmax along {@code axis}, stable (each line's max is subtracted before
   * exp). Along the last axis every line is a row: one call of the runtime's row kernel
   * ({@code Softmax.softmax} / {@code logSoftmax}, SIMD where the Vector API is present) for all
   * rows of the loop's range of instances. Along another axis, or for an input with no array
   * (a constant), plain loops over the lines ({@link #lines}).
   */
  CodeBlock softmax(Node n, boolean log, int axis) {
    Node in = n.input(0);
    int size = n.shape().size();
    Shape shape = in.shape();
    if (!a.holdsArray(in) || shape.stride(axis) != 1) {
      return lines(n.input(0), n, axis, (b, element, line, len) -> softmaxLine(n, log, b, element.apply(J), len));
    }
    int rows = shape.before(axis);
    int length = shape.dim(axis);
    SoftmaxPairs.Pair pair = a.plan().softmaxPairs().at(n);
    if (pair != null) {
      // softmax and log-softmax of the same rows (a classifier's output and its loss): one pass
      if (!n.batched()) {
        return CodeBlock.of("$T.softmaxAndLog($L, $L, $L, 0, $L, 0, $L, 0);\n",
            SOFTMAX, rows, length, a.ref(in), a.ref(pair.softmax()), a.ref(pair.log()));
      }
      Ix from = FROM.times(size);
      return loops.rows(List.of(pair.softmax(), pair.log()), CodeBlock.of("$T.softmaxAndLog($L, $L, $L, $L, $L, $L, $L, $L);\n",
          SOFTMAX, count(rows), length, a.ref(in), from, a.ref(pair.softmax()), from, a.ref(pair.log()), from));
    }
    String kernel = log ? "logSoftmax" : "softmax";
    if (!n.batched()) {
      return CodeBlock.of("$T.$L($L, $L, $L, 0, $L, 0);\n", SOFTMAX, kernel, rows, length, a.ref(in), a.ref(n));
    }
    return loops.rows(n, CodeBlock.of("$T.$L($L, $L, $L, $L, $L, $L);\n",
        SOFTMAX, kernel, count(rows), length, a.ref(in), FROM.times(size), a.ref(n), FROM.times(size)));
  }

  /** The rows of a loop's range of instances, each instance {@code rows} rows. */
  private static Ix count(int rows) {
    return rows == 1 ? ElementwiseCode.rangeLength() : ElementwiseCode.rangeLength().times(rows);
  }

  /** One line of softmax: its {@code size} elements are at {@code at} (an index over j). */
  private CodeBlock softmaxLine(Node n, boolean log, Ix b, Ix at, int size) {
    Node in = n.input(0);
    CodeBlock.Builder code = CodeBlock.builder()
        .addStatement("double $N = $T.NEGATIVE_INFINITY", MAX, Double.class)
        .add(LoopPolicy.loop(size, J, CodeBlock.of("$N = $T.max($N, $L);\n", MAX, Math.class, MAX, a.elem(in, b, at))))
        .addStatement("double $N = 0", TOTAL);
    if (log) {
      code.add(LoopPolicy.loop(size, J, CodeBlock.of("$N += $T.exp($L - $N);\n", TOTAL, Math.class, a.elem(in, b, at), MAX)));
      code.addStatement("double $N = $N + $T.log($N)", LOG_TOTAL, MAX, Math.class, TOTAL);
      code.add(LoopPolicy.loop(size, J, CodeBlock.of("$L = $L;\n", a.at(n, b, at),
          p.fromDouble(CodeBlock.of("($L - $N)", a.elem(in, b, at), LOG_TOTAL)))));
    } else {
      code.add(LoopPolicy.loop(size, J, CodeBlock.builder()
          .addStatement("double $N = $T.exp($L - $N)", E, Math.class, a.elem(in, b, at), MAX)
          .addStatement("$L = $L", a.at(n, b, at), p.fromDouble(CodeBlock.of("$N", E)))
          .addStatement("$N += $N", TOTAL, E)
          .build()));
      code.addStatement("$T $N = $L", p.type(), SCALE, p.fromDouble(CodeBlock.of("(1 / $N)", TOTAL)));
      code.add(LoopPolicy.loop(size, J, CodeBlock.of("$L *= $N;\n", a.at(n, b, at), SCALE)));
    }
    return code.build();
  }

  /**
   * logsumexp over all elements or along an axis: for each result element {@code i}, the
   * largest of the {@code j} elements summed into it, then {@code max + log(sum exp(x - max))}
   * (just {@code max} when it is infinite).
   */
  CodeBlock logSumExp(Node n, int axis) {
    Node in = n.input(0);
    Shape shape = in.shape();
    int length = shape.size() / n.shape().size();
    Ix element;
    if (axis == Sum.ALL) {
      element = J;
    } else if (shape.rank() == 2) {
      int cols = shape.dim(1);
      element = axis == 0 ? J.times(cols).plus(I) : I.times(cols).plus(J);
    } else {
      return logSumExpAlong(n, axis);
    }
    return loops.perInstance(n, b -> LoopPolicy.loop(n.shape().size(), I, logSumExpOf(n, b, element, I, length)));
  }

  /** logsumexp along an axis of a value of any rank other than a matrix's ({@link #lines}). */
  private CodeBlock logSumExpAlong(Node n, int axis) {
    return lines(n, axis, (b, element, line, len) -> logSumExpOf(n, b, element.apply(J), line, len));
  }

  /** One result element {@code out} of logsumexp: the {@code length} elements {@code element} (over j). */
  private CodeBlock logSumExpOf(Node n, Ix b, Ix element, Ix out, int length) {
    Node in = n.input(0);
    return CodeBlock.builder()
        .addStatement("double $N = $T.NEGATIVE_INFINITY", MAX, Double.class)
        .add(LoopPolicy.loop(length, J, CodeBlock.of("$N = $T.max($N, $L);\n", MAX, Math.class, MAX, a.elem(in, b, element))))
        .addStatement("double $N = 0", TOTAL)
        .add(LoopPolicy.loop(length, J, CodeBlock.of("$N += $T.exp($L - $N);\n", TOTAL, Math.class, a.elem(in, b, element), MAX)))
        .addStatement("$L = $L", a.at(n, b, out), p.fromDouble(CodeBlock.of(
            "($T.isInfinite($N) ? $N : $N + $T.log($N))", Double.class, MAX, MAX, MAX, Math.class, TOTAL)))
        .build();
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
