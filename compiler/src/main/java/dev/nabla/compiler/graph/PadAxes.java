package dev.nabla.compiler.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code pad(X, [b0, b1, ...], [a0, a1, ...])}: X with {@code before[k]} zeros in front and
 * {@code after[k]} behind along each axis k (a Nabla extension, the derivative of indexing and
 * slicing at rank >= 2; a vector's is v1's {@link Pad}). dX = the slice of dy where X sits.
 */
public record PadAxes(List<Integer> before, List<Integer> after) implements Op {
  public PadAxes {
    before = List.copyOf(before);
    after = List.copyOf(after);
  }

  @Override
  public Shape shape(List<Shape> inputs) {
    Shape a = inputs.get(0);
    if (a.rank() != before.size() || a.rank() != after.size()) {
      throw Op.badShapes(toString(), inputs);
    }
    List<Integer> dims = new ArrayList<>();
    for (int k = 0; k < a.rank(); k++) {
      dims.add(before.get(k) + a.dim(k) + after.get(k));
    }
    return new Shape(dims);
  }

  /** The flat index in the result of the input's first element. */
  public int offset(Shape out) {
    return Strides.offset(before, out);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    Shape in = inputShapes.get(0);
    double[] y = new double[out.size()];
    Strides.copy(in.toArray(), inputs.get(0), 0, Strides.of(in), y, offset(out), Strides.of(out));
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    Shape in = y.input(0).shape();
    List<Integer> to = new ArrayList<>();
    List<Boolean> dropped = new ArrayList<>();
    for (int k = 0; k < in.rank(); k++) {
      to.add(before.get(k) + in.dim(k));
      dropped.add(false);
    }
    return List.of(g.subscript(dy, before, to, dropped));
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return Pad.NAME + " " + before + " " + after;
  }
}
