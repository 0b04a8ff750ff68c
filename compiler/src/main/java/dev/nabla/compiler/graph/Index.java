package dev.nabla.compiler.graph;

import java.util.List;

/** {@code v[i]}: one element of a vector; dv = pad(expand(dy, 1), i, n - i - 1). */
public record Index(int index) implements Op {
  @Override
  public Shape shape(List<Shape> inputs) {
    return Shape.SCALAR;
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    return new double[] {inputs.get(0)[index]};
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    int n = y.input(0).shape().dim(0);
    return List.of(g.pad(g.broadcast(dy, Shape.of(1)), index, n - index - 1));
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return "index " + index;
  }
}
