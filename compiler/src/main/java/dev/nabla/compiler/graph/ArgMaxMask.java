package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code argmax_mask(v)}: 1 at the first largest element, 0 elsewhere ({@code axis = -1}, every
 * element); or along one axis (normalised to 0..rank-1): 1 at the first largest element of each
 * line along that axis. Same shape as its input; piecewise constant.
 */
public record ArgMaxMask(int axis) implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "argmax_mask";

  /** Over every element (version 1's {@code argmax_mask(v)}). */
  public ArgMaxMask() {
    this(Sum.ALL);
  }

  @Override
  public Shape shape(List<Shape> inputs) {
    new Sum(axis).shape(inputs); // checks the axis
    return inputs.get(0);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] v = inputs.get(0);
    Shape in = inputShapes.get(0);
    int n = axis == Sum.ALL ? in.size() : in.dim(axis);
    int post = axis == Sum.ALL ? 1 : in.stride(axis);
    int lines = v.length / n;
    int[] best = new int[lines];
    java.util.Arrays.fill(best, -1);
    for (int i = 0; i < v.length; i++) {
      int o = Sum.outputIndex(i, n, post);
      if (best[o] < 0 || v[i] > v[best[o]]) {
        best[o] = i;
      }
    }
    double[] m = new double[v.length];
    for (int b : best) {
      m[b] = 1;
    }
    return m;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return java.util.Collections.singletonList(null);
  }

  @Override
  public Traits traits() {
    return new Traits(false, true, Cost.SIMPLE);
  }

  @Override
  public String toString() {
    return axis == Sum.ALL ? NAME : NAME + " axis=" + axis;
  }
}
