package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code maxpool(v, k)}: {@code [n] -> [n/k]}, the largest element of each consecutive group of
 * k. The gradient goes to the first largest element of each group:
 * dv = repeat(dy, k) * maxpool_mask(v, k).
 */
public record MaxPool(int k) implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "maxpool";

  @Override
  public Shape shape(List<Shape> inputs) {
    return Shape.of(inputs.get(0).dim(0) / k);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] v = inputs.get(0);
    double[] y = new double[v.length / k];
    for (int group = 0; group < y.length; group++) {
      double best = v[group * k];
      for (int j = 1; j < k; j++) {
        best = Math.max(best, v[group * k + j]);
      }
      y[group] = best;
    }
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return List.of(g.mul(g.repeat(dy, k), g.maxpoolMask(y.input(0), k)));
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return NAME + " " + k;
  }
}
