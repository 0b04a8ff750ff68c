package dev.nabla.compiler.print;

import dev.nabla.compiler.graph.Broadcast;
import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.Node;
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
import java.util.function.UnaryOperator;

/**
 * How a loop of a derivative program (a backward recurrence) is printed as a {@code for} block
 * that parses back:
 *
 * <pre>
 * for x in reverse(xs), h_prev in reverse(previous(h)), dhs_t in reverse(dhs) {
 *   state dh[3] = 0;
 *   state sum_dW[3, 2] = 0;
 *   dz = (dh + dhs_t) * (1 - t1 ^ 2);
 *   collect dxs = W.T @ dz;
 *   dh = U.T @ dz;
 *   sum_dW = sum_dW + outer(dz, x);
 * }
 * </pre>
 *
 * Inside the block a state's name is its previous value until its update, so the lines come in
 * this order: the step's named values (its labels, and values used more than once), the collected
 * values, then the updates, each of which reads no other state (an update that would is named as
 * a value first). The step's nodes get their names in the program's one name map (they are nodes
 * of the step's own graph, so they cannot clash with the model's), and the block's names are
 * fresh: its element and value names are new to the model, its state and collect names new to
 * the program (they are visible after the loop).
 *
 * @param header each element's name and the sequence it runs over (a node of the model's graph)
 * @param states each state's name, shape and initial value
 * @param locals the step's named values, in an order where inputs come first
 * @param collected each collected value's name and node
 * @param updates each state's name and its new value
 * @param kept by state, the local that holds its new value when that is another state's previous
 *     value (copied before either changes)
 */
