package dev.nabla.compiler.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes and owns the nodes of one model's computation graph. Nodes are interned: asking twice
 * for the same op on the same inputs gives the same node, which is common-subexpression
 * elimination for free, for the forward program and the derivative program alike.
 *
 * <p>The small factory methods ({@link #add}, {@link #matmul}, ...) are what the checker and
 * the derivative rules build graphs with. They do no user-facing checking: the checker reports
 * shape errors before it asks for a node.
 */
public final class Graph {
  private record Key(Op op, List<Integer> inputs) {}

  private final Map<Key, Node> interned = new HashMap<>();
  private final List<Node> nodes = new ArrayList<>();
  private Origin origin = Origin.NONE;

  /** Every node made so far, in creation order (a topological order). */
  public List<Node> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  /** The origin given to nodes made from now on; returns the previous one. */
  public Origin setOrigin(Origin origin) {
    Origin previous = this.origin;
    this.origin = origin;
    return previous;
  }

  /** The node for {@code op} applied to {@code inputs}: an existing one if there is one. */
  public Node make(Op op, List<Node> inputs) {
    List<Integer> ids = new ArrayList<>(inputs.size());
    List<Shape> shapes = new ArrayList<>(inputs.size());
    boolean batched = op instanceof Leaf leaf && leaf.kind().batched();
    for (Node in : inputs) {
      ids.add(in.id());
      shapes.add(in.shape());
      batched |= in.batched();
    }
    if (op instanceof BatchMean) {
      batched = false;
    }
    Key key = new Key(op, ids);
    Node existing = interned.get(key);
    if (existing != null) {
      return existing;
    }
    Node node = new Node(nodes.size(), op, inputs, op.shape(shapes), batched, origin);
    nodes.add(node);
    interned.put(key, node);
    return node;
  }

  private Node make(Op op, Node... inputs) {
    return make(op, List.of(inputs));
  }

  // ---- leaves and constants

  public Node leaf(Leaf.Kind kind, String name, Shape shape) {
    return make(new Leaf(kind, name, shape));
  }

  public Node constant(double value) {
    return make(new Constant(value));
  }

  // ---- elementwise

  public Node unary(UnaryFn fn, Node x) {
    return make(new Unary(fn), x);
  }

  public Node unary(UnaryFn fn, double parameter, Node x) {
    return make(new Unary(fn, parameter), x);
  }

  public Node neg(Node x) {
    return unary(UnaryFn.NEG, x);
  }

  /** x^p for a constant exponent. */
  public Node powc(Node x, double p) {
    return unary(UnaryFn.POWC, p, x);
  }

  public Node binary(BinaryFn fn, Node a, Node b) {
    return make(new Binary(fn), a, b);
  }

  public Node add(Node a, Node b) {
    return binary(BinaryFn.ADD, a, b);
  }

  public Node sub(Node a, Node b) {
    return binary(BinaryFn.SUB, a, b);
  }

  public Node mul(Node a, Node b) {
    return binary(BinaryFn.MUL, a, b);
  }

  public Node div(Node a, Node b) {
    return binary(BinaryFn.DIV, a, b);
  }

  // ---- shape changes

  /** x spread to {@code to}: a scalar to anything, or a vector as rows of a matrix. */
  public Node broadcast(Node x, Shape to) {
    Broadcast.Kind kind = Broadcast.kindFor(x.shape(), to);
    if (kind == null) {
      throw Op.badShapes("broadcast", List.of(x.shape(), to));
    }
    return broadcast(x, to, kind);
  }

  public Node broadcast(Node x, Shape to, Broadcast.Kind kind) {
    if (x.shape().equals(to)) {
      return x;
    }
    return make(new Broadcast(kind, to), x);
  }

  /**
   * The adjoint of a value that was broadcast to {@code g}'s shape: g summed over the broadcast
   * positions, back to {@code shape}.
   */
  public Node unbroadcast(Node g, Shape shape) {
    if (g.shape().equals(shape)) {
      return g;
    }
    if (shape.isScalar()) {
      return sum(g);
    }
    return sumAxis(g, 0);
  }

  public Node batchMean(Node x) {
    return x.batched() ? make(new BatchMean(), x) : x;
  }

  // ---- linear algebra

  public Node matmul(Node a, Node b) {
    return make(new MatMul(), a, b);
  }

  /** A.T; the identity on vectors and scalars. */
  public Node transpose(Node a) {
    return a.shape().rank() == 2 ? make(new Transpose(), a) : a;
  }

  public Node outer(Node a, Node b) {
    return make(new Outer(), a, b);
  }

  // ---- reductions and vector functions

  public Node sum(Node a) {
    return make(new Sum(Sum.ALL), a);
  }

  public Node sumAxis(Node a, int axis) {
    return make(new Sum(axis), a);
  }

  public Node extreme(Node a, boolean max) {
    return make(new Extreme(max), a);
  }

  public Node argmaxMask(Node a) {
    return make(new ArgMaxMask(), a);
  }

  public Node maxpool(Node v, int k) {
    return make(new MaxPool(k), v);
  }

  public Node maxpoolMask(Node v, int k) {
    return make(new MaxPoolMask(k), v);
  }

  public Node repeat(Node v, int k) {
    return make(new Repeat(k), v);
  }

  public Node groupSum(Node v, int k) {
    return make(new GroupSum(k), v);
  }

  public Node index(Node v, int i) {
    return make(new Index(i), v);
  }

  public Node slice(Node v, int from, int to) {
    return make(new Slice(from, to), v);
  }

  public Node pad(Node v, int before, int after) {
    return make(new Pad(before, after), v);
  }

  public Node concat(List<Node> parts) {
    return make(new Concat(), parts);
  }

  public Node softmax(Node z) {
    return make(new Softmax(), z);
  }

  public Node logSoftmax(Node z) {
    return make(new LogSoftmax(), z);
  }

  /** logsumexp over all elements ({@link Sum#ALL}) or along an axis of a matrix. */
  public Node logSumExp(Node a, int axis) {
    return make(new LogSumExp(axis), a);
  }

  public Node kl(Node d, Node y) {
    return make(new Kl(), d, y);
  }
}
