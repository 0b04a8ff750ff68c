package dev.nabla.compiler.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code concat(a, b, ..., axis=k)} of values of one rank whose other axes agree (vectors joined
 * along axis 0 are v1's {@link Concat}). Each part's adjoint is its slice of dy along the axis.
 */
public record ConcatAxis(int axis) implements Op {
  @Override
  public Shape shape(List<Shape> inputs) {
    List<Integer> dims = new ArrayList<>(inputs.getFirst().dims());
    int n = 0;
    for (Shape s : inputs) {
      if (s.rank() != dims.size()) {
        throw Op.badShapes(toString(), inputs);
      }
      n += s.dim(axis);
    }
    dims.set(axis, n);
    return new Shape(dims);
  }

  /** Where each part starts along the axis. */
  public static int[] starts(List<Shape> parts, int axis) {
    int[] at = new int[parts.size()];
    for (int p = 1; p < at.length; p++) {
      at[p] = at[p - 1] + parts.get(p - 1).dim(axis);
    }
    return at;
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] y = new double[out.size()];
    int[] outStrides = Strides.of(out);
    int[] at = starts(inputShapes, axis);
    for (int p = 0; p < inputs.size(); p++) {
      Shape part = inputShapes.get(p);
      Strides.copy(part.toArray(), inputs.get(p), 0, Strides.of(part), y, at[p] * outStrides[axis], outStrides);
    }
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    List<Shape> shapes = y.inputs().stream().map(Node::shape).toList();
    int[] at = starts(shapes, axis);
    List<Node> parts = new ArrayList<>();
    for (int p = 0; p < shapes.size(); p++) {
      parts.add(Subscript.along(g, dy, axis, at[p], at[p] + shapes.get(p).dim(axis), false));
    }
    return parts;
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return Concat.NAME + " axis=" + axis;
  }
}
