package dev.nabla.compiler.graph;

import java.util.List;

/**
 * The mean over the instances of a batch of a per-instance value. Reverse mode puts it where a
 * per-instance adjoint contribution flows into a value shared by the batch (a param, or
 * anything computed from params only): the training loss is the batch mean of the per-instance
 * loss, so a shared value's gradient is the mean of the per-instance contributions. Per
 * instance (as {@code nabla grad} prints the program) it is the identity.
 */
public record BatchMean() implements Op {
  @Override
  public Shape shape(List<Shape> inputs) {
    return inputs.get(0);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    throw new IllegalStateException("internal: batch_mean is evaluated over the batch");
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    throw new UnsupportedOperationException("batch_mean appears only in derivative programs");
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return "batch_mean";
  }
}
