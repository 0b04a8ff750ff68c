package dev.nabla.compiler.graph;

import java.util.List;

/** A real number (a scalar). Constants of other shapes are broadcasts of a constant. */
public record Constant(double value) implements Op {
  @Override
  public Shape shape(List<Shape> inputs) {
    return Shape.SCALAR;
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    return new double[] {value};
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return List.of();
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return "const " + value;
  }
}
