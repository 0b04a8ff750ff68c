package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.Locals.B;
import static dev.nabla.compiler.codegen.Locals.BATCH;
import static dev.nabla.compiler.codegen.Locals.FROM;
import static dev.nabla.compiler.codegen.Locals.TO;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How a value's code loops: over the instances of the batch (as a loop method that the runtime
 * may split across threads, {@link BatchLoopMethods}, or in place), and over an instance's
 * elements. The estimate of a loop's work, from each op's declared cost, lives here too: it is
 * what decides whether a loop is split.
 */
final class LoopPolicy {
  private final Plan plan;
  private final BatchLoopMethods loops;

  LoopPolicy(Plan plan, BatchLoopMethods loops) {
    this.plan = plan;
    this.loops = loops;
  }

  /**
   * Runs {@code body} for each instance (b) of a batched value, or once for a shared one. The
   * body may write only instance b's elements of n: the batch loop becomes a loop method that
   * the runtime may split by ranges of b across threads ({@link BatchLoopMethods}).
   */
  CodeBlock perInstance(Node n, Function<Ix, CodeBlock> body) {
    if (!n.batched()) {
      return perInstanceSerial(n, body);
    }
    return rows(n, CodeBlock.builder()
        .beginControlFlow("for (int $L = $L; $L < $L; $L++)", B, FROM, B, TO, B)
        .add(body.apply(B))
        .endControlFlow()
        .build());
  }

  /** A loop method over instances {@code [from, to)} running {@code rangeBody}, and the call that runs it. */
  CodeBlock rows(Node n, CodeBlock rangeBody) {
    return rows(List.of(n), rangeBody);
  }

  /** {@link #rows(Node, CodeBlock)} for a body that computes several values: their work adds up. */
  CodeBlock rows(List<Node> values, CodeBlock rangeBody) {
    List<Node> reads = new ArrayList<>();
    long work = 0;
    for (Node n : values) {
      fused(n).stream().filter(x -> !reads.contains(x)).forEach(reads::add);
      work += work(n);
    }
    return loops.add(rangeBody, reads, work);
  }

  /** {@link #perInstance} on the calling thread, in the pass's method. */
  CodeBlock perInstanceSerial(Node n, Function<Ix, CodeBlock> body) {
    if (!n.batched()) {
      // A block of its own, so that locals of two shared values do not collide.
      return CodeBlock.builder().add("{\n").indent().add(body.apply(Ix.of(0))).unindent().add("}\n").build();
    }
    return CodeBlock.builder()
        .beginControlFlow("for (int $L = 0; $L < $L; $L++)", B, B, BATCH, B)
        .add(body.apply(B))
        .endControlFlow()
        .build();
  }

  /** {@code for (int var = 0; var < size; var++) body}. */
  static CodeBlock loop(Object size, Ix.Var var, CodeBlock body) {
    return CodeBlock.builder()
        .beginControlFlow("for (int $L = 0; $L < $L; $L++)", var, var, size, var)
        .add(body)
        .endControlFlow()
        .build();
  }

  /**
   * Loops nested per group of axes of {@code shape} ({@link AxisGroups}; constant bounds, an
   * axis of 1 gets no loop and index 0), running {@code body} for each element's per-axis index:
   * a group's one variable stands at its last axis, its other axes at 0.
   */
  static CodeBlock nested(Shape shape, List<List<Integer>> groups, Function<Ix.Nd, CodeBlock> body) {
    List<Ix> axes = new ArrayList<>();
    for (int k = 0; k < shape.rank(); k++) {
      axes.add(Ix.of(0));
    }
    for (List<Integer> group : groups) {
      axes.set(group.getLast(), Locals.AXES.get(group.getLast()));
    }
    CodeBlock code = body.apply(new Ix.Nd(axes, shape));
    for (List<Integer> group : groups.reversed()) {
      int extent = 1;
      for (int k : group) {
        extent *= shape.dim(k);
      }
      code = loop(extent, Locals.AXES.get(group.getLast()), code);
    }
    return code;
  }

  /** Two nested loops, {@code i} over rows and {@code j} over columns. */
  static CodeBlock loops(int rows, int cols, Ix.Var i, Ix.Var j, CodeBlock body) {
    return loop(rows, i, loop(cols, j, body));
  }

  /** A value and the inline values computed in its code. */
  private List<Node> fused(Node n) {
    List<Node> all = new ArrayList<>();
    all.add(n);
    for (int i = 0; i < all.size(); i++) {
      for (Node in : all.get(i).inputs()) {
        if (plan.storage(in) == Storage.INLINE && !all.contains(in)) {
          all.add(in);
        }
      }
    }
    return all;
  }

  /**
   * An estimate of the element operations per instance of a value's loop: its elements (or its
   * inputs', for a reduction) times the operations of its fused expression. Only whether the
   * loop is split across threads depends on it.
   */
  private long work(Node n) {
    long elements = n.shape().size();
    for (Node in : n.inputs()) {
      elements = Math.max(elements, in.shape().size());
    }
    return elements * cost(n);
  }

  /** The declared cost of a value's op plus that of the inline values fused into it. */
  private long cost(Node n) {
    long c = n.op().cost();
    for (Node in : n.inputs()) {
      if (plan.storage(in) == Storage.INLINE) {
        c += cost(in);
      }
    }
    return c;
  }
}
