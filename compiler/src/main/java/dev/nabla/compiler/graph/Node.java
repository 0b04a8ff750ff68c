package dev.nabla.compiler.graph;

import java.util.List;

/**
 * A value in the computation graph: an operation applied to input nodes. Nodes are immutable
 * and interned by their {@link Graph}: the same operation on the same inputs is one node, so a
 * value used twice has two consumers and the graph is a DAG, not a tree.
 *
 * <p>{@link #batched()} tells whether the value differs from instance to instance of a batch
 * (it depends on an {@code input} or {@code target}); params, hypers and constants do not.
 */
public final class Node {
  private final int id;
  private final Op op;
  private final List<Node> inputs;
  private final Shape shape;
  private final boolean batched;
  private final Origin origin;

  Node(int id, Op op, List<Node> inputs, Shape shape, boolean batched, Origin origin) {
    this.id = id;
    this.op = op;
    this.inputs = List.copyOf(inputs);
    this.shape = shape;
    this.batched = batched;
    this.origin = origin;
  }

  /** Unique within its graph, increasing in creation order (inputs always have smaller ids). */
  public int id() {
    return id;
  }

  public Op op() {
    return op;
  }

  public List<Node> inputs() {
    return inputs;
  }

  public Node input(int i) {
    return inputs.get(i);
  }

  public Shape shape() {
    return shape;
  }

  public boolean batched() {
    return batched;
  }

  public Origin origin() {
    return origin;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("%" + id + " = " + op);
    for (Node in : inputs) {
      s.append(" %").append(in.id);
    }
    return s.append(" : ").append(shape).toString();
  }
}
