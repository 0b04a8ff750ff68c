package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.Locals.BATCH;
import static dev.nabla.compiler.codegen.Locals.INV_B;
import static dev.nabla.compiler.codegen.RuntimeTypes.BATCHED_GEMM;
import static dev.nabla.compiler.codegen.RuntimeTypes.GEMM;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.Broadcast;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Shape;
import dev.nabla.compiler.graph.StackMatMul;
import dev.nabla.compiler.graph.StackMatMul.View;
import dev.nabla.compiler.graph.Transpose;
import java.util.ArrayList;
import java.util.List;

/**
 * Products of stacks of matrices ({@link StackMatMul}) as calls of the runtime's
 * {@code BatchedGemm}: the batch and the stack dims become at most two levels of products with
 * constant strides (a broadcast operand has stride 0), so {@code [B, h, T, d] @ [B, h, d, T]} is
 * one call over all B x h products, never B calls. Levels beyond two (stacks broadcast in
 * several non-adjacent dims) become Java loops around the call.
 */
final class StackProductCode {
  private final Addressing a;

  StackProductCode(Addressing addressing) {
    this.a = addressing;
  }

  /** One level of products: how many, and each operand's step from one to the next. */
  private record Level(Ix count, int aStep, int bStep, int cStep) {}

  /**
   * An operand read through a view, from the array of {@code node} laid out as {@code layout}
   * (the operand's shape, or a broadcast's aligned shape, whose dims of 1 get step 0).
   */
  private record Operand(Node node, View view, Shape layout) {}

  /** An operand; a transpose or a broadcast read only by products is read in place. */
  private Operand operand(Node n, View v) {
    if (a.plan().storage(n) == Storage.ABSORBED && n.op() instanceof Transpose) {
      return new Operand(n.input(0), v.transposed(), n.shape());
    }
    if (a.plan().storage(n) == Storage.ABSORBED && n.op() instanceof Broadcast b) {
      return new Operand(n.input(0), v, b.aligned());
    }
    return new Operand(n, v, n.shape());
  }

  /** The product into its own buffer. */
  CodeBlock compute(Node n, StackMatMul s) {
    return products(n, s, n, n.batched(), false, -1);
  }

  /**
   * {@code sum(P, axis=k)} of a product of stacks along a stack axis: the products along that
   * axis add up into one result in the product call itself (C's step 0), with no buffer for P.
   */
  CodeBlock summed(Node sum, Node product, int axis) {
    return products(product, (StackMatMul) product.op(), sum, product.batched(), false, axis);
  }

  /**
   * The mean over the batch of a product of stacks (a param's gradient): the batch level sums
   * into one result (C's step 0), then one scaling by 1/B.
   */
  CodeBlock batchMean(Node mean, Node product) {
    int size = mean.shape().size();
    return CodeBlock.builder()
        .add(products(product, (StackMatMul) product.op(), mean, product.batched(), true, -1))
        .add("$T.scale($L, 0, $L, $N);\n", GEMM, a.ref(mean), size, INV_B)
        .build();
  }

  /**
   * The products of {@code n} written into {@code target}'s array; with {@code sumBatch} the
   * instances' products add up into one result, and along stack axis {@code sumAxis} (unless
   * -1) the products add up too.
   */
  private CodeBlock products(Node n, StackMatMul s, Node target, boolean overBatch, boolean sumBatch, int sumAxis) {
    Operand left = operand(n.input(0), s.left());
    Operand right = operand(n.input(1), s.right());
    Shape as = n.input(0).shape();
    Shape bs = n.input(1).shape();
    int m = s.left().rows(as);
    int k = s.left().cols(as);
    int cols = s.right().cols(bs);
    Shape stack = s.stack(n.shape());
    int[] aSteps = StackMatMul.stackSteps(stack, s.left().stack(left.layout()), m * k);
    int[] bSteps = StackMatMul.stackSteps(stack, s.right().stack(right.layout()), k * cols);
    int[] cSteps = StackMatMul.stackSteps(stack, sumAxis < 0 ? stack : summedOut(stack, sumAxis), m * cols);
    List<Level> levels = new ArrayList<>();
    if (overBatch) {
      levels.add(new Level(BATCH,
          left.node().batched() ? left.node().shape().size() : 0,
          right.node().batched() ? right.node().shape().size() : 0,
          sumBatch ? 0 : target.shape().size()));
    }
    for (int d = 0; d < stack.rank(); d++) {
      if (stack.dim(d) > 1) {
        levels.add(new Level(Ix.of(stack.dim(d)), aSteps[d], bSteps[d], cSteps[d]));
      }
    }
    levels = merged(levels);
    while (levels.size() < 2) {
      levels.addFirst(new Level(Ix.of(1), 0, 0, 0));
    }
    boolean ta = left.view() == View.TRANSPOSED;
    boolean tb = right.view() == View.TRANSPOSED;
    // Levels past the innermost two: Java loops around the call, offsets from their indices.
    int loops = levels.size() - 2;
    CodeBlock.Builder code = CodeBlock.builder();
    boolean accumulate = levels.subList(0, loops).stream().anyMatch(l -> l.cStep() == 0);
    if (accumulate) {
      // Every looped call adds into the one result: it starts from zeros.
      code.add("$T.fill($L, 0, $L, 0);\n", java.util.Arrays.class, a.ref(target), target.shape().size());
    }
    Ix aOff = Ix.of(0);
    Ix bOff = Ix.of(0);
    Ix cOff = Ix.of(0);
    for (int l = 0; l < loops; l++) {
      Level level = levels.get(l);
      Ix.Var v = new Ix.Var("s" + l);
      code.beginControlFlow("for (int $L = 0; $L < $L; $L++)", v, v, level.count(), v);
      aOff = aOff.plus(v.times(level.aStep()));
      bOff = bOff.plus(v.times(level.bStep()));
      cOff = cOff.plus(v.times(level.cStep()));
    }
    Level outer = levels.get(loops);
    Level inner = levels.get(loops + 1);
    code.add("$T.gemm($L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L);\n",
        BATCHED_GEMM, ta, tb, outer.count(), inner.count(), m, cols, k,
        a.ref(left.node()), aOff, outer.aStep(), inner.aStep(),
        a.ref(right.node()), bOff, outer.bStep(), inner.bStep(),
        a.ref(target), cOff, outer.cStep(), inner.cStep(), accumulate);
    for (int l = 0; l < loops; l++) {
      code.endControlFlow();
    }
    return code.build();
  }

  /**
   * Adjacent levels merged where every operand steps evenly across both (the outer step is the
   * inner count times the inner step), so contiguous stacks become one level.
   */
  private static List<Level> merged(List<Level> levels) {
    List<Level> out = new ArrayList<>();
    for (Level l : levels) {
      if (!out.isEmpty() && l.count() instanceof Ix.Lit c) {
        Level prev = out.getLast();
        long n = c.value();
        if (prev.aStep() == n * l.aStep() && prev.bStep() == n * l.bStep() && prev.cStep() == n * l.cStep()) {
          Ix count = prev.count() instanceof Ix.Lit p ? Ix.of(p.value() * n) : prev.count().times(n);
          out.set(out.size() - 1, new Level(count, l.aStep(), l.bStep(), l.cStep()));
          continue;
        }
      }
      out.add(l);
    }
    return out;
  }

  /** The stack with a 1 at the summed axis: C's matrices repeat (step 0) along it. */
  private static Shape summedOut(Shape stack, int axis) {
    List<Integer> dims = new ArrayList<>(stack.dims());
    dims.set(axis, 1);
    return new Shape(dims);
  }
}
