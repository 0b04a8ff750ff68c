package dev.nabla.compiler.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * An elementwise function of two values with NumPy's broadcasting ({@link Shape#broadcast}). The derivative of a
 * broadcast operand is the sum of the contributions over the broadcast positions.
 */
public record Binary(BinaryFn fn) implements Op {
  @Override
  public Shape shape(List<Shape> inputs) {
    Shape out = Shape.broadcast(inputs.get(0), inputs.get(1));
    if (out == null) {
      throw Op.badShapes(fn.sourceName(), inputs);
    }
    return out;
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] a = inputs.get(0);
    double[] b = inputs.get(1);
    double[] y = new double[out.size()];
    int[] sa = Broadcast.sourceStrides(inputShapes.get(0).padded(out.rank()));
    int[] sb = Broadcast.sourceStrides(inputShapes.get(1).padded(out.rank()));
    for (int i = 0; i < y.length; i++) {
      y[i] = fn.apply(a[Broadcast.sourceIndex(i, out, sa)], b[Broadcast.sourceIndex(i, out, sb)]);
    }
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    List<Node> local = fn.vjp(g, y.input(0), y.input(1), y, dy);
    List<Node> out = new ArrayList<>(2);
    for (int i = 0; i < 2; i++) {
      Node c = local.get(i);
      out.add(c == null ? null : g.unbroadcast(c, y.input(i).shape()));
    }
    return out;
  }

  @Override
  public Traits traits() {
    return new Traits(true, fn.isMask(), fn.cost());
  }

  @Override
  public String toString() {
    return fn.name().toLowerCase(java.util.Locale.ROOT);
  }
}
