package dev.nabla.compiler.codegen;

import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.pipeline.Derivation;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The memory a model's generated run allocates, in elements: a part that grows with the batch
 * (per instance) and a fixed part, with buffer sharing and as it would be without; and the
 * per-instance size of the largest batch buffer (which must fit a Java array for a batch size).
 */
public record MemoryStats(long perInstance, long fixed, long perInstanceUnshared, long fixedUnshared,
    long largestPerInstance) {
  /** Bytes for a batch of {@code batch} instances in a precision. */
  public long bytes(int batch, Precision precision) {
    return (perInstance * batch + fixed) * precision.bytes();
  }

  public long unsharedBytes(int batch, Precision precision) {
    return (perInstanceUnshared * batch + fixedUnshared) * precision.bytes();
  }

  /** The buffers of inputs, targets, forward and backward values, outputs and gradients. */
  public static MemoryStats of(Derivation derivation) {
    return of(derivation, new Plan(derivation.program(), new JavaNames(), true));
  }

  /** The same, from a plan already made for the derivation. */
  static MemoryStats of(Derivation derivation, Plan plan) {
    long largest = 0;
    long[] shared = new long[2];
    long[] unshared = new long[2];
    Set<MemoryPlan.Slot> counted = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    java.util.List<Node> all = new java.util.ArrayList<>(plan.forwardNodes());
    all.addAll(plan.backwardNodes());
    for (Node n : all) {
      Plan.Storage s = plan.storage(n);
      boolean buffer = s == Plan.Storage.INPUT || s == Plan.Storage.FORWARD || s == Plan.Storage.BACKWARD;
      if (!buffer || !seen.add(n)) {
        continue;
      }
      int index = n.batched() ? 0 : 1;
      unshared[index] += n.shape().size();
      MemoryPlan.Slot slot = plan.slot(n);
      if (slot == null) {
        shared[index] += n.shape().size();
      } else if (counted.add(slot)) {
        shared[index] += slot.size;
      }
      if (n.batched()) {
        largest = Math.max(largest, slot == null ? n.shape().size() : slot.size);
      }
    }
    // The loops' arrays: each recurrence's own (rows, states, gathered rows of all steps) and
    // its step's values.
    for (RecurrencePlan r : plan.recurrences()) {
      for (RecurrencePlan.Field f : r.fields) {
        int index = f.batched() ? 0 : 1;
        shared[index] += f.size();
        unshared[index] += f.size();
        if (f.batched()) {
          largest = Math.max(largest, f.size());
        }
      }
      Set<MemoryPlan.Slot> stepSlots = Collections.newSetFromMap(new IdentityHashMap<>());
      for (Node v : r.step.forwardNodes()) {
        if (r.step.storage(v) != Plan.Storage.FORWARD || r.step.aliased(v) || r.combinedUnder(v) != null) {
          continue; // a state's update in the state's array, counted with it; a part of a combined sum: no array
        }
        int index = v.batched() ? 0 : 1;
        unshared[index] += v.shape().size();
        MemoryPlan.Slot slot = r.step.slot(v);
        if (slot == null) {
          shared[index] += v.shape().size();
        } else if (stepSlots.add(slot)) {
          shared[index] += slot.size;
        }
      }
    }
    // Gradient arrays of the backward class (a param's is fixed; a grad input's per instance).
    for (var g : derivation.program().gradients().entrySet()) {
      boolean perInstance = derivation.model().gradInputs().contains(g.getKey());
      long size = derivation.model().values().get(g.getKey()).shape().size();
      shared[perInstance ? 0 : 1] += size;
      unshared[perInstance ? 0 : 1] += size;
      if (perInstance) {
        largest = Math.max(largest, size);
      }
    }
    return new MemoryStats(shared[0], shared[1], unshared[0], unshared[1], largest);
  }
}
