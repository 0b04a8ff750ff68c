package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.Locals.I;
import static dev.nabla.compiler.codegen.Locals.J;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.graph.Index;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Pad;
import dev.nabla.compiler.graph.Repeat;
import dev.nabla.compiler.graph.Slice;

/**
 * Ops that move elements without computing: transpose, indexing, slice, pad, concat, repeat.
 * Each is a copy loop whose source index is a function of the destination's.
 */
final class LayoutCode {
  private final Addressing a;
  private final LoopPolicy loops;

  LayoutCode(Addressing addressing, LoopPolicy loops) {
    this.a = addressing;
    this.loops = loops;
  }

  /** {@code y[j] = x[source(j)]} for the {@code size} elements of each instance. */
  private CodeBlock copy(Node n, int size, java.util.function.UnaryOperator<Ix> source) {
    return loops.perInstance(n, b -> LoopPolicy.loop(size, J,
        CodeBlock.of("$L = $L;\n", a.at(n, b, J), a.elem(n.input(0), b, source.apply(J)))));
  }

  CodeBlock transpose(Node n) {
    int rows = n.input(0).shape().dim(0);
    int cols = n.input(0).shape().dim(1);
    return loops.perInstance(n, b -> LoopPolicy.loops(rows, cols, I, J,
        CodeBlock.of("$L = $L;\n", a.at(n, b, J.times(rows).plus(I)), a.elem(n.input(0), b, I.times(cols).plus(J)))));
  }

  CodeBlock index(Node n, Index i) {
    return loops.perInstance(n, b -> CodeBlock.of("$L = $L;\n", a.at(n, b, Ix.of(0)), a.elem(n.input(0), b, Ix.of(i.index()))));
  }

  CodeBlock slice(Node n, Slice s) {
    return copy(n, n.shape().size(), j -> j.plus(s.from()));
  }

  CodeBlock repeat(Node n, Repeat r) {
    return copy(n, n.shape().size(), j -> j.div(r.k()));
  }

  CodeBlock pad(Node n, Pad pad) {
    int inner = n.input(0).shape().dim(0);
    return loops.perInstance(n, b -> LoopPolicy.loop(n.shape().size(), J, CodeBlock.of(
        "$L = $L >= $L && $L < $L ? $L : $L;\n", a.at(n, b, J), J, pad.before(), J, pad.before() + inner,
        a.elem(n.input(0), b, J.minus(pad.before())), a.literal(0))));
  }

  CodeBlock concat(Node n) {
    return loops.perInstance(n, b -> {
      CodeBlock.Builder code = CodeBlock.builder();
      int at = 0;
      for (Node part : n.inputs()) {
        int size = part.shape().size();
        code.add(LoopPolicy.loop(size, J, CodeBlock.of("$L = $L;\n", a.at(n, b, J.plus(at)), a.elem(part, b, J))));
        at += size;
      }
      return code.build();
    });
  }
}
