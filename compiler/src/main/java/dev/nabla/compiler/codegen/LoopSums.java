package dev.nabla.compiler.codegen;

import dev.nabla.compiler.graph.BatchMean;
import dev.nabla.compiler.graph.Binary;
import dev.nabla.compiler.graph.BinaryFn;
import dev.nabla.compiler.graph.Broadcast;
import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Outer;
import dev.nabla.compiler.graph.Recurrence;
import dev.nabla.compiler.graph.RecurrenceOutput;
import dev.nabla.compiler.graph.RecurrenceStep;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The states of a loop that only add up contributions for a batch mean: in a derivative's
 * backward loop, a param's gradient, {@code state dW = 0; dW = dW + outer(dz, h);} whose final
 * value is read only by {@code batch_mean(dW)}. Carried per instance, such a state would be
 * {@code [B, 4H, H]} for an LSTM's {@code Wh}, copied and added to at every step; instead the
 * loop computes the mean itself, into the batch mean's array:
 *
 * <ul>
 *   <li>an {@code outer(u, v)} term, summed over instances and steps, is one product
 *       {@code U^T V} after the loop, over the {@code B * T} rows of u and v gathered by the loop
 *       (a sequence the loop reads is used where it lies): the weight gradient of all steps as
 *       one matrix product;
 *   <li>any other term is added into the mean's array at every step, summed over the instances.
 * </ul>
 *
 * The state's output then needs no array ({@link Plan}) and the batch mean's own statement
 * emits nothing.
 */
final class LoopSums {
  private LoopSums() {}

  /** One term of a state's update: {@code outer(u, v)} when {@code v} is not null, else {@code u}. */
  record Term(Node u, Node v) {
    boolean outer() {
      return v != null;
    }
  }

  /** State {@code state}'s sum: its final output, the batch mean of it, and its terms. */
  record Sum(int state, Node output, Node mean, List<Term> terms) {}

  /**
   * The states of {@code recurrence} that are sums for a batch mean: the update is the state
   * plus terms (the state read nowhere else in the step), the initial value is zero, and the
   * final output's only reader is a batch mean.
   *
   * @param consumers the readers of a node in the program
   */
  static List<Sum> find(Node recurrence, Function<Node, List<Node>> consumers) {
    Recurrence op = (Recurrence) recurrence.op();
    RecurrenceStep step = op.step();
    List<Sum> sums = new ArrayList<>();
    for (int k = 0; k < op.stateCount(); k++) {
      Node leaf = step.states().get(k);
      Node update = step.updates().get(k);
      if (!(update.op() instanceof Binary b && b.fn() == BinaryFn.ADD) || update.input(0) == update.input(1)
          || (update.input(0) != leaf && update.input(1) != leaf)
          || !zero(recurrence.input(op.sequenceCount() + k)) || readElsewhere(step, leaf, update)) {
        continue;
      }
      Node contribution = update.input(0) == leaf ? update.input(1) : update.input(0);
      Node output = null;
      for (Node c : consumers.apply(recurrence)) {
        if (c.op() instanceof RecurrenceOutput o && o.index() == k) {
          output = c;
        }
      }
      if (output == null) {
        continue;
      }
      List<Node> readers = consumers.apply(output);
      if (readers.size() != 1 || !(readers.getFirst().op() instanceof BatchMean)) {
        continue;
      }
      List<Term> terms = new ArrayList<>();
      split(contribution, terms);
      sums.add(new Sum(k, output, readers.getFirst(), terms));
    }
    return sums;
  }

  /** The terms of a sum of terms; an outer product of two per-instance vectors is kept whole. */
  private static void split(Node n, List<Term> terms) {
    if (sumOf(n) && (hasOuter(n.input(0)) || hasOuter(n.input(1)))) {
      split(n.input(0), terms);
      split(n.input(1), terms);
    } else if (n.op() instanceof Outer && n.input(0).batched() && n.input(1).batched()) {
      terms.add(new Term(n.input(0), n.input(1)));
    } else {
      terms.add(new Term(n, null));
    }
  }

  /** An addition of two values of its own shape. */
  private static boolean sumOf(Node n) {
    return n.op() instanceof Binary b && b.fn() == BinaryFn.ADD && n.input(0).shape().equals(n.shape())
        && n.input(1).shape().equals(n.shape());
  }

  /**
   * Whether a sum of terms has an outer-product term: only then is it split (a sum of other
   * terms, such as an LSTM's gate adjoints, is summed whole, once per step).
   */
  private static boolean hasOuter(Node n) {
    if (n.op() instanceof Outer) {
      return n.input(0).batched() && n.input(1).batched();
    }
    return sumOf(n) && (hasOuter(n.input(0)) || hasOuter(n.input(1)));
  }

  /** Whether a state's leaf is read by anything in the step but its update (or is a result). */
  private static boolean readElsewhere(RecurrenceStep step, Node leaf, Node update) {
    for (Node n : step.schedule()) {
      if (n != update && n.inputs().contains(leaf)) {
        return true;
      }
    }
    return step.collected().contains(leaf) || step.updates().stream().filter(u -> u == leaf).count() > 0;
  }

  /** Zeros: the literal 0, or 0 copied to a shape. */
  private static boolean zero(Node n) {
    if (n.op() instanceof Broadcast) {
      return zero(n.input(0));
    }
    return n.op() instanceof Constant c && c.value() == 0;
  }
}
