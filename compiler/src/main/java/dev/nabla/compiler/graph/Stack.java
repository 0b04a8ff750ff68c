package dev.nabla.compiler.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code stack(a, b, ..., axis=k)} of values of one shape: a new axis k of length the number of
 * parts, part p at index p. Each part's adjoint is dy indexed at p along that axis.
 */
public record Stack(int axis) implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "stack";

  @Override
  public Shape shape(List<Shape> inputs) {
    Shape part = inputs.getFirst();
    for (Shape s : inputs) {
      if (!s.equals(part)) {
        throw Op.badShapes(toString(), inputs);
      }
    }
    List<Integer> dims = new ArrayList<>(part.dims());
    dims.add(axis, inputs.size());
    return new Shape(dims);
  }

  /** The result's strides without the new axis: where each element of a part goes. */
  public static int[] partStrides(Shape out, int axis) {
    int[] all = Strides.of(out);
    int[] s = new int[all.length - 1];
    for (int k = 0, j = 0; k < all.length; k++) {
      if (k != axis) {
        s[j++] = all[k];
      }
    }
    return s;
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] y = new double[out.size()];
    int step = Strides.of(out)[axis];
    int[] strides = partStrides(out, axis);
    for (int p = 0; p < inputs.size(); p++) {
      Shape part = inputShapes.get(p);
      Strides.copy(part.toArray(), inputs.get(p), 0, Strides.of(part), y, p * step, strides);
    }
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    List<Node> parts = new ArrayList<>();
    for (int p = 0; p < y.inputs().size(); p++) {
      parts.add(Subscript.along(g, dy, axis, p, p + 1, true));
    }
    return parts;
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return NAME + " axis=" + axis;
  }
}
