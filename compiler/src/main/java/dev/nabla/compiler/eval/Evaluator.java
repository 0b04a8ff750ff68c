package dev.nabla.compiler.eval;

import dev.nabla.compiler.graph.BatchMean;
import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference evaluator: computes graph nodes over a batch in double precision, straight from
 * each op's {@code eval}. It is slow and simple on purpose; generated code and printed
 * derivative programs are tested against it, and it is tested against finite differences.
 *
 * <p>A batched node has one value per instance; a shared node (params, hypers, constants,
 * batch means) has one value for the whole batch.
 */
public final class Evaluator {
  private final int batch;
  private final Map<String, double[][]> perInstance;
  private final Map<String, double[]> shared;
  private final Map<Node, double[][]> values = new IdentityHashMap<>();

  /**
   * @param batch the number of instances
   * @param perInstance each input and target name to its B values (each flat, row-major)
   * @param shared each param and hyper name to its value (a hyper as a 1-element array)
   */
  public Evaluator(int batch, Map<String, double[][]> perInstance, Map<String, double[]> shared) {
    this.batch = batch;
    this.perInstance = perInstance;
    this.shared = shared;
  }

  public int batch() {
    return batch;
  }

  /** The node's value for instance t (any t for a shared node). */
  public double[] value(Node node, int t) {
    double[][] v = values(node);
    return v.length == 1 ? v[0] : v[t];
  }

  /** The batch mean of a scalar node (the training loss of a per-instance loss). */
  public double batchMeanOf(Node scalar) {
    double[][] v = values(scalar);
    double total = 0;
    for (double[] x : v) {
      total += x[0];
    }
    return total / v.length;
  }

  /** All values of a node: B arrays for a batched node, one for a shared one. */
  public double[][] values(Node node) {
    double[][] known = values.get(node);
    if (known != null) {
      return known;
    }
    for (Node n : missingInOrder(node)) {
      values.put(n, compute(n));
    }
    return values.get(node);
  }

  /** The nodes not yet evaluated that {@code node} needs, inputs first (no deep recursion). */
  private List<Node> missingInOrder(Node node) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> stack = new ArrayList<>(List.of(node));
    List<Node> found = new ArrayList<>();
    while (!stack.isEmpty()) {
      Node n = stack.removeLast();
      if (values.containsKey(n) || !seen.add(n)) {
        continue;
      }
      found.add(n);
      stack.addAll(n.inputs());
    }
    found.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return found;
  }

  private double[][] compute(Node n) {
    if (n.op() instanceof Leaf leaf) {
      return leafValue(leaf, n.shape());
    }
    if (n.op() instanceof BatchMean) {
      double[][] in = values.get(n.input(0));
      double[] mean = new double[n.shape().size()];
      for (double[] x : in) {
        for (int i = 0; i < mean.length; i++) {
          mean[i] += x[i] / in.length;
        }
      }
      return new double[][] {mean};
    }
    int instances = n.batched() ? batch : 1;
    double[][] out = new double[instances][];
    List<Shape> shapes = n.inputs().stream().map(Node::shape).toList();
    for (int t = 0; t < instances; t++) {
      List<double[]> args = new ArrayList<>(n.inputs().size());
      for (Node in : n.inputs()) {
        double[][] v = values.get(in);
        args.add(v.length == 1 ? v[0] : v[t]);
      }
      out[t] = n.op().eval(args, shapes, n.shape());
    }
    return out;
  }

  private double[][] leafValue(Leaf leaf, Shape shape) {
    if (leaf.kind().batched()) {
      double[][] v = perInstance.get(leaf.name());
      if (v == null || v.length != batch) {
        throw new IllegalArgumentException("no batch of " + batch + " values for " + leaf.name());
      }
      return v;
    }
    double[] v = shared.get(leaf.name());
    if (v == null || v.length != shape.size()) {
      throw new IllegalArgumentException("no value of shape " + shape + " for " + leaf.name());
    }
    return new double[][] {v};
  }
}
