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
 * Code emission for each op lives in the codegen package; printing in the print package.
 */
public sealed interface Op
    permits Leaf, Constant, Unary, Binary, Broadcast, BatchMean, MatMul, Transpose, Outer, Index,
        Slice, Pad, Concat, Repeat, GroupSum, Sum, Extreme, ArgMaxMask, MaxPool, MaxPoolMask,
        Softmax, LogSoftmax, Kl {

  Shape shape(List<Shape> inputs);

  double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out);

  List<Node> vjp(Graph g, Node y, Node dy);

  /** True for ops that combine their inputs element by element (fusable into one loop). */
  default boolean elementwise() {
    return false;
  }

  /** Rejects an impossible shape: only reachable through a compiler bug. */
  static IllegalStateException badShapes(String op, List<Shape> shapes) {
    return new IllegalStateException("internal: " + op + " cannot take shapes " + shapes);
  }
}
