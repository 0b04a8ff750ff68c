package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code sum(a)} over all elements ({@code axis = -1}), or {@code sum(A, axis=0)} /
 * {@code sum(A, axis=1)} of a matrix. dA = dy spread back over what was summed:
 * expand(dy) for all elements, row copies for axis 0, column copies for axis 1.
 */
public record Sum(int axis) implements Op {
  public static final String NAME = "sum";
  public static final int ALL = -1;

  @Override
  public Shape shape(List<Shape> inputs) {
    Shape a = inputs.get(0);
    return switch (axis) {
      case ALL -> Shape.SCALAR;
      case 0 -> Shape.of(a.dim(1));
      case 1 -> Shape.of(a.dim(0));
      default -> throw Op.badShapes(NAME + " axis " + axis, inputs);
    };
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] a = inputs.get(0);
    double[] y = new double[out.size()];
    if (axis == ALL) {
      double s = 0;
      for (double v : a) {
        s += v;
      }
      y[0] = s;
      return y;
    }
    int cols = inputShapes.get(0).dim(1);
    for (int i = 0; i < a.length; i++) {
      y[axis == 0 ? i % cols : i / cols] += a[i];
    }
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return List.of(g.broadcast(dy, y.input(0).shape(), spreadKind(axis)));
  }

  /** How a result reduced along {@code axis} is spread back over what was reduced. */
  static Broadcast.Kind spreadKind(int axis) {
    return switch (axis) {
      case ALL -> Broadcast.Kind.SCALAR;
      case 0 -> Broadcast.Kind.ROWS;
      default -> Broadcast.Kind.COLUMNS;
    };
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return axis == ALL ? NAME : NAME + " axis=" + axis;
  }
}
