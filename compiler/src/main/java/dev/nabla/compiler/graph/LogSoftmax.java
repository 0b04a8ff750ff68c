package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code log_softmax(z, axis=k)}: along each line of the axis, y_i = z_i - max z - log sum_j
 * exp(z_j - max z), never the log of an exact 0. Rule: dz = dy - softmax(z) * sum(dy), the sum
 * along the axis. For cross_entropy(softmax(z), d), computed as -sum(d * log_softmax(z)), this
 * gives the fused gradient softmax(z) * sum(d) - d.
 *
 * @param axis 0..rank-1 (the last axis unless the model says otherwise)
 */
public record LogSoftmax(int axis) implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "log_softmax";

  @Override
  public Shape shape(List<Shape> inputs) {
    return inputs.get(0);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] z = inputs.get(0);
    Shape shape = inputShapes.get(0);
    int len = shape.dim(axis);
    int post = shape.stride(axis);
    double[] y = new double[z.length];
    for (int line = 0; line < z.length / len; line++) {
      // line (i, q) of [pre, len, post]: its element j is at i * len * post + j * post + q
      int at = (line / post) * len * post + line % post;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < len; j++) {
        max = Math.max(max, z[at + j * post]);
      }
      double total = 0;
      for (int j = 0; j < len; j++) {
        total += Math.exp(z[at + j * post] - max);
      }
      double logTotal = Math.log(total);
      for (int j = 0; j < len; j++) {
        y[at + j * post] = z[at + j * post] - max - logTotal;
      }
    }
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return List.of(g.sub(dy, g.mul(g.softmax(y.input(0), axis), g.alongAxis(dy, y.shape(), axis))));
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
