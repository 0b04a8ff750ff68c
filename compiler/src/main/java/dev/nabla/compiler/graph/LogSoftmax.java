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
    return Softmax.along(inputs.get(0), inputShapes.get(0), axis, true);
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
