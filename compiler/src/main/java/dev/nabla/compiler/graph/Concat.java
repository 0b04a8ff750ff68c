package dev.nabla.compiler.graph;

import java.util.ArrayList;
import java.util.List;

/** {@code concat(a, b, ...)} of vectors; each part's adjoint is its slice of dy. */
public record Concat() implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "concat";

  @Override
  public Shape shape(List<Shape> inputs) {
    int n = 0;
    for (Shape s : inputs) {
      n += s.dim(0);
    }
    return Shape.of(n);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] y = new double[out.size()];
    int at = 0;
    for (double[] part : inputs) {
      System.arraycopy(part, 0, y, at, part.length);
      at += part.length;
    }
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    List<Node> parts = new ArrayList<>();
    int at = 0;
    for (Node in : y.inputs()) {
      int n = in.shape().dim(0);
      parts.add(g.slice(dy, at, at + n));
      at += n;
    }
    return parts;
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
