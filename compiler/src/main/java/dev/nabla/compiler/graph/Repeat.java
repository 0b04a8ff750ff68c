package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code repeat(v, k)}: {@code [n] -> [n*k]}, each element k times. It is linear, so unlike the
 * masks its gradient is not zero: dv = group_sum(dy, k).
 */
public record Repeat(int k) implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "repeat";

  @Override
  public Shape shape(List<Shape> inputs) {
    return Shape.of(inputs.get(0).dim(0) * k);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] v = inputs.get(0);
    double[] y = new double[v.length * k];
    for (int i = 0; i < y.length; i++) {
      y[i] = v[i / k];
    }
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return List.of(g.groupSum(dy, k));
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
