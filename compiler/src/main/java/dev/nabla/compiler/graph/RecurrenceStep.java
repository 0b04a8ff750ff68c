package dev.nabla.compiler.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The step function of a {@link Recurrence}: a small graph of its own, run once per step. Its
 * leaves stand for what one step reads, and its results are what one step gives:
 *
 * <ul>
 *   <li>{@link #elements}: one leaf per sequence input, element t of that sequence (the sequence
 *       without its first axis);
 *   <li>{@link #states}: one leaf per state, its value before the step (the initial value at the
 *       first step, then the previous step's update);
 *   <li>{@link #outers}: one leaf per value computed before the loop (params, inputs, outer
 *       values), the same at every step;
 *   <li>{@link #updates}: per state, its value after the step (same shape as its leaf);
 *   <li>{@link #collected}: values gathered from every step into a {@code [T, ...]} output.
 * </ul>
 *
 * A leaf is a {@link Leaf} of kind {@link Leaf.Kind#INPUT} when its value differs from instance
 * to instance of a batch and {@link Leaf.Kind#PARAM} when it does not (so that the step graph's
 * nodes know whether they are batched); its name is the name the source gives it, used for
 * printing only: a leaf's role is its position in these lists. Constants are nodes of the step
 * graph. The step graph never contains a {@code BatchMean} or another recurrence.
 *
 * <p>Code generation emits the step as the body of a {@code for t} loop: {@link #schedule} is the
 * step's non-leaf nodes in an order where inputs come first. Identity equality, as the graph's.
 */
public final class RecurrenceStep {
  private final Graph graph;
  private final List<Node> elements;
  private final List<Node> states;
  private final List<Node> outers;
  private final List<Node> updates;
  private final List<Node> collected;
  private final List<String> stateNames;
  private final List<String> collectNames;
  private final Map<Node, String> labels;
  private final List<Node> schedule;

  /**
   * @param stateNames each state's name (its update and its output after the loop are named so)
   * @param collectNames each collected value's name ({@code collect hs = h;} gives {@code hs})
   * @param labels names of other step values (for printing: {@code z = W @ x + U @ h;})
   */
  public RecurrenceStep(
      Graph graph,
      List<Node> elements,
      List<Node> states,
      List<Node> outers,
      List<Node> updates,
      List<Node> collected,
      List<String> stateNames,
      List<String> collectNames,
      Map<Node, String> labels) {
    this.graph = graph;
    this.elements = List.copyOf(elements);
    this.states = List.copyOf(states);
    this.outers = List.copyOf(outers);
    this.updates = List.copyOf(updates);
    this.collected = List.copyOf(collected);
    this.stateNames = List.copyOf(stateNames);
    this.collectNames = List.copyOf(collectNames);
    this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    Set<Node> leaves = Collections.newSetFromMap(new IdentityHashMap<>());
    for (List<Node> role : List.of(this.elements, this.states, this.outers)) {
      for (Node leaf : role) {
        if (!(leaf.op() instanceof Leaf) || !leaves.add(leaf)) {
          throw new IllegalStateException("internal: step leaf " + leaf + " is not a distinct leaf");
        }
      }
    }
    if (updates.size() != states.size() || stateNames.size() != states.size()
        || collectNames.size() != collected.size()) {
      throw new IllegalStateException("internal: step lists of different lengths");
    }
    for (int k = 0; k < states.size(); k++) {
      if (!updates.get(k).shape().equals(states.get(k).shape())) {
        throw Op.badShapes("state update", List.of(states.get(k).shape(), updates.get(k).shape()));
      }
    }
    this.schedule = schedule(leaves);
  }

  public Graph graph() {
    return graph;
  }

  public List<Node> elements() {
    return elements;
  }

  public List<Node> states() {
    return states;
  }

  public List<Node> outers() {
    return outers;
  }

  public List<Node> updates() {
    return updates;
  }

  public List<Node> collected() {
    return collected;
  }

  public List<String> stateNames() {
    return stateNames;
  }

  public List<String> collectNames() {
    return collectNames;
  }

  /** Names of step values other than leaves, states' updates and collected values. */
  public Map<Node, String> labels() {
    return labels;
  }

  /** The results of one step: the updates, then the collected values. */
  public List<Node> results() {
    List<Node> all = new ArrayList<>(updates);
    all.addAll(collected);
    return all;
  }

  /**
   * The non-leaf nodes the results need, inputs before their users (graph creation order).
   * Leaves are bound by role; everything else is computed in this order at every step.
   */
  public List<Node> schedule() {
    return schedule;
  }

  /** The same roles with other results (the simplifier's rewritten updates and collected values). */
  public RecurrenceStep withResults(List<Node> updates, List<Node> collected, Map<Node, String> labels) {
    return new RecurrenceStep(
        graph, elements, states, outers, updates, collected, stateNames, collectNames, labels);
  }

  private List<Node> schedule(Set<Node> leaves) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> stack = new ArrayList<>(results());
    List<Node> found = new ArrayList<>();
    while (!stack.isEmpty()) {
      Node n = stack.removeLast();
      if (!seen.add(n)) {
        continue;
      }
      if (n.op() instanceof Leaf) {
        if (!leaves.contains(n)) {
          throw new IllegalStateException("internal: step reads a leaf without a role: " + n);
        }
        continue;
      }
      if (n.op() instanceof Recurrence || n.op() instanceof BatchMean) {
        throw new IllegalStateException("internal: a step cannot contain " + n);
      }
      found.add(n);
      stack.addAll(n.inputs());
    }
    found.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return List.copyOf(found);
  }

  /** Whether a step leaf is batched: see the class comment. */
  public static Leaf.Kind leafKind(boolean batched) {
    return batched ? Leaf.Kind.INPUT : Leaf.Kind.PARAM;
  }

  @Override
  public String toString() {
    return "step(" + stateNames + " -> " + collectNames + ")";
  }
}
