package dev.nabla.compiler.graph;

import java.util.Arrays;
import java.util.List;

/**
 * {@code logsumexp(a)} over all elements ({@code axis = -1}), or {@code logsumexp(a, axis=k)} of
 * a value of any rank, reducing what {@code sum} with the same axis reduces: {@code y = m + log sum exp(a -
 * m)} with m the largest of the summed elements, so no exp overflows (at a = 1000 the value is
 * 1000 + log n, not infinity). When m is infinite the value is m (all -inf gives -inf, as
 * PyTorch). Rule: da = expand(dy) * exp(a - expand(y)), dy weighted by the softmax of what was
 * summed; every exponent is at most 0.
 */
public record LogSumExp(int axis) implements Op {
  /** How it is written in a {@code .nn} file. */
  public static final String NAME = "logsumexp";

  @Override
  public Shape shape(List<Shape> inputs) {
    return new Sum(axis).shape(inputs);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] a = inputs.get(0);
    Shape in = inputShapes.get(0);
    int n = axis == Sum.ALL ? in.size() : in.dim(axis);
    int post = axis == Sum.ALL ? 1 : in.stride(axis);
    double[] max = new double[out.size()];
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < a.length; i++) {
      int o = Sum.outputIndex(i, n, post);
      max[o] = Math.max(max[o], a[i]);
    }
    double[] total = new double[out.size()];
    for (int i = 0; i < a.length; i++) {
      int o = Sum.outputIndex(i, n, post);
      total[o] += Math.exp(a[i] - max[o]);
    }
    double[] y = new double[out.size()];
    for (int o = 0; o < y.length; o++) {
      y[o] = Double.isInfinite(max[o]) ? max[o] : max[o] + Math.log(total[o]);
    }
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    Node a = y.input(0);
    Node weights = g.unary(UnaryFn.EXP, g.sub(a, spread(g, y, a.shape())));
    return List.of(g.mul(spread(g, dy, a.shape()), weights));
  }

  /** A value of the reduced shape copied back over what was reduced. */
  private Node spread(Graph g, Node x, Shape to) {
    return axis == Sum.ALL ? g.broadcast(x, to) : g.expandAxis(x, to, axis);
  }

  @Override
  public Traits traits() {
    return new Traits(false, false, Cost.TRANSCENDENTAL + 3);
  }

  @Override
  public String toString() {
    return axis == Sum.ALL ? NAME : NAME + " axis=" + axis;
  }
}
