package dev.nabla.compiler.codegen;

import dev.nabla.compiler.codegen.Plan.Binding;
import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Recurrence;
import dev.nabla.compiler.graph.RecurrenceOutput;
import dev.nabla.compiler.graph.RecurrenceStep;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arrays of one recurrence's loop ({@link RecurrenceCode} writes it), all allocated once per
 * batch size in the class that runs the loop, so that a step allocates nothing:
 *
 * <ul>
 *   <li>per sequence, {@code [B, size]} rows: at step t the loop copies row t of every instance's
 *       sequence there, so that the step's products take the batch's rows as one matrix;
 *   <li>per state, the array carrying it from step to step: the buffer of the state's final
 *       output when the program reads it (the last step leaves the final value there), else an
 *       array of its own; after each step the state's update is copied into it;
 *   <li>per value computed before the loop that has no array (a literal, a hyper), a copy in an
 *       array, made before the loop;
 *   <li>the step's own values: the arrays of {@link #step}, a plan of the step graph whose
 *       scratch values share arrays by liveness within the step ({@link MemoryPlan}).
 * </ul>
 *
 * Collected values go straight into their outputs' {@code [B, T, ...]} buffers, row t at step t.
 * Nothing of a step is kept for the derivative beyond the outputs: the backward loop recomputes
 * a step from the states collected before it ({@code graph/Recurrence}).
 */
final class RecurrencePlan {
  /** An array of the loop's own: its field name and size per instance (or in all, when shared). */
  record Field(String name, int size, boolean batched) {}

  final Node node;
  final Recurrence op;
  final int steps;
  final Plan step;
  /** Per sequence: the field its step rows are copied into. */
  final List<String> rows = new ArrayList<>();
  /** Per state: the array carrying it (an output's buffer, or one of {@link #fields}). */
  final List<String> carried = new ArrayList<>();
  /** Per state: whether {@link #carried} is the final output's buffer. */
  final List<Boolean> carriedInOutput = new ArrayList<>();
  /** Per output (states, then collected values): its node in the pass, or null when unused. */
  final List<Node> outputs = new ArrayList<>();
  /**
   * Per state: null, or when its update is another state's value before the step ({@code h = c;
   * c = h;}), an array the update is copied to first, so that no state is overwritten before
   * it is read.
   */
  final List<String> swaps = new ArrayList<>();
  /** Per outer value: the field holding a copy of it, or null when the step reads it in place. */
  final List<String> copies = new ArrayList<>();
  /** The arrays of the loop's own, to declare. */
  final List<Field> fields = new ArrayList<>();

  RecurrencePlan(Plan plan, Node node, JavaNames names, boolean fuseProducts) {
    this.node = node;
    this.op = (Recurrence) node.op();
    this.steps = Recurrence.steps(node.inputs().stream().map(Node::shape).toList());
    RecurrenceStep s = op.step();
    for (int k = 0; k < op.outputCount(); k++) {
      outputs.add(null);
    }
    for (Node c : plan.consumers(node)) {
      if (c.op() instanceof RecurrenceOutput o) {
        outputs.set(o.index(), c);
      }
    }
    Map<Node, Binding> bindings = new IdentityHashMap<>();
    for (int i = 0; i < s.elements().size(); i++) {
      Node leaf = s.elements().get(i);
      String field = own(names, ((Leaf) leaf.op()).name() + "_rows", leaf);
      rows.add(field);
      bindings.put(leaf, new Binding(null, field));
    }
    for (int k = 0; k < s.states().size(); k++) {
      Node leaf = s.states().get(k);
      Node out = outputs.get(k);
      boolean inOutput = out != null && out.batched() == leaf.batched() && plan.name(out) != null
          && plan.slot(out) == null && (plan.storage(out) == Storage.FORWARD || plan.storage(out) == Storage.BACKWARD);
      String field = inOutput ? plan.name(out) : own(names, s.stateNames().get(k), leaf);
      carried.add(field);
      carriedInOutput.add(inOutput);
      bindings.put(leaf, new Binding(null, field));
    }
    for (int k = 0; k < s.states().size(); k++) {
      Node update = s.updates().get(k);
      boolean other = update != s.states().get(k) && s.states().contains(update);
      swaps.add(other ? own(names, s.stateNames().get(k) + "_swap", s.states().get(k)) : null);
    }
    int first = op.sequenceCount() + op.stateCount();
    for (int o = 0; o < s.outers().size(); o++) {
      Node leaf = s.outers().get(o);
      Node outer = node.input(first + o);
      if (holdsArray(plan.storage(outer))) {
        copies.add(null);
        bindings.put(leaf, new Binding(outer, null));
      } else {
        String field = own(names, "outer" + o, leaf);
        copies.add(field);
        bindings.put(leaf, new Binding(null, field));
      }
    }
    this.step = new Plan(plan, s, bindings, names, fuseProducts);
  }

  /** The sequence input {@code i}, the initial value of state {@code k}, the outer value {@code o}. */
  Node sequence(int i) {
    return node.input(i);
  }

  Node initial(int k) {
    return node.input(op.sequenceCount() + k);
  }

  Node outer(int o) {
    return node.input(op.sequenceCount() + op.stateCount() + o);
  }

  private String own(JavaNames names, String wanted, Node leaf) {
    String name = names.of(wanted);
    fields.add(new Field(name, leaf.shape().size(), leaf.batched()));
    return name;
  }

  private static boolean holdsArray(Storage s) {
    return s == Storage.INPUT || s == Storage.PARAM || s == Storage.FORWARD || s == Storage.BACKWARD
        || s == Storage.ALIAS;
  }
}
