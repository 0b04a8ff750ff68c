package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code reshape(a, [d1, d2, ...])} and {@code flatten(a)}: the same elements in the same
 * row-major order, seen with another shape (of as many elements). da = reshape(dy, a's shape).
 * Generated code gives it no array of its own where it can read its input's.
 */
public record Reshape(Shape to) implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "reshape";

  @Override
  public Shape shape(List<Shape> inputs) {
    if (inputs.get(0).size() != to.size()) {
      throw Op.badShapes(NAME + " " + to, inputs);
    }
    return to;
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    return inputs.get(0).clone();
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return List.of(g.reshape(dy, y.input(0).shape()));
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return NAME + " " + to;
  }
}
