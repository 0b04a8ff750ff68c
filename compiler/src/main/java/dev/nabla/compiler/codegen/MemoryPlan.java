package dev.nabla.compiler.codegen;

import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.Node;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Buffer sharing by liveness. A scratch value (computed and read within one pass, not an output,
 * the loss, a gradient, or a forward value the backward pass reads) lives from the statement
 * that computes it to the last statement that reads it. Values whose lives do not overlap take
 * turns in one array, so the arrays of a pass are as few as its widest point needs. Batched and
 * shared values use separate arrays (their sizes scale differently with the batch).
 */
final class MemoryPlan {
  /** One array: its Java name and its size in elements (per instance when batched). */
  static final class Slot {
    final String name;
    final boolean batched;
    int size;
    int freeAfter;
    final List<Node> values = new ArrayList<>();

    Slot(String name, boolean batched) {
      this.name = name;
      this.batched = batched;
    }
  }

  private final Map<Node, Slot> slotOf = new IdentityHashMap<>();
  private final List<Slot> slots = new ArrayList<>();

  Slot slot(Node n) {
    return slotOf.get(n);
  }

  List<Slot> slots() {
    return slots;
  }

  /**
   * Assigns arrays to the shareable values of one pass.
   *
   * @param order the pass's values in evaluation order
   * @param shareable whether a value may share
   */
  void assign(Plan plan, List<Node> order, Storage buffer, java.util.function.Predicate<Node> shareable, JavaNames names) {
    assign(plan, order, buffer, shareable, names, false);
  }

  /**
   * {@link #assign(Plan, List, Storage, java.util.function.Predicate, JavaNames)}, with
   * {@code sameSize}: values share an array only with values of their own size. A recurrence's
   * step runs consecutive batch loops as one split by instances (each range of instances runs
   * them all in turn): instance b's rows of two values sharing an array, {@code [b * size, (b +
   * 1) * size)}, then lie in one range's part of the array only when the sizes are equal.
   */
  void assign(Plan plan, List<Node> order, Storage buffer, java.util.function.Predicate<Node> shareable, JavaNames names,
      boolean sameSize) {
    Map<Node, Integer> position = new IdentityHashMap<>();
    for (int i = 0; i < order.size(); i++) {
      position.put(order.get(i), i);
    }
    List<Slot> pass = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      Node n = order.get(i);
      if (plan.storage(n) != buffer || !shareable.test(n)) {
        continue;
      }
      int lastUse = i;
      for (Node c : plan.consumers(n)) {
        lastUse = Math.max(lastUse, evaluatedAt(plan, c, position));
      }
      // A value written early (by a fused product, with its softmax pair) lives from that statement.
      int written = position.getOrDefault(plan.writtenAt(n), i);
      Slot chosen = null;
      for (Slot s : pass) {
        if (s.batched == n.batched() && s.freeAfter < written && (!sameSize || s.size == n.shape().size())
            && (chosen == null || Math.abs(s.size - n.shape().size()) < Math.abs(chosen.size - n.shape().size()))) {
          chosen = s;
        }
      }
      if (chosen == null) {
        chosen = new Slot(names.of("buf" + (slots.size() + 1)), n.batched());
        pass.add(chosen);
        slots.add(chosen);
      }
      chosen.size = Math.max(chosen.size, n.shape().size());
      chosen.freeAfter = lastUse;
      chosen.values.add(n);
      slotOf.put(n, chosen);
    }
  }

  /**
   * Where a consumer's read happens: at its own statement if it has a buffer, else where the
   * statement that computes it inline (or absorbs it) runs. Unknown positions (another pass)
   * count as the end of this one.
   */
  private static int evaluatedAt(Plan plan, Node c, Map<Node, Integer> position) {
    Storage s = plan.storage(c);
    if (s == Storage.INLINE || s == Storage.ABSORBED || s == Storage.ALIAS) {
      int at = -1;
      for (Node next : plan.consumers(c)) {
        at = Math.max(at, evaluatedAt(plan, next, position));
      }
      return at < 0 ? Integer.MAX_VALUE : at;
    }
    Integer p = position.get(c);
    return p == null ? Integer.MAX_VALUE : p;
  }
}
