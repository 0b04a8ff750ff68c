package dev.nabla.compiler.graph;

import java.util.Arrays;
import java.util.List;

/**
 * {@code where(c, a, b)}: element by element, {@code a} where {@code c != 0}, else {@code b}
 * (NaN counts as true, as in NumPy), with all three operands broadcast to one shape.
 *
 * <p>It is a real select, not {@code c * a + (1 - c) * b}: the branch not picked is never
 * multiplied, so an infinity or NaN there (a guarded {@code log}, a {@code 1 / x} at 0) does not
 * leak into the value or the gradient. Its gradient goes to the branch that was picked:
 * {@code da = where(c, dy, 0)}, {@code db = where(c, 0, dy)}, each summed back over its
 * broadcast axes; the condition is piecewise constant and gets none.
 */
public record Where() implements Op {
  /** Its name in the language. */
  public static final String NAME = "where";

  @Override
  public Shape shape(List<Shape> inputs) {
    Shape ca = Shape.broadcast(inputs.get(0), inputs.get(1));
    Shape out = ca == null ? null : Shape.broadcast(ca, inputs.get(2));
    if (out == null) {
      throw Op.badShapes(NAME, inputs);
    }
    return out;
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] y = new double[out.size()];
    int[][] strides = new int[3][];
    for (int k = 0; k < 3; k++) {
      strides[k] = Broadcast.sourceStrides(inputShapes.get(k).padded(out.rank()));
    }
    for (int i = 0; i < y.length; i++) {
      double c = inputs.get(0)[Broadcast.sourceIndex(i, out, strides[0])];
      int picked = c != 0 ? 1 : 2;
      y[i] = inputs.get(picked)[Broadcast.sourceIndex(i, out, strides[picked])];
    }
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    Node c = y.input(0);
    if (y.input(1) == y.input(2)) {
      // where(c, x, x) is x: one contribution, not two halves that no local rule could rejoin
      return Arrays.asList(null, g.unbroadcast(dy, y.input(1).shape()), null);
    }
    Node zero = g.constant(0);
    Node da = g.unbroadcast(g.where(c, dy, zero), y.input(1).shape());
    Node db = g.unbroadcast(g.where(c, zero, dy), y.input(2).shape());
    return Arrays.asList(null, da, db);
  }

  @Override
  public Traits traits() {
    return new Traits(true, false, Cost.SIMPLE);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
