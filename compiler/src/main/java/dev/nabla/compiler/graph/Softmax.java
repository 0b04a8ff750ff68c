package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code softmax(z, axis=k)}: along each line of the axis, y_i = exp(z_i - max z) / sum_j
 * exp(z_j - max z). Its Jacobian is never formed; the rule is the Jacobian-vector product
 * dz = y * (dy - sum(dy * y)) with the sum along the axis (spread back along it).
 *
 * @param axis 0..rank-1 (the last axis unless the model says otherwise)
 */
public record Softmax(int axis) implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "softmax";

  @Override
  public Shape shape(List<Shape> inputs) {
    return inputs.get(0);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    return along(inputs.get(0), inputShapes.get(0), axis, false);
  }

  /**
   * softmax, or log_softmax when {@code log}, of every line of {@code z} (of {@code shape}) along
   * {@code axis}, each with its maximum subtracted first.
   */
  static double[] along(double[] z, Shape shape, int axis, boolean log) {
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
        double e = Math.exp(z[at + j * post] - max);
        total += e;
        if (!log) {
          y[at + j * post] = e;
        }
      }
      double logTotal = Math.log(total);
      for (int j = 0; j < len; j++) {
        int i = at + j * post;
        y[i] = log ? z[i] - max - logTotal : y[i] / total;
      }
    }
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return List.of(g.mul(y, g.sub(dy, g.alongAxis(g.mul(dy, y), y.shape(), axis))));
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
