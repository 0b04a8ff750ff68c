package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code log_softmax(z)}: y_i = z_i - max z - log sum_j exp(z_j - max z), never the log of an
 * exact 0. Rule: dz = dy - softmax(z) * sum(dy). For cross_entropy(softmax(z), d), computed as
 * -sum(d * log_softmax(z)), this gives the fused gradient softmax(z) * sum(d) - d.
 */
public record LogSoftmax() implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "log_softmax";

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
    double total = 0;
    for (double v : z) {
      total += Math.exp(v - max);
    }
    double logTotal = Math.log(total);
    double[] y = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      y[i] = z[i] - max - logTotal;
    }
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return List.of(g.sub(dy, g.mul(g.softmax(y.input(0)), g.sum(dy))));
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
