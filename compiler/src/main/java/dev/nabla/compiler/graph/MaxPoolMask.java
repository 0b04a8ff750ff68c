package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code maxpool_mask(v, k)}: {@code [n] -> [n]}, 1 at the first largest element of each group
 * of k, 0 elsewhere; piecewise constant.
 */
public record MaxPoolMask(int k) implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "maxpool_mask";

  @Override
  public Shape shape(List<Shape> inputs) {
    return inputs.get(0);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] v = inputs.get(0);
    double[] m = new double[v.length];
    for (int start = 0; start < v.length; start += k) {
      int best = start;
      for (int j = start + 1; j < start + k; j++) {
        if (v[j] > v[best]) {
          best = j;
        }
      }
      m[best] = 1;
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
    return NAME + " " + k;
  }
}
