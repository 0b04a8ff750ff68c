package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code softmax(z)}: y_i = exp(z_i - max z) / sum_j exp(z_j - max z). Its Jacobian is never
 * formed; the rule is the Jacobian-vector product dz = y * (dy - sum(dy * y)).
 */
public record Softmax() implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "softmax";

  @Override
  public Shape shape(List<Shape> inputs) {
    return inputs.get(0);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] z = inputs.get(0);
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double[] y = new double[z.length];
    double total = 0;
    for (int i = 0; i < z.length; i++) {
      y[i] = Math.exp(z[i] - max);
      total += y[i];
    }
    for (int i = 0; i < z.length; i++) {
      y[i] /= total;
    }
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return List.of(g.mul(y, g.sub(dy, g.sum(g.mul(dy, y)))));
  }

  @Override
  public Traits traits() {
    return new Traits(false, false, Cost.TRANSCENDENTAL + 3);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
