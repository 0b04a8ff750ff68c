package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code sum(a)} over all elements ({@code axis = -1}), or {@code sum(a, axis=k)} along one axis
 * of a value of any rank (k already normalised to 0..rank-1), which drops that axis. dA = dy
 * spread back over what was summed: expand(dy) for all elements, a copy along the axis
 * ({@link Graph#expandAxis}) for one axis.
 */
public record Sum(int axis) implements Op {
  public static final String NAME = "sum";
  public static final int ALL = -1;

  @Override
  public Shape shape(List<Shape> inputs) {
    Shape a = inputs.get(0);
    if (axis == ALL) {
      return Shape.SCALAR;
    }
    if (axis < 0 || axis >= a.rank()) {
      throw Op.badShapes(NAME + " axis " + axis, inputs);
    }
    return a.without(axis);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] a = inputs.get(0);
    double[] y = new double[out.size()];
    if (axis == ALL) {
      double s = 0;
      for (double v : a) {
        s += v;
      }
      y[0] = s;
      return y;
    }
    Shape in = inputShapes.get(0);
    int n = in.dim(axis);
    int post = in.stride(axis);
    for (int i = 0; i < a.length; i++) {
      y[outputIndex(i, n, post)] += a[i];
    }
    return y;
  }

  /**
   * The element of the reduced value that element {@code i} of a value of shape {@code [pre, n,
   * post]} (the reduced axis in the middle) goes to.
   */
  static int outputIndex(int i, int n, int post) {
    return i / (n * post) * post + i % post;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    Shape in = y.input(0).shape();
    return List.of(axis == ALL ? g.broadcast(dy, in) : g.expandAxis(dy, in, axis));
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return axis == ALL ? NAME : NAME + " axis=" + axis;
  }
}
