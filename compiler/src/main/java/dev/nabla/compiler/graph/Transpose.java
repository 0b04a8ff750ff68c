package dev.nabla.compiler.graph;

import java.util.List;

/** {@code A.T}: swaps the two axes of a matrix; dA = dC.T. Vectors and scalars never get one. */
public record Transpose() implements Op {
  @Override
  public Shape shape(List<Shape> inputs) {
    Shape a = inputs.get(0);
    if (a.rank() != 2) {
      throw Op.badShapes(".T", inputs);
    }
    return Shape.of(a.dim(1), a.dim(0));
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] a = inputs.get(0);
    int m = inputShapes.get(0).dim(0);
    int n = inputShapes.get(0).dim(1);
    double[] t = new double[a.length];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        t[j * m + i] = a[i * n + j];
      }
    }
    return t;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return List.of(g.transpose(dy));
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return "transpose";
  }
}
