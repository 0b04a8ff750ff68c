package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code max(a)} or {@code min(a)}: the largest (smallest) element. The gradient goes to the
 * first extreme element: da = dy * argmax_mask(a), or dy * argmax_mask(-a) for min.
 */
public record Extreme(boolean max) implements Op {
  @Override
  public Shape shape(List<Shape> inputs) {
    return Shape.SCALAR;
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] a = inputs.get(0);
    double best = a[0];
    for (double v : a) {
      if (max ? v > best : v < best) {
        best = v;
      }
    }
    return new double[] {best};
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    Node a = y.input(0);
    Node mask = g.argmaxMask(max ? a : g.neg(a));
    return List.of(g.mul(dy, mask));
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  /** Its name in the language: max and min of one value, whose two-value forms are the BinaryFn. */
  public String name() {
    return (max ? BinaryFn.MAX : BinaryFn.MIN).sourceName();
  }

  @Override
  public String toString() {
    return name();
  }
}
