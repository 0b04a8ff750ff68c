package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.Locals.I;
import static dev.nabla.compiler.codegen.Locals.J;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.graph.ConcatAxis;
import dev.nabla.compiler.graph.Index;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Pad;
import dev.nabla.compiler.graph.PadAxes;
import dev.nabla.compiler.graph.Permute;
import dev.nabla.compiler.graph.Repeat;
import dev.nabla.compiler.graph.Shape;
import dev.nabla.compiler.graph.Slice;
import dev.nabla.compiler.graph.Stack;
import dev.nabla.compiler.graph.Strides;
import dev.nabla.compiler.graph.Subscript;

/**
 * Ops that move elements without computing: transpose, indexing, slice, pad, concat, repeat,
 * and their forms at any rank (permute, subscript, pad, concat and stack along an axis, reshape
 * where it needs an array of its own). Each is a copy loop whose source index is a function of
 * the destination's; at any rank, {@link StridedCopy}'s loops with literal bounds and strides.
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

  // ---- any rank

  /** {@code part}'s box copied into n (one instance's elements: see {@link StridedCopy}). */
  private CodeBlock box(Node n, Ix b, Node part, int[] dims, int srcOffset, int[] srcStrides, int dstOffset,
      int[] dstStrides) {
    return StridedCopy.of(dims, srcOffset, srcStrides, dstOffset, dstStrides,
        (src, dst) -> CodeBlock.of("$L = $L;\n", a.at(n, b, dst), a.elem(part, b, src)));
  }

  CodeBlock permute(Node n, Permute p) {
    Shape out = n.shape();
    return loops.perInstance(n, b -> box(n, b, n.input(0), out.toArray(), 0, p.sourceStrides(n.input(0).shape()), 0,
        Strides.of(out)));
  }

  CodeBlock subscript(Node n, Subscript s) {
    Shape in = n.input(0).shape();
    Shape box = s.box();
    return loops.perInstance(n, b -> box(n, b, n.input(0), box.toArray(), s.offset(in), Strides.of(in), 0,
        Strides.of(box)));
  }

  /** Zeros, then the input copied into the interior. */
  CodeBlock padAxes(Node n, PadAxes p) {
    Shape in = n.input(0).shape();
    return loops.perInstance(n, b -> CodeBlock.builder()
        .add(LoopPolicy.loop(n.shape().size(), J, CodeBlock.of("$L = $L;\n", a.at(n, b, J), a.literal(0))))
        .add(box(n, b, n.input(0), in.toArray(), 0, Strides.of(in), p.offset(n.shape()), Strides.of(n.shape())))
        .build());
  }

  CodeBlock concatAxis(Node n, ConcatAxis c) {
    int[] outStrides = Strides.of(n.shape());
    int[] at = ConcatAxis.starts(n.inputs().stream().map(Node::shape).toList(), c.axis());
    return loops.perInstance(n, b -> {
      CodeBlock.Builder code = CodeBlock.builder();
      for (int p = 0; p < n.inputs().size(); p++) {
        Node part = n.input(p);
        code.add(box(n, b, part, part.shape().toArray(), 0, Strides.of(part.shape()), at[p] * outStrides[c.axis()],
            outStrides));
      }
      return code.build();
    });
  }

  CodeBlock stack(Node n, Stack s) {
    int step = Strides.of(n.shape())[s.axis()];
    int[] strides = Stack.partStrides(n.shape(), s.axis());
    return loops.perInstance(n, b -> {
      CodeBlock.Builder code = CodeBlock.builder();
      for (int p = 0; p < n.inputs().size(); p++) {
        Node part = n.input(p);
        code.add(box(n, b, part, part.shape().toArray(), 0, Strides.of(part.shape()), p * step, strides));
      }
      return code.build();
    });
  }

  /** A reshape that could not read its input's array in place: the same elements, copied. */
  CodeBlock reshape(Node n) {
    return copy(n, n.shape().size(), j -> j);
  }
}
