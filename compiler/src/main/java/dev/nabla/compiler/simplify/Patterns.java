package dev.nabla.compiler.simplify;

import dev.nabla.compiler.graph.Binary;
import dev.nabla.compiler.graph.BinaryFn;
import dev.nabla.compiler.graph.Broadcast;
import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Shape;
import dev.nabla.compiler.graph.Unary;
import dev.nabla.compiler.graph.UnaryFn;

/** Small predicates and builders the rewrite rules share. */
final class Patterns {
  private Patterns() {}

  /**
   * The constant value of a node that is a constant or a broadcast of one (of a broadcast of one,
   * as a row spread then a column spread), else null.
   */
  static Double constant(Node n) {
    if (n.op() instanceof Constant c) {
      return c.value();
    }
    return n.op() instanceof Broadcast ? constant(n.input(0)) : null;
  }

  static boolean is(Node n, double value) {
    Double c = constant(n);
    return c != null && c == value;
  }

  static boolean isUnary(Node n, UnaryFn fn) {
    return n.op() instanceof Unary u && u.fn() == fn;
  }

  static boolean isBinary(Node n, BinaryFn fn) {
    return n.op() instanceof Binary b && b.fn() == fn;
  }

  /** Values that are only ever 0 or 1, so that m * m = m. */
  static boolean isMask(Node n) {
    return n.op().mask();
  }

  /** {@code x} made to have shape {@code to} (a broadcast when it is smaller). */
  static Node fit(Graph g, Node x, Shape to) {
    return x.shape().equals(to) ? x : g.broadcast(x, to);
  }

  /** A zero of the given shape. */
  static Node zeros(Graph g, Shape shape) {
    return fit(g, g.constant(0), shape);
  }
}
