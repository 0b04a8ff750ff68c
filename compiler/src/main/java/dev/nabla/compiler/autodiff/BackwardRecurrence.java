package dev.nabla.compiler.autodiff;

import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Origin;
import dev.nabla.compiler.graph.Recurrence;
import dev.nabla.compiler.graph.RecurrenceStep;
import dev.nabla.compiler.graph.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Backpropagation through time: the derivative of a {@link Recurrence} is a recurrence again,
 * running the other way over the adjoints. Its step is the forward step's own derivative program,
 * made by the same reverse mode ({@link ReverseMode#propagate}) on the step's graph:
 *
 * <ul>
 *   <li>it reads, per step t, row t of each forward sequence, each state's value before forward
 *       step t (which the forward loop collects: see {@link Recurrence}) and row t of the adjoint
 *       of each collected value that has one;
 *   <li>it recomputes forward step t's intermediate values from those (as a program: generated
 *       code reads those the rest of the step needs from arrays the forward loop fills,
 *       {@code codegen/StepSaves}, and skips the recomputation);
 *   <li>it carries, as states, the adjoint of each forward state (initially the adjoint of its
 *       final value, or 0) and, for each outer value that needs a gradient (params, values
 *       computed before the loop), the sum of its adjoint contributions over the steps done so far
 *       (initially 0);
 *   <li>it collects, per step, the adjoint of each sequence's element that needs one.
 * </ul>
 *
 * After the backward loop (t = T-1 down to 0) its final states are the adjoints of the forward
 * states' initial values and of the outer values, and its collected values the adjoints of the
 * sequences. Everything stays per instance; reverse mode averages a shared value's gradient over
 * the batch after the loop. The simplifier simplifies the backward step like any other derivative.
 */
final class BackwardRecurrence {
  private final Graph outer;
  private final Node forward;
  private final Recurrence rec;
  private final RecurrenceStep step;
  private final Graph back = new Graph();
  /** Forward step node to its copy in the backward step. */
  private final Map<Node, Node> copies = new IdentityHashMap<>();
  private final Set<String> taken = new HashSet<>();

  private BackwardRecurrence(Graph outer, Node forward) {
    this.outer = outer;
    this.forward = forward;
    this.rec = (Recurrence) forward.op();
    this.step = rec.step();
  }

  /**
   * The adjoint contribution to each input of the recurrence node {@code forward} (null where
   * {@code needed} says none is needed), given the adjoints of its outputs (null where an output
   * has none), as outputs of one backward recurrence built in {@code outer}.
   */
  static List<Node> terms(Graph outer, Node forward, List<Node> outputAdjoints, List<Boolean> needed) {
    return new BackwardRecurrence(outer, forward).build(outputAdjoints, needed);
  }

  private List<Node> build(List<Node> outputAdjoints, List<Boolean> needed) {
    int sequences = rec.sequenceCount();
    int states = rec.stateCount();
    List<Node> forwardOutputs = outer.recurrenceOutputs(forward);
    collectNames();

    // The backward loop's sequences: forward sequences, states before each step, adjoints of
    // collected values.
    List<Node> backSequences = new ArrayList<>();
    List<Node> backElements = new ArrayList<>();
    for (int i = 0; i < sequences; i++) {
      backSequences.add(forward.input(i));
      backElements.add(copyLeaf(step.elements().get(i)));
    }
    for (int k = 0; k < states; k++) {
      Node state = step.states().get(k);
      int saved = step.collected().indexOf(state);
      if (saved < 0) {
        throw new IllegalStateException("internal: the loop does not save state " + state);
      }
      backSequences.add(forwardOutputs.get(states + saved));
      Leaf l = (Leaf) state.op();
      Node leaf = back.leaf(l.kind(), fresh(step.stateNames().get(k) + "_prev"), l.declared());
      copies.put(state, leaf);
      backElements.add(leaf);
    }
    List<Node> seeds = new ArrayList<>(); // adjoint leaf per result of the forward step, or null
    for (int m = 0; m < step.collected().size(); m++) {
      Node adjoint = outputAdjoints.get(states + m);
      if (adjoint == null) {
        continue;
      }
      Node collected = step.collected().get(m);
      backSequences.add(adjoint);
      backElements.add(leaf(adjoint.batched(), "d" + step.collectNames().get(m) + "_t", collected.shape()));
    }

    // Its states: the forward states' adjoints, then the outer values' accumulated adjoints.
    List<Node> backStates = new ArrayList<>();
    List<Node> initials = new ArrayList<>();
    List<String> stateNames = new ArrayList<>();
    boolean batched = forward.batched() || outputAdjoints.stream().anyMatch(a -> a != null && a.batched());
    for (int k = 0; k < states; k++) {
      Node state = step.states().get(k);
      String name = fresh("d" + step.stateNames().get(k) + "_t");
      backStates.add(back.leaf(RecurrenceStep.leafKind(batched), name, state.shape()));
      stateNames.add(name);
      Node adjoint = outputAdjoints.get(k);
      initials.add(adjoint != null ? adjoint : zeros(outer, state.shape()));
    }
    List<Integer> accumulated = new ArrayList<>();
    for (int j = 0; j < rec.outerCount(); j++) {
      if (needed.get(sequences + states + j)) {
        Node o = step.outers().get(j);
        String name = fresh("sum_d" + ((Leaf) o.op()).name());
        backStates.add(back.leaf(RecurrenceStep.leafKind(batched), name, o.shape()));
        stateNames.add(name);
        initials.add(zeros(outer, o.shape()));
        accumulated.add(j);
      }
    }
    List<Node> backOuters = new ArrayList<>();
    for (Node o : step.outers()) {
      backOuters.add(copyLeaf(o));
    }

    // The forward step again, on the backward step's leaves, and its reverse mode.
    for (Node n : step.schedule()) {
      Origin previous = back.setOrigin(n.origin());
      try {
        copies.put(n, back.make(n.op(), n.inputs().stream().map(copies::get).toList()));
      } finally {
        back.setOrigin(previous);
      }
    }
    Map<Node, List<Node>> terms = new IdentityHashMap<>();
    for (int k = 0; k < states; k++) {
      seed(terms, copies.get(step.updates().get(k)), backStates.get(k));
    }
    int adjointElement = sequences + states;
    for (int m = 0; m < step.collected().size(); m++) {
      if (outputAdjoints.get(states + m) != null) {
        seed(terms, copies.get(step.collected().get(m)), backElements.get(adjointElement++));
      }
    }
    List<Node> order = new ArrayList<>(copies.values());
    order.sort((a, b) -> Integer.compare(a.id(), b.id()));
    Set<Node> wrt = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < sequences; i++) {
      if (needed.get(i)) {
        wrt.add(copies.get(step.elements().get(i)));
      }
    }
    step.states().forEach(s -> wrt.add(copies.get(s)));
    accumulated.forEach(j -> wrt.add(copies.get(step.outers().get(j))));
    Map<Node, String> labels = new IdentityHashMap<>();
    step.labels().forEach((n, name) -> {
      if (copies.containsKey(n)) {
        labels.put(copies.get(n), name);
      }
    });
    Map<Node, Node> adjoints = ReverseMode.propagate(
        back, order, terms, ReverseMode.needsGradient(order, wrt), false,
        n -> describe(n, labels));

    // Updates and collected values of the backward step.
    List<Node> updates = new ArrayList<>();
    for (int k = 0; k < states; k++) {
      Node state = copies.get(step.states().get(k));
      updates.add(orZero(adjoints.get(state), state.shape()));
    }
    for (int a = 0; a < accumulated.size(); a++) {
      Node o = copies.get(step.outers().get(accumulated.get(a)));
      Node sum = backStates.get(states + a);
      Node contribution = adjoints.get(o);
      updates.add(contribution == null ? sum : back.add(sum, contribution));
    }
    List<Node> collected = new ArrayList<>();
    List<String> collectNames = new ArrayList<>();
    List<Integer> collectedOf = new ArrayList<>();
    for (int i = 0; i < sequences; i++) {
      if (needed.get(i)) {
        Node element = copies.get(step.elements().get(i));
        collected.add(orZero(adjoints.get(element), element.shape()));
        collectNames.add(fresh("d" + ((Leaf) element.op()).name()));
        collectedOf.add(i);
      }
    }
    Map<Node, String> names = new IdentityHashMap<>();
    step.labels().forEach((n, name) -> {
      Node copy = copies.get(n);
      if (copy != null) {
        names.putIfAbsent(copy, name);
        Node adjoint = adjoints.get(copy);
        if (adjoint != null && !(adjoint.op() instanceof Leaf) && !taken.contains("d" + name)) {
          names.putIfAbsent(adjoint, fresh("d" + name));
        }
      }
    });
    RecurrenceStep backward = new RecurrenceStep(
        back, backElements, backStates, backOuters, updates, collected, stateNames, collectNames, names);
    Node node = outer.recurrence(backward, !rec.reverse(), backSequences, initials, forward.inputs().subList(
        sequences + states, forward.inputs().size()));
    List<Node> outputs = outer.recurrenceOutputs(node);

    // The terms: a sequence's adjoint is collected, an initial value's and an outer value's are
    // final states.
    List<Node> result = new ArrayList<>(Collections.nCopies(forward.inputs().size(), (Node) null));
    for (int c = 0; c < collectedOf.size(); c++) {
      result.set(collectedOf.get(c), outputs.get(backStates.size() + c));
    }
    for (int k = 0; k < states; k++) {
      if (needed.get(sequences + k)) {
        result.set(sequences + k, outputs.get(k));
      }
    }
    for (int a = 0; a < accumulated.size(); a++) {
      result.set(sequences + states + accumulated.get(a), outputs.get(states + a));
    }
    return result;
  }

  /** The names the forward step uses are taken: the backward step's new names avoid them. */
  private void collectNames() {
    for (List<Node> role : List.of(step.elements(), step.states(), step.outers())) {
      role.forEach(l -> taken.add(((Leaf) l.op()).name()));
    }
    taken.addAll(step.stateNames());
    taken.addAll(step.collectNames());
    taken.addAll(step.labels().values());
  }

  private String fresh(String wanted) {
    String name = wanted;
    for (int i = 2; !taken.add(name); i++) {
      name = wanted + "_" + i;
    }
    return name;
  }

  /** The backward step's leaf for a forward step leaf, recorded as its copy. */
  private Node copyLeaf(Node forwardLeaf) {
    Leaf l = (Leaf) forwardLeaf.op();
    Node leaf = back.leaf(l.kind(), l.name(), l.declared());
    copies.put(forwardLeaf, leaf);
    return leaf;
  }

  private Node leaf(boolean batched, String wanted, Shape shape) {
    return back.leaf(RecurrenceStep.leafKind(batched), fresh(wanted), shape);
  }

  private static void seed(Map<Node, List<Node>> terms, Node value, Node adjoint) {
    terms.computeIfAbsent(value, k -> new ArrayList<>()).add(adjoint);
  }

  private Node orZero(Node adjoint, Shape shape) {
    return adjoint != null ? adjoint : zeros(back, shape);
  }

  private static Node zeros(Graph g, Shape shape) {
    return g.broadcast(g.constant(0), shape);
  }

  private static String describe(Node n, Map<Node, String> labels) {
    String label = labels.get(n);
    if (label != null) {
      return label;
    }
    if (n.op() instanceof Leaf l) {
      return l.name();
    }
    return "[" + n.op() + (n.origin().span().isKnown() ? " at " + n.origin().span() : "") + "]";
  }
}
