package dev.nabla.compiler.autodiff;

import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Origin;
import dev.nabla.compiler.graph.Recurrence;
import dev.nabla.compiler.graph.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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
    terms.put(model.loss(), new ArrayList<>(List.of(g.constant(1))));
    Map<Node, Node> adjoints;
    try {
      adjoints = propagate(g, forward, terms, needed, true, n -> describe(model, n));
    } catch (NoRule e) {
      diagnostics.error(
          model.source(),
          e.node.origin().span(),
          "cannot differentiate " + e.node.op() + ": it has no derivative rule (please report)");
      return null;
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

  /** An op without a derivative rule, met at {@code node}. */
  static final class NoRule extends RuntimeException {
    final transient Node node;

    NoRule(Node node) {
      super(null, null, false, false);
      this.node = node;
    }
  }

  /**
   * The distributed chain rule over {@code order} (a topological order), visited in reverse:
   * each value in {@code needed} that has terms gets their sum as its adjoint, and its op's rule
   * adds terms to its inputs. A recurrence is differentiated once for all of its outputs, from
   * their adjoints, into a backward recurrence ({@link BackwardRecurrence}).
   *
   * @param terms the seeds (dL/dL = 1, or the adjoints of a step's results); filled on the way
   * @param meanOverBatch whether a per-instance term flowing into a shared value is averaged over
   *     the batch (the model's graph), or kept per instance (a step's graph: the recurrence's
   *     outputs are averaged once, after the loop)
   * @param describe a value's name for the chain-rule terms recorded in origins
   * @return each visited value's adjoint, in the order they were made
   */
  static Map<Node, Node> propagate(
      Graph g,
      List<Node> order,
      Map<Node, List<Node>> terms,
      Set<Node> needed,
      boolean meanOverBatch,
      Function<Node, String> describe) {
    Map<Node, Node> adjoints = new LinkedHashMap<>();
    for (Node c : order.reversed()) {
      if (!needed.contains(c)) {
        continue;
      }
      Origin previous = g.setOrigin(c.origin());
      try {
        List<Node> local;
        if (c.op() instanceof Recurrence) {
          List<Node> outputAdjoints = new ArrayList<>();
          g.recurrenceOutputs(c).forEach(o -> outputAdjoints.add(adjoints.get(o)));
          if (outputAdjoints.stream().allMatch(java.util.Objects::isNull)) {
            continue;
          }
          g.setOrigin(new Origin(c.origin().span(), "backward loop of " + describe.apply(c)));
          local = BackwardRecurrence.terms(g, c, outputAdjoints, c.inputs().stream().map(needed::contains).toList());
        } else {
          List<Node> contributions = terms.get(c);
          if (contributions == null) {
            continue;
          }
          g.setOrigin(new Origin(c.origin().span(), "sum of contributions to " + describe.apply(c)));
          Node adjoint = contributions.getFirst();
          for (Node term : contributions.subList(1, contributions.size())) {
            adjoint = g.add(adjoint, term);
          }
          adjoints.put(c, adjoint);
          g.setOrigin(new Origin(c.origin().span(), chainTerm(c, describe)));
          local = c.op().vjp(g, c, adjoint);
        }
        for (int i = 0; i < local.size(); i++) {
          Node input = c.input(i);
          Node term = local.get(i);
          if (term == null || !needed.contains(input)) {
            continue;
          }
          if (meanOverBatch && c.batched() && !input.batched()) {
            term = g.batchMean(term); // a shared value: its gradient is the batch mean
          }
          terms.computeIfAbsent(input, k -> new ArrayList<>()).add(term);
        }
      } catch (UnsupportedOperationException noRule) {
        throw new NoRule(c);
      } finally {
        g.setOrigin(previous);
      }
    }
    return adjoints;
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
  static Set<Node> needsGradient(List<Node> order, Set<Node> wrt) {
    Set<Node> needed = new HashSet<>();
    for (Node n : order) {
      if (wrt.contains(n) || n.inputs().stream().anyMatch(needed::contains)) {
        needed.add(n);
      }
    }
    return needed;
  }

  /** The chain-rule term a node's rule implements, e.g. {@code dL/dz1 * dz1/d(inputs)}. */
  private static String chainTerm(Node c, Function<Node, String> describe) {
    String u = describe.apply(c);
    List<String> inputs = new ArrayList<>();
    for (Node in : c.inputs()) {
      inputs.add(describe.apply(in));
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
