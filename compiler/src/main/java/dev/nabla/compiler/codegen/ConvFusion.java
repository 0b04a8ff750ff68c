package dev.nabla.compiler.codegen;

import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.Binary;
import dev.nabla.compiler.graph.BinaryFn;
import dev.nabla.compiler.graph.Broadcast;
import dev.nabla.compiler.graph.Conv;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Pool;
import dev.nabla.compiler.graph.Reshape;
import dev.nabla.compiler.graph.Unary;
import dev.nabla.compiler.graph.UnaryFn;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The convolution layers of a forward pass, each computed by one call of the runtime's
 * {@code ConvForward} (instance by instance on the pool's threads, see {@link ConvCode}):
 * {@code conv(x, K)}, then as the layer has them, the per-channel bias {@code z = conv + bias}
 * (the bias a vector of one element per output channel, broadcast over the positions), relu
 * {@code a = relu(z)} and max pooling of a (or z), in place of the product, a bias loop, a relu
 * loop and a pooling loop over the whole batch, each a pass over memory and a hand-off to the pool.
 *
 * <p>A value joins its layer only when it keeps an array of the forward pass (the backward pass
 * reads z and a) and, but for the product, is the only forward reader of the value before it and
 * is computed right after it. The product joins the bias only when nothing else reads it: then it
 * is {@link Storage#ABSORBED} (the call writes it into z's array and adds the bias there). The
 * layer's call runs at its first value's statement (the site); the later values are
 * {@link #silent} and live from the site on.
 */
final class ConvFusion {
  /**
   * One layer: the convolution, its bias vector (null: none) and bias sum z (the convolution
   * itself without a bias), relu (or null) and pooling (or null).
   */
  record Layer(Node conv, Node bias, Node z, Node relu, Node pool) {}

  private final Map<Node, Layer> sites = new IdentityHashMap<>();
  private final Map<Node, Node> writtenAt = new IdentityHashMap<>();
  private final Set<Node> absorbed = Collections.newSetFromMap(new IdentityHashMap<>());

  private ConvFusion() {}

  /** No layers (a recurrence's step). */
  static ConvFusion none() {
    return new ConvFusion();
  }

  /** The layers among a model's forward values ({@code order}, in evaluation order), storage decided. */
  static ConvFusion find(Plan plan, Map<Node, Storage> storage, List<Node> order) {
    ConvFusion f = new ConvFusion();
    for (Node cv : order) {
      if (cv.op() instanceof Conv c && c.kind() == Conv.Kind.FORWARD && cv.batched()
          && storage.get(cv) == Storage.FORWARD) {
        f.layer(plan, storage, order, cv);
      }
    }
    return f;
  }

  private void layer(Plan plan, Map<Node, Storage> storage, List<Node> order, Node cv) {
    Node z = cv;
    Node bias = null;
    List<Node> readers = plan.consumers(cv);
    if (readers.size() == 1 && !plan.isRoot(cv)) {
      Node add = readers.getFirst();
      Node other = add.op() instanceof Binary b && b.fn() == BinaryFn.ADD && add.input(0) != add.input(1)
          ? (add.input(0) == cv ? add.input(1) : add.input(0)) : null;
      Node vector = other == null ? null : biasVector(storage, other, cv);
      if (vector != null && joins(storage, order, cv, add)) {
        z = add;
        bias = vector;
        absorbed.add(cv);
      }
    }
    Node relu = next(plan, storage, order, z);
    if (relu != null && !(relu.op() instanceof Unary u && u.fn() == UnaryFn.RELU && u.parameter() == 0)) {
      relu = null;
    }
    Node last = relu != null ? relu : z;
    Node pool = next(plan, storage, order, last);
    if (pool != null && !(pool.op() instanceof Pool p && p.kind() == Pool.Kind.MAX
        && p.geometry().input().equals(last.shape()))) {
      pool = null;
    }
    sites.put(z, new Layer(cv, bias, z, relu, pool));
    for (Node later : new Node[] {relu, pool}) {
      if (later != null) {
        writtenAt.put(later, z);
      }
    }
  }

  /** The only forward reader of {@code v}, if it can join the layer after it (else null). */
  private static Node next(Plan plan, Map<Node, Storage> storage, List<Node> order, Node v) {
    List<Node> forwardReaders = plan.consumers(v).stream().filter(order::contains).toList();
    if (forwardReaders.size() != 1) {
      return null;
    }
    Node n = forwardReaders.getFirst();
    return joins(storage, order, v, n) ? n : null;
  }

  /** Whether {@code n}, batched with an array of the forward pass, runs right after {@code before}. */
  private static boolean joins(Map<Node, Storage> storage, List<Node> order, Node before, Node n) {
    if (!n.batched() || storage.get(n) != Storage.FORWARD) {
      return false;
    }
    int from = order.indexOf(before);
    int to = order.indexOf(n);
    for (int i = from + 1; i < to; i++) {
      Storage s = storage.get(order.get(i));
      if (s == Storage.FORWARD || s == Storage.BACKWARD) {
        return false;
      }
    }
    return from < to;
  }

  /**
   * The vector that {@code b} spreads over a convolution's output one element per output channel
   * (a chain of broadcasts and reshapes computed inline, over a shared value with an array of
   * {@code o} elements), or null. Checked by running the chain's own evaluation on the channel
   * numbers: every element must come out as its channel.
   */
  private static Node biasVector(Map<Node, Storage> storage, Node b, Node cv) {
    if (b.batched() || !b.shape().equals(cv.shape())) {
      return null;
    }
    List<Node> chain = new java.util.ArrayList<>();
    Node v = b;
    while ((v.op() instanceof Broadcast || v.op() instanceof Reshape) && !v.batched()
        && (storage.get(v) == Storage.INLINE || storage.get(v) == Storage.ALIAS)) {
      chain.add(v);
      v = v.input(0);
    }
    Storage vs = storage.get(v);
    int channels = ((Conv) cv.op()).geometry().o();
    if (chain.isEmpty() || v.batched() || v.shape().size() != channels
        || !(vs == Storage.PARAM || vs == Storage.FORWARD || vs == Storage.INPUT)) {
      return null;
    }
    double[] values = new double[channels];
    for (int ch = 0; ch < channels; ch++) {
      values[ch] = ch;
    }
    for (Node step : chain.reversed()) {
      values = step.op().eval(List.of(values), List.of(step.input(0).shape()), step.shape());
    }
    int positions = cv.shape().size() / channels;
    for (int i = 0; i < values.length; i++) {
      if (values[i] != i / positions) {
        return null;
      }
    }
    return v;
  }

  /** The layer whose call runs at {@code n}'s statement, or null. */
  Layer at(Node n) {
    return sites.get(n);
  }

  /** Whether a value is written by its layer's call at an earlier statement (it emits none). */
  boolean silent(Node n) {
    return writtenAt.containsKey(n);
  }

  /** The statement that writes a value: its layer's site, or itself. */
  Node writtenAt(Node n) {
    return writtenAt.getOrDefault(n, n);
  }

  /** The convolutions written into their bias sum's array (no array of their own). */
  Set<Node> absorbed() {
    return absorbed;
  }
}
