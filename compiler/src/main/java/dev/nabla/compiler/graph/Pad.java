package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code pad(v, before, after)}: v with {@code before} zeros in front and {@code after} zeros
 * behind (a Nabla extension, the derivative of slicing and indexing); dv = slice(dy, before,
 * before + n).
 */
public record Pad(int before, int after) implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "pad";

  @Override
  public Shape shape(List<Shape> inputs) {
    return Shape.of(before + inputs.get(0).dim(0) + after);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] v = inputs.get(0);
    double[] y = new double[out.size()];
    System.arraycopy(v, 0, y, before, v.length);
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    int n = y.input(0).shape().dim(0);
    return List.of(g.slice(dy, before, before + n));
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return NAME + " " + before + " " + after;
  }
}
