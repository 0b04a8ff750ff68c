package dev.nabla.compiler.graph;

import java.util.Arrays;
import java.util.List;

/** {@code slice(v, from, to)}: elements from..to-1; dv = pad(dy, from, n - to). */
public record Slice(int from, int to) implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "slice";

  @Override
  public Shape shape(List<Shape> inputs) {
    return Shape.of(to - from);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    return Arrays.copyOfRange(inputs.get(0), from, to);
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    int n = y.input(0).shape().dim(0);
    return List.of(g.pad(dy, from, n - to));
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return NAME + " " + from + ":" + to;
  }
}
