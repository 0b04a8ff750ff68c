package dev.nabla.compiler.codegen;

import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.Node;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The params whose plain SGD step ({@code ModelRun.backwardAndSgd}) the backward pass takes
 * inside their gradient's product: a weight matrix whose gradient is a fused {@code aTb} with the
 * bias sums ({@link ProductFusion#sumsOf}) written straight into the gradient's array, and that
 * nothing after that product in the backward pass reads (directly, or through values computed
 * where they are used: inline, absorbed or aliased). The product then updates each block of the
 * weights from its finished block of the gradient ({@code Gemm.aTb}'s SGD form), the same bits
 * as the step after the pass. Every other param is updated after the pass.
 */
final class SgdFusion {
  /** Each fused gradient node and its param's leaf node. */
  private final Map<Node, Node> params = new IdentityHashMap<>();
  private final Set<String> names = new java.util.HashSet<>();

  SgdFusion(Plan plan) {
    List<Node> backward = plan.backwardNodes();
    Map<String, Node> leaves = new java.util.HashMap<>();
    plan.program().model().params().forEach(p -> leaves.put(p.name(), p.node()));
    for (Map.Entry<String, Node> g : plan.program().gradients().entrySet()) {
      Node gradient = g.getValue();
      Node param = leaves.get(g.getKey());
      if (param == null || plan.fusion().sumsOf(gradient) == null || plan.storage(gradient) != Storage.BACKWARD) {
        continue;
      }
      int at = backward.indexOf(gradient);
      if (at >= 0 && !readAfter(plan, param, backward.subList(at + 1, backward.size()))) {
        params.put(gradient, param);
        names.add(g.getKey());
      }
    }
  }

  /** The param whose gradient {@code gradient} is, when its step is taken in the product; else null. */
  Node paramOf(Node gradient) {
    return params.get(gradient);
  }

  /** Whether param {@code name}'s step is taken in its gradient's product. */
  boolean fused(String name) {
    return names.contains(name);
  }

  /** Whether a node of {@code later} reads {@code param}, through the values computed where they are used. */
  private static boolean readAfter(Plan plan, Node param, List<Node> later) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Node> todo = new ArrayDeque<>();
    for (Node n : later) {
      todo.addAll(n.inputs());
    }
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (n == param) {
        return true;
      }
      if (!seen.add(n)) {
        continue;
      }
      Storage s = plan.storage(n);
      if (s == Storage.INLINE || s == Storage.ABSORBED || s == Storage.ALIAS) {
        todo.addAll(n.inputs());
      }
    }
    return false;
  }
}
