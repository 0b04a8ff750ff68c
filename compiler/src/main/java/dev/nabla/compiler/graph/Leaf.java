package dev.nabla.compiler.graph;

import java.util.List;

/** A value supplied from outside the graph: an input, target, param or hyper. */
public record Leaf(Kind kind, String name, Shape declared) implements Op {
  public enum Kind {
    INPUT,
    TARGET,
    PARAM,
    HYPER;

    /** Inputs and targets differ per instance of a batch. */
    public boolean batched() {
      return this == INPUT || this == TARGET;
    }
  }

  @Override
  public Shape shape(List<Shape> inputs) {
    return declared;
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    throw new IllegalStateException("internal: leaf " + name + " is bound by the evaluator");
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
    return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + name;
  }
}
