package dev.nabla.compiler.codegen;

import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.BatchMean;
import dev.nabla.compiler.graph.Binary;
import dev.nabla.compiler.graph.BinaryFn;
import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.MatMul;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Outer;
import dev.nabla.compiler.graph.Transpose;
import dev.nabla.compiler.graph.Unary;
import dev.nabla.compiler.graph.UnaryFn;
import dev.nabla.runtime.kernels.Gemm;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which products of a dense layer do their neighbours' element-wise work inside the product
 * kernel (the fused forms of {@link Gemm}), so that the step makes fewer passes over memory and
 * fewer hand-offs to the pool's threads:
 *
 * <ul>
 *   <li>forward, {@code z = W @ x + b} and {@code h = act(z)} for relu, tanh or sigmoid: one
 *       product writing z (when something else reads it, e.g. relu's derivative) and h, in place
 *       of the product, a bias loop and an activation loop;
 *   <li>backward, {@code dz = (Wᵀ @ dh) * act'(...)} with relu's {@code step(z)}, tanh's
 *       {@code 1 - y^2} or sigmoid's {@code y * (1 - y)}: the derivative applied to the product's
 *       tiles, in place of a separate mask loop;
 *   <li>the bias gradient {@code mean_b dz} taken while the weight gradient's product
 *       {@code mean_b outer(dz, x)} packs dz, in place of a separate pass over dz.
 * </ul>
 *
 * The fused kernels give the same bits as the loops they replace (see {@link Gemm}, "Fused
 * work"). A fused product is {@link Storage#ABSORBED} (no buffer of its own); the statement of
 * its {@linkplain #site site} runs the kernel; the other nodes of the group emit nothing
 * ({@link #silent}).
 */
final class ProductFusion {
  /** A forward layer: {@code c = product + bias}, then {@code y = act(c)} unless act is identity. */
  record Layer(Node product, Node bias, Gemm.Act act, Node c, Node y) {}

  /** A backward product times an activation's derivative read from {@code saved}. */
  record Derivative(Node product, Gemm.Act act, Node saved) {}

  private final Map<Node, Layer> layers = new IdentityHashMap<>();
  private final Map<Node, Derivative> derivatives = new IdentityHashMap<>();
  /** The weight gradient's batch mean (an absorbed outer product) -> the bias gradient's. */
  private final Map<Node, Node> sums = new IdentityHashMap<>();
  private final Set<Node> products = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Node> silent = Collections.newSetFromMap(new IdentityHashMap<>());

  /** No fused products (see {@link #find} for the groups of a plan). */
  ProductFusion() {}
  /** A silent forward activation -> the site whose kernel writes it (earlier than its own place). */
  private final Map<Node, Node> writtenAt = new IdentityHashMap<>();

  /** The fused products absorbed into their groups' sites. */
  Set<Node> products() {
    return products;
  }

  /** The forward layer whose fused product runs at {@code n}'s statement, or null. */
  Layer layerAt(Node n) {
    return layers.get(n);
  }

  /** The backward product whose derivative is fused, running at {@code n}'s statement, or null. */
  Derivative derivativeAt(Node n) {
    return derivatives.get(n);
  }

  /** For a weight gradient's batch mean, the bias gradient it also computes, or null. */
  Node sumsOf(Node weightMean) {
    return sums.get(weightMean);
  }

  /** The statement that writes a value (itself, or the site of the product that writes it). */
  Node writtenAt(Node n) {
    return writtenAt.getOrDefault(n, n);
  }

  /** Whether a node's value is computed at another node's site (it emits no statement). */
  boolean silent(Node n) {
    return silent.contains(n);
  }

  /**
   * Finds the groups in a plan whose storage is decided. Only buffers, params and inputs take
   * part (values with arrays the kernel can take), and only products of the layer form (one
   * {@code [B, n]} product over the batch).
   */
  static ProductFusion find(Plan plan, Map<Node, Storage> storage) {
    ProductFusion f = new ProductFusion();
    List<Node> forward = plan.forwardNodes();
    for (int i = 0; i < forward.size(); i++) {
      f.forwardLayer(plan, storage, forward, forward.get(i));
    }
    for (Node n : plan.backwardNodes()) {
      f.backwardDerivative(plan, storage, n);
      f.biasSums(plan, storage, n);
    }
    return f;
  }

  private void forwardLayer(Plan plan, Map<Node, Storage> storage, List<Node> order, Node m) {
    if (!layerProduct(plan, storage, m, Storage.FORWARD) || plan.consumers(m).size() != 1) {
      return;
    }
    Node add = plan.consumers(m).getFirst();
    if (!(add.op() instanceof Binary b && b.fn() == BinaryFn.ADD) || !add.batched()
        || add.input(0) == add.input(1) || !add.shape().equals(m.shape())) {
      return;
    }
    Node bias = add.input(0) == m ? add.input(1) : add.input(0);
    Storage bs = storage.get(bias);
    if (bias.batched() || !bias.shape().equals(m.shape()) || !(bs == Storage.PARAM || bs == Storage.FORWARD)) {
      return;
    }
    Storage as = storage.get(add);
    if (as == Storage.INLINE) {
      Node act = plan.consumers(add).size() == 1 ? plan.consumers(add).getFirst() : null;
      Gemm.Act kind = act == null ? null : activation(act);
      if (kind == null || storage.get(act) != Storage.FORWARD || !act.batched()) {
        return;
      }
      fuse(m, act, new Layer(m, bias, kind, act, act));
    } else if (as == Storage.FORWARD) {
      // The activation joins when it is add's only forward reader and runs right after it.
      List<Node> forwardReaders = plan.consumers(add).stream().filter(order::contains).toList();
      Node act = forwardReaders.size() == 1 ? forwardReaders.getFirst() : null;
      Gemm.Act kind = act == null ? null : activation(act);
      if (kind != null && storage.get(act) == Storage.FORWARD && act.batched()
          && nothingEmittedBetween(storage, order, add, act)) {
        silent.add(act);
        writtenAt.put(act, add);
        fuse(m, add, new Layer(m, bias, kind, add, act));
      } else {
        fuse(m, add, new Layer(m, bias, Gemm.Act.IDENTITY, add, null));
      }
    }
  }

  private void fuse(Node product, Node site, Layer layer) {
    products.add(product);
    layers.put(site, layer);
  }

  /** relu, tanh or sigmoid of one value, else null. */
  private static Gemm.Act activation(Node n) {
    if (!(n.op() instanceof Unary u) || u.parameter() != 0) {
      return null;
    }
    return switch (u.fn()) {
      case RELU -> Gemm.Act.RELU;
      case TANH -> Gemm.Act.TANH;
      case SIGMOID -> Gemm.Act.SIGMOID;
      default -> null;
    };
  }

  private static boolean nothingEmittedBetween(Map<Node, Storage> storage, List<Node> order, Node from, Node to) {
    for (int i = order.indexOf(from) + 1, end = order.indexOf(to); i < end; i++) {
      Storage s = storage.get(order.get(i));
      if (s == Storage.FORWARD || s == Storage.BACKWARD) {
        return false;
      }
    }
    return order.indexOf(from) < order.indexOf(to);
  }

  /**
   * A product the kernel computes as one {@code [B, n]} matrix: {@code W @ x} per instance with
   * W shared (possibly a transpose read in place) and x a batched vector with an array, itself
   * a buffer of the pass read only by its one consumer.
   */
  private static boolean layerProduct(Plan plan, Map<Node, Storage> storage, Node m, Storage pass) {
    if (!(m.op() instanceof MatMul) || !m.batched() || storage.get(m) != pass || m.shape().rank() != 1) {
      return false;
    }
    Node w = m.input(0);
    Node x = m.input(1);
    if (w.batched() || w.shape().rank() != 2 || !x.batched() || x.shape().rank() != 1) {
      return false;
    }
    Node held = storage.get(w) == Storage.ABSORBED && w.op() instanceof Transpose ? w.input(0) : w;
    return holdsArray(storage.get(held)) && holdsArray(storage.get(x)) && !plan.isRoot(m);
  }

  private static boolean holdsArray(Storage s) {
    return s == Storage.INPUT || s == Storage.PARAM || s == Storage.FORWARD || s == Storage.BACKWARD;
  }

  private void backwardDerivative(Plan plan, Map<Node, Storage> storage, Node d) {
    if (!(d.op() instanceof Binary b && b.fn() == BinaryFn.MUL) || storage.get(d) != Storage.BACKWARD || !d.batched()) {
      return;
    }
    for (int side = 0; side < 2; side++) {
      Node p = d.input(side);
      Node factor = d.input(1 - side);
      if (layerProduct(plan, storage, p, Storage.BACKWARD) && plan.consumers(p).size() == 1
          && storage.get(factor) == Storage.INLINE && factor.shape().equals(d.shape()) && factor.batched()) {
        Derivative found = derivative(storage, p, factor);
        if (found != null) {
          products.add(p);
          derivatives.put(d, found);
          return;
        }
      }
    }
  }

  /**
   * The kernel's form of an activation's derivative: {@code step(z)} (relu), {@code 1 - y^2}
   * (tanh) or {@code y * (1 - y)} (sigmoid) over a kept forward value, written as the derivative
   * rules of {@link UnaryFn} build them (the kernel's arithmetic is exactly this).
   */
  private static Derivative derivative(Map<Node, Storage> storage, Node p, Node f) {
    if (f.op() instanceof Unary u && u.fn() == UnaryFn.STEP && kept(storage, f.input(0))) {
      return new Derivative(p, Gemm.Act.RELU, f.input(0));
    }
    if (f.op() instanceof Binary b && b.fn() == BinaryFn.SUB && isOne(f.input(0))
        && f.input(1).op() instanceof Unary sq && sq.fn() == UnaryFn.POWC && sq.parameter() == 2
        && storage.get(f.input(1)) == Storage.INLINE
        && isActivationOutput(f.input(1).input(0), UnaryFn.TANH) && kept(storage, f.input(1).input(0))) {
      return new Derivative(p, Gemm.Act.TANH, f.input(1).input(0));
    }
    if (f.op() instanceof Binary b && b.fn() == BinaryFn.MUL) {
      Node y = f.input(0);
      Node oneMinus = f.input(1);
      if (oneMinus.op() instanceof Binary s && s.fn() == BinaryFn.SUB && storage.get(oneMinus) == Storage.INLINE
          && isOne(oneMinus.input(0)) && oneMinus.input(1) == y
          && isActivationOutput(y, UnaryFn.SIGMOID) && kept(storage, y)) {
        return new Derivative(p, Gemm.Act.SIGMOID, y);
      }
    }
    return null;
  }

  private static boolean kept(Map<Node, Storage> storage, Node n) {
    return n.batched() && storage.get(n) == Storage.FORWARD;
  }

  private static boolean isOne(Node n) {
    return n.op() instanceof Constant c && c.value() == 1;
  }

  private static boolean isActivationOutput(Node n, UnaryFn fn) {
    return n.op() instanceof Unary u && u.fn() == fn;
  }

  /**
   * {@code mean_b outer(dz, x)} (an absorbed outer product: one {@code aTb}) and {@code mean_b dz}
   * over the same buffer dz, the latter a gradient nothing else reads: the product takes the
   * sums of dz's columns while it packs dz.
   */
  private void biasSums(Plan plan, Map<Node, Storage> storage, Node weightMean) {
    if (!(weightMean.op() instanceof BatchMean) || storage.get(weightMean) != Storage.BACKWARD) {
      return;
    }
    Node outer = weightMean.input(0);
    if (!(outer.op() instanceof Outer) || storage.get(outer) != Storage.ABSORBED) {
      return;
    }
    Node dz = outer.input(0);
    if (!dz.batched() || !holdsArray(storage.get(dz)) || !holdsArray(storage.get(outer.input(1)))) {
      return;
    }
    for (Node c : plan.consumers(dz)) {
      if (c != weightMean && c.op() instanceof BatchMean && storage.get(c) == Storage.BACKWARD
          && plan.consumers(c).isEmpty() && !sums.containsValue(c) && c.shape().equals(dz.shape())) {
        sums.put(weightMean, c);
        silent.add(c);
        return;
      }
    }
  }
}
