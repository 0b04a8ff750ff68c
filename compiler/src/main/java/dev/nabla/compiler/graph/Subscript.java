package dev.nabla.compiler.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's indexing and slicing on any axis, {@code X[2, 1:4]}: for each axis of X the elements
 * {@code from[k]} to {@code to[k] - 1} (bounds already checked and made non-negative), the axis
 * dropped where it was an integer index. A vector's {@code v[i]} and {@code v[a:b]} are
 * {@link Index} and {@link Slice} (v1's ops, v1's code). dX = dy scattered into zeros: dy given
 * back its dropped axes (as 1s) by a reshape, then padded ({@link PadAxes}).
 */
public record Subscript(List<Integer> from, List<Integer> to, List<Boolean> dropped) implements Op {
  public Subscript {
    from = List.copyOf(from);
    to = List.copyOf(to);
    dropped = List.copyOf(dropped);
  }

  @Override
  public Shape shape(List<Shape> inputs) {
    Shape a = inputs.get(0);
    if (a.rank() != from.size()) {
      throw Op.badShapes(toString(), inputs);
    }
    List<Integer> dims = new ArrayList<>();
    for (int k = 0; k < from.size(); k++) {
      if (from.get(k) < 0 || to.get(k) > a.dim(k) || from.get(k) >= to.get(k)) {
        throw Op.badShapes(toString(), inputs);
      }
      if (!dropped.get(k)) {
        dims.add(to.get(k) - from.get(k));
      }
    }
    return new Shape(dims);
  }

  /** The box read, with dropped axes kept as 1s: the shape dy is given back before the pad. */
  public Shape box() {
    List<Integer> dims = new ArrayList<>();
    for (int k = 0; k < from.size(); k++) {
      dims.add(to.get(k) - from.get(k));
    }
    return new Shape(dims);
  }

  /**
   * Whether the box is one run of consecutive elements of the input (a row, whole rows, part of
   * one row...): then element i of the result is element {@code offset + i} of the input.
   */
  public boolean contiguous(Shape input) {
    int k = 0;
    while (k < input.rank() && to.get(k) - from.get(k) == 1) {
      k++;
    }
    for (int j = k + 1; j < input.rank(); j++) {
      if (from.get(j) != 0 || to.get(j) != input.dim(j)) {
        return false;
      }
    }
    return true;
  }

  /** The flat index of the box's first element in the input. */
  public int offset(Shape input) {
    return Strides.offset(from, input);
  }

  /** {@code dy} from {@code from} to {@code to} along one axis (whole along the others), or index {@code from} there. */
  static Node along(Graph g, Node dy, int axis, int from, int to, boolean drop) {
    int rank = dy.shape().rank();
    List<Integer> start = new ArrayList<>(java.util.Collections.nCopies(rank, 0));
    List<Integer> end = new ArrayList<>(dy.shape().dims());
    List<Boolean> dropped = new ArrayList<>(java.util.Collections.nCopies(rank, false));
    start.set(axis, from);
    end.set(axis, to);
    dropped.set(axis, drop);
    return g.subscript(dy, start, end, dropped);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    Shape in = inputShapes.get(0);
    double[] y = new double[out.size()];
    Shape box = box();
    Strides.copy(box.toArray(), inputs.get(0), offset(in), Strides.of(in), y, 0, Strides.of(box));
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    Shape in = y.input(0).shape();
    List<Integer> after = new ArrayList<>();
    for (int k = 0; k < to.size(); k++) {
      after.add(in.dim(k) - to.get(k));
    }
    return List.of(g.padAxes(g.reshape(dy, box()), from, after));
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < from.size(); k++) {
      parts.add(dropped.get(k) ? String.valueOf(from.get(k)) : from.get(k) + ":" + to.get(k));
    }
    return "subscript [" + String.join(", ", parts) + "]";
  }
}
