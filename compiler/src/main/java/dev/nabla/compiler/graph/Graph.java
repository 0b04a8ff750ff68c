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

  /**
   * x spread to {@code to} by NumPy's rules (a scalar to anything, a vector as rows of a matrix,
   * any shape whose dims, aligned at the last axis, are equal or 1).
   */
  public Node broadcast(Node x, Shape to) {
    if (x.shape().equals(to)) {
      return x;
    }
    Broadcast b = Broadcast.numpy(x.shape(), to);
    if (b == null) {
      throw Op.badShapes("broadcast", List.of(x.shape(), to));
    }
    return make(b, x);
  }

  public Node broadcast(Node x, Shape to, Broadcast.Kind kind) {
    if (x.shape().equals(to)) {
      return x;
    }
    return make(new Broadcast(kind, to), x);
  }

  /**
   * x, which has {@code to}'s shape without {@code axis}, copied along {@code axis} (0..rank-1
   * of {@code to}): the adjoint of {@link #sumAxis}.
   */
  public Node expandAxis(Node x, Shape to, int axis) {
    if (!x.shape().equals(to.without(axis))) {
      throw Op.badShapes("expand along axis " + axis + " to " + to, List.of(x.shape()));
    }
    return make(Broadcast.alongAxis(to, axis), x);
  }

  /**
   * The adjoint of a value of {@code shape} that was broadcast (NumPy's rules) to {@code g}'s
   * shape: g summed over the broadcast axes, back to {@code shape}.
   */
  public Node unbroadcast(Node g, Shape shape) {
    if (g.shape().equals(shape)) {
      return g;
    }
    if (shape.isScalar()) {
      return sum(g);
    }
    if (shape.rank() == 1 && g.shape().rank() == 2 && g.shape().dim(1) == shape.dim(0)) {
      return sumAxis(g, 0);
    }
    return sumCopies(g, shape.padded(g.shape().rank()), shape);
  }

  /**
   * The adjoint of a broadcast of a value of {@code shape}, read as {@code aligned}, to g's
   * shape: g summed along every axis where {@code aligned} has a 1 that was copied, then relabelled
   * to {@code shape} (which has the same elements in the same order).
   */
  Node sumCopies(Node g, Shape aligned, Shape shape) {
    Node sum = g;
    for (int k = aligned.rank() - 1; k >= 0; k--) {
      if (aligned.dim(k) == 1 && g.shape().dim(k) != 1) {
        sum = sumAxis(sum, k);
      }
    }
    return relabel(sum, shape);
  }

  /** x read as {@code shape}, which has as many elements: the same values in the same order. */
  private Node relabel(Node x, Shape shape) {
    if (x.shape().equals(shape)) {
      return x;
    }
    if (x.shape().isScalar()) {
      return broadcast(x, shape);
    }
    return make(new Broadcast(Broadcast.Kind.GENERAL, shape, shape), x);
  }

  public Node batchMean(Node x) {
    return x.batched() ? make(new BatchMean(), x) : x;
  }

  // ---- linear algebra

  public Node matmul(Node a, Node b) {
    return make(new MatMul(), a, b);
  }

  /** A.T: the last two axes swapped; the identity on vectors and scalars. */
  public Node transpose(Node a) {
    int rank = a.shape().rank();
    if (rank < 2) {
      return a;
    }
    if (rank == 2) {
      return make(new Transpose(), a);
    }
    List<Integer> perm = new ArrayList<>();
    for (int k = 0; k < rank; k++) {
      perm.add(k);
    }
    Collections.swap(perm, rank - 2, rank - 1);
    return permute(a, perm);
  }

  public Node outer(Node a, Node b) {
    return make(new Outer(), a, b);
  }

  // ---- reductions and vector functions

  public Node sum(Node a) {
    return make(new Sum(Sum.ALL), a);
  }

  /** sum along {@code axis} (0..rank-1), which drops that axis. */
  public Node sumAxis(Node a, int axis) {
    return make(new Sum(axis), a);
  }

  public Node extreme(Node a, boolean max) {
    return make(new Extreme(max), a);
  }

  /** max or min along {@code axis} (0..rank-1, or {@link Sum#ALL}), which drops that axis. */
  public Node extreme(Node a, boolean max, int axis) {
    return make(new Extreme(max, axis), a);
  }

  public Node argmaxMask(Node a) {
    return make(new ArgMaxMask(), a);
  }

  /** 1 at the first largest element of each line along {@code axis} (or {@link Sum#ALL}). */
  public Node argmaxMask(Node a, int axis) {
    return make(new ArgMaxMask(axis), a);
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

  /** softmax along {@code axis} (0..rank-1). */
  public Node softmax(Node z, int axis) {
    return make(new Softmax(axis), z);
  }

  /** log_softmax along {@code axis} (0..rank-1). */
  public Node logSoftmax(Node z, int axis) {
    return make(new LogSoftmax(axis), z);
  }

  /** logsumexp over all elements ({@link Sum#ALL}) or along an axis (0..rank-1). */
  public Node logSumExp(Node a, int axis) {
    return make(new LogSumExp(axis), a);
  }

  public Node kl(Node d, Node y) {
    return make(new Kl(), d, y);
  }

  /** {@code where(c, a, b)}: a where c != 0, else b, the three broadcast to one shape. */
  public Node where(Node c, Node a, Node b) {
    return make(new Where(), c, a, b);
  }

  // ---- stacks of matrix products (rank >= 3)

  /** NumPy's matmul of stacks: {@code a} read through {@code left}, {@code b} through {@code right}. */
  public Node stackMatMul(Node a, StackMatMul.View left, Node b, StackMatMul.View right) {
    return make(new StackMatMul(left, right), a, b);
  }

  /**
   * x summed along {@code axis} of {@code shape} and spread back along it, as the rules of the
   * ops along an axis need it; for a vector just the sum, a scalar that broadcasting spreads
   * (version 1's graphs, unchanged).
   */
  public Node alongAxis(Node x, Shape shape, int axis) {
    if (shape.rank() <= 1) {
      return sum(x);
    }
    return expandAxis(sumAxis(x, axis), shape, axis);
  }

  // ---- layout at any rank (issue 15): each falls back to v1's op where v1 had one, so that v1
  //      models keep their code

  /** Axes permuted (axis k of the result is axis perm[k] of a); a matrix's swap is {@link Transpose}. */
  public Node permute(Node a, List<Integer> perm) {
    boolean identity = true;
    for (int k = 0; k < perm.size(); k++) {
      identity &= perm.get(k) == k;
    }
    if (identity) {
      return a;
    }
    if (a.op() instanceof Permute inner) {
      List<Integer> composed = new ArrayList<>();
      for (int p : perm) {
        composed.add(inner.perm().get(p));
      }
      return permute(a.input(0), composed);
    }
    if (perm.size() == 2) {
      return make(new Transpose(), a);
    }
    return make(new Permute(perm), a);
  }

  /** The same elements with another shape; a reshape of a reshape is one reshape. */
  public Node reshape(Node a, Shape to) {
    if (a.shape().equals(to)) {
      return a;
    }
    if (a.op() instanceof Reshape) {
      return reshape(a.input(0), to);
    }
    return make(new Reshape(to), a);
  }

  /**
   * Indexing and slicing: along each axis k the elements from[k] to to[k] - 1, the axis dropped
   * where {@code dropped[k]}. A vector's is v1's index or slice; the whole value is itself.
   */
  public Node subscript(Node a, List<Integer> from, List<Integer> to, List<Boolean> dropped) {
    Shape s = a.shape();
    boolean whole = true;
    for (int k = 0; k < s.rank(); k++) {
      whole &= !dropped.get(k) && from.get(k) == 0 && to.get(k) == s.dim(k);
    }
    if (whole) {
      return a;
    }
    if (s.rank() == 1) {
      return dropped.get(0) ? index(a, from.get(0)) : slice(a, from.get(0), to.get(0));
    }
    return make(new Subscript(from, to, dropped), a);
  }

  /** Zeros around a along each axis; a vector's is v1's pad. */
  public Node padAxes(Node a, List<Integer> before, List<Integer> after) {
    if (before.stream().allMatch(d -> d == 0) && after.stream().allMatch(d -> d == 0)) {
      return a;
    }
    if (a.shape().rank() == 1) {
      return pad(a, before.get(0), after.get(0));
    }
    return make(new PadAxes(before, after), a);
  }

  /** Parts of one rank joined along an axis; vectors are v1's concat. */
  public Node concat(List<Node> parts, int axis) {
    if (parts.getFirst().shape().rank() == 1) {
      return concat(parts);
    }
    return make(new ConcatAxis(axis), parts);
  }

  /** Parts of one shape stacked along a new axis. */
  public Node stack(List<Node> parts, int axis) {
    return make(new Stack(axis), parts);
  }

  /** A convolution or one of its adjoints ({@link Conv}): inputs (x, K), (dy, K) or (x, dy). */
  public Node conv(Conv.Kind kind, ConvGeometry geometry, Node a, Node b) {
    return make(new Conv(kind, geometry), a, b);
  }

  /** A pooling or an op of its derivative ({@link Pool}): inputs (x), (x, dy), (x, v) or (dy). */
  public Node pool(Pool.Kind kind, PoolGeometry geometry, Node... inputs) {
    return make(new Pool(kind, geometry), inputs);
  }

  // ---- recurrence (issue 17)

  /**
   * A loop of {@code step} over {@code sequences} ({@link Recurrence}): its bundle node. Read its
   * outputs through {@link #recurrenceOutputs}.
   */
  public Node recurrence(
      RecurrenceStep step, boolean reverse, List<Node> sequences, List<Node> initials, List<Node> outers) {
    List<Node> inputs = new ArrayList<>(sequences);
    inputs.addAll(initials);
    inputs.addAll(outers);
    return make(new Recurrence(step, reverse), inputs);
  }

  /** The outputs of a recurrence node: each state's final value, then each collected value. */
  public List<Node> recurrenceOutputs(Node recurrence) {
    Recurrence r = (Recurrence) recurrence.op();
    int steps = Recurrence.steps(recurrence.inputs().stream().map(Node::shape).toList());
    List<Node> outputs = new ArrayList<>();
    for (int k = 0; k < r.outputCount(); k++) {
      String name = k < r.stateCount()
          ? r.step().stateNames().get(k)
          : r.step().collectNames().get(k - r.stateCount());
      outputs.add(make(new RecurrenceOutput(k, r.outputOffset(k, steps), r.outputShape(k, steps), name), recurrence));
    }
    return outputs;
  }
}
