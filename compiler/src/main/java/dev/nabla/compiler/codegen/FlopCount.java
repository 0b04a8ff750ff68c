package dev.nabla.compiler.codegen;

import dev.nabla.compiler.graph.Conv;
import dev.nabla.compiler.graph.ConvGeometry;
import dev.nabla.compiler.graph.MatMul;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Outer;
import dev.nabla.compiler.graph.Recurrence;
import dev.nabla.compiler.graph.Shape;
import dev.nabla.compiler.graph.StackMatMul;
import dev.nabla.compiler.pipeline.Derivation;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The floating-point operations of one training step's matrix products (forward and backward),
 * 2 per multiply-add, as PyTorch side-by-side scripts count them (an MLP's step is
 * 6 * B * sum(fan_in * fan_out)). Elementwise work is not counted.
 */
public final class FlopCount {
  private FlopCount() {}

  public static double perStep(Derivation derivation, int batch) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> stack = new java.util.ArrayList<>(derivation.program().forward());
    stack.addAll(derivation.program().gradients().values());
    double flops = 0;
    while (!stack.isEmpty()) {
      Node n = stack.removeLast();
      if (!seen.add(n)) {
        continue;
      }
      stack.addAll(n.inputs());
      flops += perInstance(n) * (n.batched() ? batch : 1);
    }
    return flops;
  }

  /** The product flops of one instance of a value: a recurrence's, its step's products T times. */
  private static double perInstance(Node n) {
    if (n.op() instanceof Recurrence r) {
      int steps = Recurrence.steps(n.inputs().stream().map(Node::shape).toList());
      double step = 0;
      for (Node v : r.step().schedule()) {
        step += perInstance(v);
      }
      return steps * step;
    }
    if (n.op() instanceof MatMul) {
      Shape a = n.input(0).shape();
      Shape b = n.input(1).shape();
      int m = a.rank() == 2 ? a.dim(0) : 1;
      int k = a.rank() == 2 ? a.dim(1) : a.dim(0);
      int cols = b.rank() == 2 ? b.dim(1) : 1;
      return 2.0 * m * k * cols;
    }
    if (n.op() instanceof StackMatMul s) {
      Shape a = n.input(0).shape();
      return 2.0 * s.left().rows(a) * s.left().cols(a) * s.right().cols(n.input(1).shape())
          * s.stack(n.shape()).size();
    }
    if (n.op() instanceof Conv cv) {
      // each of a convolution's three ops has the forward's terms, padding included (as PyTorch counts)
      ConvGeometry g = cv.geometry();
      return 2.0 * g.o() * g.c() * g.kh() * g.kw() * g.outH() * g.outW();
    }
    if (n.op() instanceof Outer) {
      return 2.0 * n.shape().size();
    }
    return 0;
  }
}
