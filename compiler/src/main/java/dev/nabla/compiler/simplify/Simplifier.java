package dev.nabla.compiler.simplify;

import dev.nabla.compiler.autodiff.DerivativeProgram;
import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Origin;
import dev.nabla.compiler.graph.Recurrence;
import dev.nabla.compiler.graph.RecurrenceStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Simplifies a derivative program: every node, inputs first, is rewritten by the {@link Rules}
 * until no rule applies. Equal subexpressions become one node on the way (the graph interns
 * them), and what no gradient needs any more is dropped because only what the gradients reach
 * is part of the result. Forward values are left as the model wrote them.
 */
public final class Simplifier {
  private static final int MAX_REWRITES_PER_NODE = 200;

  /** A rule that fired, and at which node (for {@code nabla grad --trace}). */
  public record Firing(String rule, Node before, Node after) {}

  /**
   * The simplified program, every rule that fired in order, and the size of the derivative part
   * of the program (nodes not in the forward program) before and after.
   */
  public record Result(DerivativeProgram program, List<Firing> firings, int nodesBefore, int nodesAfter) {}

  private final Graph graph;
  private final Set<Node> forward;
  private final List<Rule> rules;
  private final Map<Node, Node> done = new IdentityHashMap<>();
  private final List<Firing> firings = new ArrayList<>();

  private Simplifier(Graph graph, Set<Node> forward, List<Rule> rules) {
    this.graph = graph;
    this.forward = forward;
    this.rules = rules;
  }

  public static Result simplify(DerivativeProgram program) {
    return simplify(program, Rules.ALL);
  }

  public static Result simplify(DerivativeProgram program, List<Rule> rules) {
    Set<Node> forward = Collections.newSetFromMap(new IdentityHashMap<>());
    forward.addAll(program.forward());
    Simplifier s = new Simplifier(program.model().graph(), forward, rules);
    Map<Node, Node> adjoints = new LinkedHashMap<>();
    program.adjoints().forEach((value, adjoint) -> adjoints.put(value, s.simplify(adjoint)));
    Map<String, Node> gradients = new LinkedHashMap<>();
    program.gradients().forEach((name, g) -> gradients.put(name, s.simplify(g)));
    int before = derivativeSize(program.gradients().values(), forward);
    int after = derivativeSize(gradients.values(), forward);
    return new Result(program.with(adjoints, gradients), List.copyOf(s.firings), before, after);
  }

  private Node simplify(Node n) {
    if (forward.contains(n)) {
      return n;
    }
    Node known = done.get(n);
    if (known != null) {
      return known;
    }
    Origin previous = graph.setOrigin(n.origin());
    try {
      List<Node> inputs = new ArrayList<>(n.inputs().size());
      boolean changed = false;
      for (Node in : n.inputs()) {
        Node s = simplify(in);
        changed |= s != in;
        inputs.add(s);
      }
      Node current = changed ? graph.make(n.op(), inputs) : n;
      if (current.op() instanceof Recurrence r) {
        RecurrenceStep step = simplifyStep(r.step());
        if (step != r.step()) {
          current = graph.make(new Recurrence(step, r.reverse()), current.inputs());
        }
      }
      for (int i = 0; i < MAX_REWRITES_PER_NODE; i++) {
        Node rewritten = rewriteOnce(current);
        if (rewritten == null) {
          break;
        }
        current = rewritten;
      }
      done.put(n, current);
      done.put(current, current);
      return current;
    } finally {
      graph.setOrigin(previous);
    }
  }

  /**
   * A derivative's step (a backward loop's) with its results simplified by the same rules, in
   * its own graph; the same step when nothing changed.
   */
  private RecurrenceStep simplifyStep(RecurrenceStep step) {
    Simplifier inner = new Simplifier(step.graph(), Set.of(), rules);
    List<Node> updates = step.updates().stream().map(inner::simplify).toList();
    List<Node> collected = step.collected().stream().map(inner::simplify).toList();
    firings.addAll(inner.firings);
    if (updates.equals(step.updates()) && collected.equals(step.collected())) {
      return step;
    }
    Map<Node, String> labels = new IdentityHashMap<>();
    step.labels().forEach((node, label) -> {
      Node now = inner.done.getOrDefault(node, node);
      labels.putIfAbsent(now, label);
    });
    return step.withResults(updates, collected, labels);
  }

  /** Applies the first rule that fires at {@code n}, simplifying what it built; null if none. */
  private Node rewriteOnce(Node n) {
    for (Rule rule : rules) {
      Node r = rule.rewrite().apply(graph, n);
      if (r != null && r != n) {
        if (!r.shape().equals(n.shape())) {
          throw new IllegalStateException(
              "internal: rule '" + rule.name() + "' changed " + n.shape() + " to " + r.shape());
        }
        firings.add(new Firing(rule.name(), n, r));
        return simplifyNew(r);
      }
    }
    return null;
  }

  /** Simplifies a node a rule just built (its inputs may be new, too). */
  private Node simplifyNew(Node r) {
    return forward.contains(r) ? r : simplify(r);
  }

  /** The number of distinct nodes outside the forward program that the roots reach. */
  static int derivativeSize(java.util.Collection<Node> roots, Set<Node> forward) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> stack = new ArrayList<>(roots);
    while (!stack.isEmpty()) {
      Node n = stack.removeLast();
      if (!forward.contains(n) && seen.add(n)) {
        stack.addAll(n.inputs());
      }
    }
    return seen.size();
  }
}
