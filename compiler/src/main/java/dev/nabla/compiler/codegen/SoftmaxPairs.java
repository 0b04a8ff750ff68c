package dev.nabla.compiler.codegen;

import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.LogSoftmax;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Softmax;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Softmax and log-softmax of the same value along the same axis in one pass, each computed by
 * the row kernel's {@code Softmax.softmaxAndLog} (one max and one {@code exp} per element
 * instead of two of each; the same bits as the two kernels). A classifier's step has this pair:
 * its output {@code Y = softmax(z)} and the loss {@code cross_entropy(Y, d)}, which the checker
 * writes as {@code -sum(d * log_softmax(z))}.
 *
 * <p>The pair runs at the earlier of the two statements (the site); the later emits nothing and
 * its value lives from the site on (so no scratch value shares its array in between). Only rows
 * the kernel takes: along the last axis, the input in an array, both values in arrays of the
 * same pass.
 */
final class SoftmaxPairs {
  /** The two values of one input: {@code y = softmax(x)} and {@code logY = log_softmax(x)}. */
  record Pair(Node softmax, Node log) {}

  private final Map<Node, Pair> sites = new IdentityHashMap<>();
  /** The later value of each pair -> its site. */
  private final Map<Node, Node> writtenAt = new IdentityHashMap<>();

  private SoftmaxPairs() {}

  /** No pairs. */
  static SoftmaxPairs none() {
    return new SoftmaxPairs();
  }

  /** The pairs among a pass's values ({@code order}, in evaluation order), storage decided. */
  static SoftmaxPairs find(Plan plan, Map<Node, Storage> storage, List<Node> order, Storage pass) {
    SoftmaxPairs pairs = new SoftmaxPairs();
    Map<Node, Integer> position = new IdentityHashMap<>();
    for (int i = 0; i < order.size(); i++) {
      position.put(order.get(i), i);
    }
    for (Node s : order) {
      if (!(s.op() instanceof Softmax sm) || !rows(s, sm.axis(), storage, pass)) {
        continue;
      }
      for (Node l : plan.consumers(s.input(0))) {
        if (l.op() instanceof LogSoftmax ls && ls.axis() == sm.axis() && position.containsKey(l)
            && rows(l, ls.axis(), storage, pass) && l.batched() == s.batched() && !pairs.writtenAt.containsKey(l)) {
          boolean softmaxFirst = position.get(s) < position.get(l);
          pairs.sites.put(softmaxFirst ? s : l, new Pair(s, l));
          pairs.writtenAt.put(softmaxFirst ? l : s, softmaxFirst ? s : l);
          break;
        }
      }
    }
    return pairs;
  }

  /** Whether a (log-)softmax is computed by the row kernel into an array of the pass. */
  private static boolean rows(Node n, int axis, Map<Node, Storage> storage, Storage pass) {
    Storage in = storage.get(n.input(0));
    boolean inArray = in == Storage.INPUT || in == Storage.PARAM || in == Storage.FORWARD || in == Storage.BACKWARD
        || in == Storage.ALIAS;
    return storage.get(n) == pass && inArray && n.shape().stride(axis) == 1;
  }

  /** The pair computed at {@code n}'s statement, or null. */
  Pair at(Node n) {
    return sites.get(n);
  }

  /** Whether a value is computed at its pair's site (it emits no statement of its own). */
  boolean silent(Node n) {
    return writtenAt.containsKey(n);
  }

  /** The statement that writes a value: its pair's site, or itself. */
  Node writtenAt(Node n) {
    return writtenAt.getOrDefault(n, n);
  }

  /** Both passes' pairs together. */
  SoftmaxPairs with(SoftmaxPairs other) {
    SoftmaxPairs all = new SoftmaxPairs();
    all.sites.putAll(sites);
    all.sites.putAll(other.sites);
    all.writtenAt.putAll(writtenAt);
    all.writtenAt.putAll(other.writtenAt);
    return all;
  }
}
