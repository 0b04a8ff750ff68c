package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code kl(d, y)} = sum_i d_i (log d_i - log y_i), with 0 log 0 = 0 (so a one-hot d works).
 * dd = dy * (log(d) - log(y) + 1), dy_ = -dy * d / y.
 */
public record Kl() implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "kl";

  @Override
  public Shape shape(List<Shape> inputs) {
    return Shape.SCALAR;
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] d = inputs.get(0);
    double[] y = inputs.get(1);
    double total = 0;
    for (int i = 0; i < d.length; i++) {
      if (d[i] != 0) {
        total += d[i] * (Math.log(d[i]) - Math.log(y[i]));
      }
    }
    return new double[] {total};
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    Node d = y.input(0);
    Node p = y.input(1);
    Node dd =
        g.mul(dy, g.add(g.sub(g.unary(UnaryFn.LOG, d), g.unary(UnaryFn.LOG, p)), g.constant(1)));
    Node dp = g.neg(g.mul(dy, g.div(d, p)));
    return List.of(dd, dp);
  }

  @Override
  public Traits traits() {
    return new Traits(false, false, 2 * Cost.TRANSCENDENTAL);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
