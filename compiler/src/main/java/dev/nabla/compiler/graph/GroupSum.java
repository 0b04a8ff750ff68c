package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code group_sum(v, k)}: {@code [n*k] -> [n]}, the sum of each consecutive group of k (a Nabla
 * extension, the derivative of {@code repeat}); dv = repeat(dy, k).
 */
public record GroupSum(int k) implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "group_sum";

  @Override
  public Shape shape(List<Shape> inputs) {
    return Shape.of(inputs.get(0).dim(0) / k);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] v = inputs.get(0);
    double[] y = new double[v.length / k];
    for (int i = 0; i < v.length; i++) {
      y[i / k] += v[i];
    }
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return List.of(g.repeat(dy, k));
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
