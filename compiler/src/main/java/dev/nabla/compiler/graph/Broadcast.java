package dev.nabla.compiler.graph;

import java.util.List;

/**
 * Spreads a value over a larger shape: a scalar to any shape, {@code [n]} to {@code [m, n]}
 * (each row a copy, {@code expand(v, m, n)}) or {@code [m]} to {@code [m, n]} (each column a
 * copy, {@code expand(v, n, m).T}). It is the derivative of a sum; its own derivative is the sum
 * over the copies.
 */
public record Broadcast(Kind kind, Shape to) implements Op {
  /** Its name in the language (printed derivative programs call it; its toString names the kind). */
  public static final String NAME = "expand";

  public enum Kind {
    SCALAR,
    ROWS,
    COLUMNS
  }

  /** The kind of broadcast that takes {@code from} to {@code to}, or null if none does. */
  public static Kind kindFor(Shape from, Shape to) {
    if (from.isScalar()) {
      return Kind.SCALAR;
    }
    if (from.rank() == 1 && to.rank() == 2 && to.dim(1) == from.dim(0)) {
      return Kind.ROWS;
    }
    if (from.rank() == 1 && to.rank() == 2 && to.dim(0) == from.dim(0)) {
      return Kind.COLUMNS;
    }
    return null;
  }

  @Override
  public Shape shape(List<Shape> inputs) {
    return to;
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] x = inputs.get(0);
    double[] y = new double[to.size()];
    int cols = to.rank() == 2 ? to.dim(1) : 1;
    for (int i = 0; i < y.length; i++) {
      y[i] =
          switch (kind) {
            case SCALAR -> x[0];
            case ROWS -> x[i % cols];
            case COLUMNS -> x[i / cols];
          };
    }
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return List.of(
        switch (kind) {
          case SCALAR -> g.sum(dy);
          case ROWS -> g.sumAxis(dy, 0);
          case COLUMNS -> g.sumAxis(dy, 1);
        });
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return "broadcast_" + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + to;
  }
}
