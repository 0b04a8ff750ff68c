package dev.nabla.compiler.graph;

import java.util.List;

/**
 * A primitive operation of the computation graph. Each op knows three things about itself, so
 * that everything about one op sits in one small file:
 *
 * <ul>
 *   <li>{@link #shape}: its output shape from its input shapes (the checker reports user-facing
 *       shape errors before it builds a node, so a failure here is a compiler bug);
 *   <li>{@link #eval}: its per-instance value, in double precision (the reference evaluator that
 *       tests and {@code nabla grad} round trips use; generated code must agree with it);
 *   <li>{@link #vjp}: its local derivative rule as a vector-Jacobian product: given the adjoint
 *       {@code dy} of its output, the graph nodes of the adjoint contribution to each input
 *       (null where the op is piecewise constant in that input, so that nothing flows).
 * </ul>
 *
 * and, through {@link #traits}, what the other phases need (fusable, mask, cost). Code emission
 * for each op lives in the codegen package, printing in the print package: both switch over
 * this sealed type without a default, so javac lists what a new op still needs (see
 * {@code package-info.java}).
 */
public sealed interface Op
    permits Leaf, Constant, Unary, Binary, Broadcast, BatchMean, MatMul, Transpose, Outer, Index,
        Slice, Pad, Concat, Repeat, GroupSum, Sum, Extreme, ArgMaxMask, MaxPool, MaxPoolMask,
        Softmax, LogSoftmax, LogSumExp, Kl, Where, StackMatMul, Permute, Reshape, Subscript, PadAxes, ConcatAxis,
        Stack, Conv, Pool, Recurrence, RecurrenceOutput {

  Shape shape(List<Shape> inputs);

  double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out);

  List<Node> vjp(Graph g, Node y, Node dy);

  /**
   * What the other phases need to know about this op. Abstract, so that a new op cannot forget
   * it; most ops return {@link Traits#PLAIN}.
   */
  Traits traits();

  /** True for ops that combine their inputs element by element (fusable into one loop). */
  default boolean elementwise() {
    return traits().elementwise();
  }

  /** True for ops whose values are only 0 and 1, so that {@code m * m = m}. */
  default boolean mask() {
    return traits().mask();
  }

  /** Simple element operations per output element ({@link Cost}). */
  default int cost() {
    return traits().cost();
  }

  /**
   * The facets of an op that phases other than its own file use.
   *
   * @param elementwise output element i depends only on element i of each input (after
   *     broadcasting): code generation may compute it inline in its user's loop
   * @param mask its values are only 0 and 1
   * @param cost simple element operations per output element ({@link Cost})
   */
  record Traits(boolean elementwise, boolean mask, int cost) {
    /** An op with a loop or kernel of its own, any values, one simple operation per element. */
    public static final Traits PLAIN = new Traits(false, false, Cost.SIMPLE);
  }

  /** Rejects an impossible shape: only reachable through a compiler bug. */
  static IllegalStateException badShapes(String op, List<Shape> shapes) {
    return new IllegalStateException("internal: " + op + " cannot take shapes " + shapes);
  }
}
