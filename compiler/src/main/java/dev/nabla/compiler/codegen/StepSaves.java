package dev.nabla.compiler.codegen;

import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Op;
import dev.nabla.compiler.graph.Recurrence;
import dev.nabla.compiler.graph.RecurrenceOutput;
import dev.nabla.compiler.graph.RecurrenceStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values a derivative's backward loop reads from its forward loop instead of recomputing
 * them. The backward step ({@code autodiff/BackwardRecurrence}) starts with a copy of the forward
 * step over the saved states ({@code previous(h)}), such as an LSTM's gates
 * {@code i = sigmoid(z[0:H])} from {@code z = Wx @ x + Wh @ h_prev + b}: a second forward pass,
 * about a quarter of the training step's arithmetic. Generated code does not run that copy: the
 * forward loop writes each value the backward step reads from it (the gates and {@code tanh(c)}
 * of an LSTM) into an array of all steps, and the backward loop reads step t's rows there in
 * place ({@link Plan.Rows}).
 *
 * <p>Which values: a backward step value is a copy of a forward step value when it is the same
 * op on copies (the forward step's leaves are the backward step's sequence elements and outer
 * values read from the same arrays). Of the copies, those read by the rest of the backward step
 * (the adjoints) are saved, unless a read needs the value in an array of its own (a product, a
 * layout op: those are recomputed from their own inputs, which are saved in turn). Only values
 * that differ per instance are saved: per instance, T times their sizes ({@code 5 T H} for an
 * LSTM, with the states' {@code 2 T H}), allocated with the forward loop's arrays and counted in
 * the memory check like them.
 *
 * <p>The arrays are laid out {@code [T, B, size]}, so that step t's rows are one contiguous run
 * (the forward loop fills it with one copy; the backward loop's flat element loops read it at an
 * offset).
 */
final class StepSaves {
  /** Per forward loop: the step values it saves, in step order. */
  private final Map<Node, List<Node>> saved = new IdentityHashMap<>();
  /** Per backward loop: its step values read from the saved arrays, each with its forward value. */
  private final Map<Node, Map<Node, Node>> restored = new IdentityHashMap<>();
  /** Per backward loop: the forward loop it reads. */
  private final Map<Node, Node> forwardLoops = new IdentityHashMap<>();

  private StepSaves() {}

  /** The saves between the loops of a program's forward and backward passes. */
  static StepSaves find(List<Node> forwardNodes, List<Node> backwardNodes) {
    StepSaves saves = new StepSaves();
    Set<Node> forwardLoops = Collections.newSetFromMap(new IdentityHashMap<>());
    forwardNodes.stream().filter(n -> n.op() instanceof Recurrence).forEach(forwardLoops::add);
    for (Node back : backwardNodes) {
      if (!(back.op() instanceof Recurrence)) {
        continue;
      }
      Node forward = readLoop(back, forwardLoops);
      if (forward == null) {
        continue;
      }
      saves.forwardLoops.put(back, forward);
      Map<Node, Node> copies = copies(back, forward);
      Map<Node, Node> found = frontier(((Recurrence) back.op()).step(), copies);
      if (found.isEmpty()) {
        continue;
      }
      saves.restored.put(back, found);
      List<Node> list = saves.saved.computeIfAbsent(forward, k -> new ArrayList<>());
      for (Node f : found.values()) {
        if (!list.contains(f)) {
          list.add(f);
        }
      }
      list.sort((a, b) -> Integer.compare(a.id(), b.id()));
    }
    return saves;
  }

  /** The forward step values a forward loop saves (none for other nodes). */
  List<Node> saved(Node forwardLoop) {
    return saved.getOrDefault(forwardLoop, List.of());
  }

  /** The backward step values a backward loop reads from its forward loop's saves, to their forward values. */
  Map<Node, Node> restored(Node backwardLoop) {
    return restored.getOrDefault(backwardLoop, Map.of());
  }

  /** The forward loop whose saves a backward loop reads, or null. */
  Node forwardLoop(Node backwardLoop) {
    return forwardLoops.get(backwardLoop);
  }

  /**
   * Whether every value of {@code step} that reads {@code v} (among those its results need,
   * not looking past {@code stop}) reads it element by element, through {@link Addressing#at}:
   * then v can be read in place in rows of all steps.
   */
  static boolean readElementwise(RecurrenceStep step, Node v, Set<Node> stop) {
    if (step.results().contains(v)) {
      return false;
    }
    for (Node n : needed(step, stop)) {
      if (n.inputs().contains(v) && !Plan.readsElementwise(n)) {
        return false;
      }
    }
    return true;
  }

  /** The forward loop among {@code forwardLoops} whose saved states the backward loop reads, or null. */
  private static Node readLoop(Node back, Set<Node> forwardLoops) {
    Recurrence op = (Recurrence) back.op();
    for (int i = 0; i < op.sequenceCount(); i++) {
      Node in = back.input(i);
      if (in.op() instanceof RecurrenceOutput && forwardLoops.contains(in.input(0))) {
        return in.input(0);
      }
    }
    return null;
  }

  /**
   * Each backward step value that is a copy of a forward step value (leaves included), to that
   * value: leaves by the arrays they are read from, other values by op and inputs.
   */
  private static Map<Node, Node> copies(Node back, Node forward) {
    Recurrence b = (Recurrence) back.op();
    Recurrence f = (Recurrence) forward.op();
    RecurrenceStep bs = b.step();
    RecurrenceStep fs = f.step();
    Map<Node, Node> copies = new IdentityHashMap<>();
    for (int i = 0; i < b.sequenceCount(); i++) {
      Node seq = back.input(i);
      Node leaf = bs.elements().get(i);
      if (seq.op() instanceof RecurrenceOutput o && seq.input(0) == forward && o.index() >= f.stateCount()) {
        copies.put(leaf, fs.collected().get(o.index() - f.stateCount()));
      }
      for (int j = 0; j < f.sequenceCount(); j++) {
        if (forward.input(j) == seq) {
          copies.put(leaf, fs.elements().get(j));
        }
      }
    }
    int bOuters = b.sequenceCount() + b.stateCount();
    int fOuters = f.sequenceCount() + f.stateCount();
    for (int o = 0; o < b.outerCount(); o++) {
      for (int j = 0; j < f.outerCount(); j++) {
        if (forward.input(fOuters + j) == back.input(bOuters + o)) {
          copies.put(bs.outers().get(o), fs.outers().get(j));
        }
      }
    }
    record Key(Op op, List<Integer> inputs) {}
    Map<Key, Node> computed = new HashMap<>();
    for (Node n : fs.schedule()) {
      computed.put(new Key(n.op(), n.inputs().stream().map(Node::id).toList()), n);
    }
    for (Node n : bs.schedule()) {
      List<Integer> ids = new ArrayList<>();
      for (Node in : n.inputs()) {
        Node copy = copies.get(in);
        if (copy == null) {
          ids = null;
          break;
        }
        ids.add(copy.id());
      }
      Node copy = ids == null ? null : computed.get(new Key(n.op(), ids));
      if (copy != null) {
        copies.put(n, copy);
      }
    }
    return copies;
  }

  /**
   * The copies the rest of the backward step reads, to save: from the step's results down, each
   * copy met is saved when it can be read in place, else recomputed from its inputs (met in turn).
   */
  private static Map<Node, Node> frontier(RecurrenceStep step, Map<Node, Node> copies) {
    List<Node> needed = needed(step, Set.of());
    List<Node> stack = new ArrayList<>();
    for (Node n : needed) {
      if (!copies.containsKey(n)) {
        stack.addAll(n.inputs());
      }
    }
    step.results().stream().filter(copies::containsKey).forEach(stack::add);
    Map<Node, Node> found = new LinkedHashMap<>();
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    while (!stack.isEmpty()) {
      Node v = stack.removeLast();
      Node copy = copies.get(v);
      if (copy == null || !seen.add(v) || v.op() instanceof Leaf || !v.batched()) {
        continue; // an adjoint, a leaf (read as a sequence), a value shared by the batch (computed)
      }
      if (copy.batched() && !(copy.op() instanceof Leaf) && readElementwise(step, v, Set.of())) {
        found.put(v, copy);
      } else {
        stack.addAll(v.inputs());
      }
    }
    return found;
  }

  /** The step's values its results need, not looking past {@code stop}, in step order. */
  private static List<Node> needed(RecurrenceStep step, Set<Node> stop) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> stack = new ArrayList<>(step.results());
    while (!stack.isEmpty()) {
      Node n = stack.removeLast();
      if (seen.add(n) && !stop.contains(n)) {
        stack.addAll(n.inputs());
      }
    }
    List<Node> order = new ArrayList<>(seen);
    order.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return order;
  }
}
