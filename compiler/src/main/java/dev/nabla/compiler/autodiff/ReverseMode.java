package dev.nabla.compiler.autodiff;

import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Origin;
import dev.nabla.compiler.graph.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation by the distributed chain rule: seed dL/dL = 1, then visit the
 * values in reverse topological order and give each value c the sum over its children u of
 * dL/du * du/dc, where each op's own rule ({@code Op.vjp}) supplies the terms. Only values on a
 * path from a param or grad input to the loss are visited.
 */
public final class ReverseMode {
  private ReverseMode() {}

  /** The derivative program of a checked model, or null after reporting an error. */
  public static DerivativeProgram differentiate(CheckedModel model, Diagnostics diagnostics) {
    Graph g = model.graph();
    List<Node> forward = forwardNodes(model);
    Set<Node> wrt = Collections.newSetFromMap(new IdentityHashMap<>());
    model.params().forEach(p -> wrt.add(p.node()));
    for (CheckedModel.Declared in : model.inputs()) {
      if (model.gradInputs().contains(in.name())) {
        wrt.add(in.node());
      }
    }
    Set<Node> needed = needsGradient(forward, wrt);

    Map<Node, List<Node>> terms = new IdentityHashMap<>();
    Map<Node, Node> adjoints = new LinkedHashMap<>();
    terms.put(model.loss(), new ArrayList<>(List.of(g.constant(1))));
    for (Node c : forward.reversed()) {
      List<Node> contributions = terms.get(c);
      if (!needed.contains(c) || contributions == null) {
        continue;
      }
      Origin previous = g.setOrigin(new Origin(c.origin().span(), "sum of contributions to " + describe(model, c)));
      Node adjoint = contributions.getFirst();
      for (Node term : contributions.subList(1, contributions.size())) {
        adjoint = g.add(adjoint, term);
      }
      adjoints.put(c, adjoint);
      try {
        g.setOrigin(new Origin(c.origin().span(), chainTerm(model, c)));
        List<Node> local = c.op().vjp(g, c, adjoint);
        for (int i = 0; i < local.size(); i++) {
          Node input = c.input(i);
          Node term = local.get(i);
          if (term == null || !needed.contains(input)) {
            continue;
          }
          if (c.batched() && !input.batched()) {
            term = g.batchMean(term); // a shared value: its gradient is the batch mean
          }
          terms.computeIfAbsent(input, k -> new ArrayList<>()).add(term);
        }
      } catch (UnsupportedOperationException noRule) {
        diagnostics.error(
            model.source(),
            c.origin().span(),
            "cannot differentiate " + c.op() + ": it has no derivative rule (please report)");
        return null;
      } finally {
        g.setOrigin(previous);
      }
    }

    Map<String, Node> gradients = new LinkedHashMap<>();
    for (CheckedModel.ParamInfo p : model.params()) {
      gradients.put(p.name(), adjointOrZero(g, adjoints, p.node()));
    }
    for (CheckedModel.Declared in : model.inputs()) {
      if (model.gradInputs().contains(in.name())) {
        gradients.put(in.name(), adjointOrZero(g, adjoints, in.node()));
      }
    }
    return new DerivativeProgram(model, adjoints, gradients, forward);
  }

  /** A value that does not reach the loss has a zero gradient (a broadcast 0, not a silent gap). */
  private static Node adjointOrZero(Graph g, Map<Node, Node> adjoints, Node leaf) {
    Node a = adjoints.get(leaf);
    return a != null ? a : g.broadcast(g.constant(0), leaf.shape());
  }

  /** Every node the loss and the outputs depend on, in topological (id) order. */
  static List<Node> forwardNodes(CheckedModel model) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> stack = new ArrayList<>();
    stack.add(model.loss());
    stack.addAll(model.outputs().values());
    while (!stack.isEmpty()) {
      Node n = stack.removeLast();
      if (seen.add(n)) {
        stack.addAll(n.inputs());
      }
    }
    List<Node> order = new ArrayList<>(seen);
    order.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return order;
  }

  /** The nodes on a path from one of {@code wrt} (inclusive) to anything downstream. */
  private static Set<Node> needsGradient(List<Node> order, Set<Node> wrt) {
    Set<Node> needed = new HashSet<>();
    for (Node n : order) {
      if (wrt.contains(n) || n.inputs().stream().anyMatch(needed::contains)) {
        needed.add(n);
      }
    }
    return needed;
  }

  /** The chain-rule term a node's rule implements, e.g. {@code dL/dz1 * dz1/d(inputs)}. */
  private static String chainTerm(CheckedModel model, Node c) {
    String u = describe(model, c);
    List<String> inputs = new ArrayList<>();
    for (Node in : c.inputs()) {
      inputs.add(describe(model, in));
    }
    return "dL/d" + u + " * d" + u + "/d(" + String.join(", ", inputs) + ")";
  }

  /** A value's source name, or its op and position when it has none. */
  static String describe(CheckedModel model, Node n) {
    String label = model.labels().get(n);
    if (label != null) {
      return label;
    }
    return "[" + n.op() + (n.origin().span().isKnown() ? " at " + n.origin().span() : "") + "]";
  }

}
