package dev.nabla.compiler.graph;

import java.util.List;

/** {@code outer(a, b)}: C[i, j] = a[i] * b[j]; da = dC @ b, db = a @ dC. */
public record Outer() implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "outer";

  @Override
  public Shape shape(List<Shape> inputs) {
    return Shape.of(inputs.get(0).dim(0), inputs.get(1).dim(0));
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] a = inputs.get(0);
    double[] b = inputs.get(1);
    double[] c = new double[a.length * b.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        c[i * b.length + j] = a[i] * b[j];
      }
    }
    return c;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return List.of(g.matmul(dy, y.input(1)), g.matmul(y.input(0), dy));
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return NAME;
  }
}
