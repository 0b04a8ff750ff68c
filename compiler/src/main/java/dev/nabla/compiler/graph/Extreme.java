package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code max(a)} or {@code min(a)}: the largest (smallest) element ({@code axis = -1}), or
 * {@code max(a, axis=k)} along one axis of a value of any rank (k normalised to 0..rank-1), which
 * drops that axis. The gradient goes to the first extreme element (of each line along the axis):
 * da = dy * argmax_mask(a), or dy * argmax_mask(-a) for min, with dy copied along the axis.
 */
public record Extreme(boolean max, int axis) implements Op {
  /** Over every element (version 1's {@code max(a)}). */
  public Extreme(boolean max) {
    this(max, Sum.ALL);
  }

  @Override
  public Shape shape(List<Shape> inputs) {
    return new Sum(axis).shape(inputs);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] a = inputs.get(0);
    Shape in = inputShapes.get(0);
    int n = axis == Sum.ALL ? in.size() : in.dim(axis);
    int post = axis == Sum.ALL ? 1 : in.stride(axis);
    double[] best = new double[out.size()];
    boolean[] seen = new boolean[out.size()];
    for (int i = 0; i < a.length; i++) {
      int o = Sum.outputIndex(i, n, post);
      if (!seen[o] || (max ? a[i] > best[o] : a[i] < best[o])) {
        best[o] = a[i];
        seen[o] = true;
      }
    }
    return best;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    Node a = y.input(0);
    Node mask = g.argmaxMask(max ? a : g.neg(a), axis);
    Node spread = axis == Sum.ALL ? dy : g.expandAxis(dy, a.shape(), axis);
    return List.of(g.mul(spread, mask));
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
    return axis == Sum.ALL ? name() : name() + " axis=" + axis;
  }
}