record LoopLayout(
    Node loop,
    boolean reverse,
    List<Named> header,
    List<State> states,
    List<Named> locals,
    List<Named> collected,
    List<Named> updates,
    Map<Integer, String> kept) {

  record Named(String name, Node node) {}

  record State(String name, Shape shape, Node initial) {}

  /**
   * Lays out {@code loop}, whose {@code outputs} are already named in {@code names}; adds the
   * names of its step's nodes there. {@code local} gives a fresh name for a value of the block,
   * not among the block's own names; {@code temporary} a temporary's name ({@code t3});
   * {@code outerText} writes a value of the model.
   */
  static LoopLayout of(
      Node loop,
      Map<Node, String> names,
      java.util.function.BiFunction<String, Set<String>, String> local,
      java.util.function.Supplier<String> temporary,
      java.util.function.Function<Node, String> outerText,
      List<Node> outputs) {
    Recurrence r = (Recurrence) loop.op();
    RecurrenceStep step = r.step();
    int sequences = r.sequenceCount();
    int stateCount = r.stateCount();
    Set<String> own = new HashSet<>();
    UnaryOperator<String> fresh = wanted -> {
      String name = local.apply(wanted, own);
      own.add(name);
      return name;
    };

    List<Named> header = new ArrayList<>();
    for (int i = 0; i < sequences; i++) {
      Node leaf = step.elements().get(i);
      String name = fresh.apply(((Leaf) leaf.op()).name());
      names.put(leaf, name);
      header.add(new Named(name, loop.input(i)));
    }
    List<State> states = new ArrayList<>();
    for (int k = 0; k < stateCount; k++) {
      Node leaf = step.states().get(k);
      String name = names.get(outputs.get(k));
      names.put(leaf, name);
      states.add(new State(name, leaf.shape(), loop.input(sequences + k)));
    }
    for (int j = 0; j < step.outers().size(); j++) {
      names.put(step.outers().get(j), outerText.apply(loop.input(sequences + stateCount + j)));
    }

    // Values named in the block: the step's labels and values used more than once.
    Map<Node, Integer> uses = new IdentityHashMap<>();
    for (Node n : step.schedule()) {
      n.inputs().forEach(in -> uses.merge(in, 1, Integer::sum));
    }
    step.results().forEach(n -> uses.merge(n, 1, Integer::sum));
    Set<Node> named = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Node n : step.schedule()) {
      String label = step.labels().get(n);
      if (trivial(n)) {
        continue;
      }
      if (label != null) {
        names.put(n, fresh.apply(label));
        named.add(n);
      } else if (uses.getOrDefault(n, 0) > 1) {
        names.put(n, fresh.apply(temporary.get()));
        named.add(n);
      }
    }
    // An update that reads another state's previous value is named first: it is computed before
    // any state changes.
    List<Named> updateValues = new ArrayList<>();
    Map<Integer, String> kept = new java.util.HashMap<>();
    for (int k = 0; k < stateCount; k++) {
      Node update = step.updates().get(k);
      Set<Node> reads = statesRead(update, names, step);
      reads.remove(step.states().get(k));
      if (!reads.isEmpty() && !named.contains(update)) {
        String name = fresh.apply(names.get(step.states().get(k)) + "_next");
        if (update.op() instanceof Leaf) {
          updateValues.add(new Named(name, update)); // another state's previous value, kept
          kept.put(k, name);
        } else {
          names.put(update, name);
          named.add(update);
        }
      }
    }
    List<Named> locals = new ArrayList<>();
    for (Node n : step.schedule()) {
      if (named.contains(n)) {
        locals.add(new Named(names.get(n), n));
      }
    }
    locals.addAll(updateValues);
    List<Named> collected = new ArrayList<>();
    for (int m = 0; m < step.collected().size(); m++) {
      collected.add(new Named(names.get(outputs.get(stateCount + m)), step.collected().get(m)));
    }
    List<Named> updates = new ArrayList<>();
    for (int k = 0; k < stateCount; k++) {
      updates.add(new Named(states.get(k).name(), step.updates().get(k)));
    }
    return new LoopLayout(loop, r.reverse(), header, states, locals, collected, updates, kept);
  }

  /** The state leaves an expression reads where it is written out (not through a named value). */
  private static Set<Node> statesRead(Node root, Map<Node, String> names, RecurrenceStep step) {
    Set<Node> states = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> stack = new ArrayList<>(List.of(root));
    while (!stack.isEmpty()) {
      Node n = stack.removeLast();
      if (!seen.add(n)) {
        continue;
      }
      if (step.states().contains(n)) {
        states.add(n);
      } else if (n == root || !names.containsKey(n)) {
        stack.addAll(n.inputs());
      }
    }
    return states;
  }

  private static boolean trivial(Node n) {
    return n.op() instanceof Leaf || n.op() instanceof Constant;
  }

  /** A state's initial value as written: a constant spread to the state's shape is the constant. */
  Node initialWritten(State s) {
    return constantSpread(s.initial()) ? s.initial().input(0) : s.initial();
  }

  /** Whether a value is a constant spread to a shape (written as the constant where a state starts). */
  static boolean constantSpread(Node n) {
    return n.op() instanceof Broadcast && n.input(0).op() instanceof Constant;
  }

  /** How update {@code k} is written: its value, or the local that kept it. */
  String update(int k, java.util.function.Function<Node, String> write) {
    return kept.containsKey(k) ? kept.get(k) : write.apply(updates.get(k).node());
  }

  /** The block in {@code .nn}, each line ending in a newline; {@code writer} knows every name. */
  String text(ExprWriter writer) {
    StringBuilder out = new StringBuilder("for ");
    for (int i = 0; i < header.size(); i++) {
      String sequence = writer.write(header.get(i).node());
      out.append(i > 0 ? ", " : "").append(header.get(i).name()).append(" in ")
          .append(reverse ? "reverse(" + sequence + ")" : sequence);
    }
    out.append(" {\n");
    for (State s : states) {
      out.append("  state ").append(s.name()).append(s.shape().isScalar() ? "" : s.shape().toString())
          .append(" = ").append(writer.write(initialWritten(s))).append(";\n");
    }
    for (Named n : locals) {
      // a kept leaf is written as its name; other locals are written out
      String value = n.node().op() instanceof Leaf ? writer.write(n.node()) : writer.writeDefinition(n.node());
      out.append("  ").append(n.name()).append(" = ").append(value).append(";\n");
    }
    for (Named n : collected) {
      out.append("  collect ").append(n.name()).append(" = ").append(writer.write(n.node())).append(";\n");
    }
    for (int k = 0; k < updates.size(); k++) {
      out.append("  ").append(updates.get(k).name()).append(" = ").append(update(k, writer::write)).append(";\n");
    }
    return out.append("}\n").toString();
  }
}
