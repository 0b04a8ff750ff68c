package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.Locals.J;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.graph.Binary;
import dev.nabla.compiler.graph.BinaryFn;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Pad;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Sums of padded vectors whose pieces do not overlap: the adjoint of a vector read in slices,
 * such as an LSTM's {@code dz = pad(di, 0, 3H) + pad(df, H, 2H) + pad(dg, 2H, H) + pad(do, 3H, 0)}
 * (the derivative of {@code z[0:H]}, ..., {@code z[3H:]}). Written as it reads, that is four
 * loops over {@code 4H} elements, mostly zeros, and a loop adding them; instead the sum's array
 * gets each piece written into its place, by a loop in which the piece's own element-wise work
 * runs (its value is computed inline there), and zeros where no piece lies. Its pads and the
 * additions under it emit nothing. Used in recurrence steps, where it runs at every step.
 */
final class PadSums {
  /** A sum's pieces: each pad node (its input is the piece, its {@code before} the offset). */
  private final Map<Node, List<Node>> pieces = new IdentityHashMap<>();
  /** The pads and inner additions of every sum. */
  private final Set<Node> absorbed = Collections.newSetFromMap(new IdentityHashMap<>());

  /**
   * Finds the sums among {@code order}: an addition (not itself a term of a larger one) whose
   * terms, through additions read only there, are pads of vectors of its size, each read only
   * there, with disjoint pieces.
   */
  static PadSums find(List<Node> order, Function<Node, List<Node>> consumers) {
    PadSums sums = new PadSums();
    for (Node n : order) {
      if (!add(n) || (consumers.apply(n).size() == 1 && add(consumers.apply(n).getFirst())
          && consumers.apply(n).getFirst().shape().equals(n.shape()))) {
        continue;
      }
      List<Node> pads = new ArrayList<>();
      List<Node> inner = new ArrayList<>();
      if (terms(n, n, consumers, pads, inner) && disjoint(pads)) {
        pads.sort((a, b) -> Integer.compare(((Pad) a.op()).before(), ((Pad) b.op()).before()));
        sums.pieces.put(n, pads);
        sums.absorbed.addAll(pads);
        sums.absorbed.addAll(inner);
      }
    }
    return sums;
  }

  private static boolean add(Node n) {
    return n.op() instanceof Binary b && b.fn() == BinaryFn.ADD && n.shape().rank() == 1
        && n.input(0) != n.input(1);
  }

  private static boolean terms(Node n, Node root, Function<Node, List<Node>> consumers, List<Node> pads,
      List<Node> inner) {
    for (Node in : n.inputs()) {
      if (!in.shape().equals(root.shape()) || in.batched() != root.batched() || consumers.apply(in).size() != 1) {
        return false;
      }
      if (in.op() instanceof Pad) {
        pads.add(in);
      } else if (add(in)) {
        inner.add(in);
        if (!terms(in, root, consumers, pads, inner)) {
          return false;
        }
      } else {
        return false;
      }
    }
    return true;
  }

  private static boolean disjoint(List<Node> pads) {
    List<int[]> ranges = new ArrayList<>();
    for (Node p : pads) {
      int from = ((Pad) p.op()).before();
      ranges.add(new int[] {from, from + p.input(0).shape().size()});
    }
    ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
    for (int i = 1; i < ranges.size(); i++) {
      if (ranges.get(i)[0] < ranges.get(i - 1)[1]) {
        return false;
      }
    }
    return true;
  }

  /** Whether a node is a pad or an inner addition of a sum (it emits nothing; its pieces are read in place). */
  boolean absorbed(Node n) {
    return absorbed.contains(n);
  }

  /** Whether a node is a sum of pieces. */
  boolean isSum(Node n) {
    return pieces.containsKey(n);
  }

  /** The loop writing a sum: each instance's pieces into their places, zeros between them. */
  CodeBlock code(Node n, Addressing a, LoopPolicy loops) {
    int size = n.shape().size();
    return loops.perInstance(n, b -> {
      CodeBlock.Builder code = CodeBlock.builder();
      int at = 0;
      for (Node pad : pieces.get(n)) {
        int from = ((Pad) pad.op()).before();
        int length = pad.input(0).shape().size();
        if (from > at) {
          code.add(LoopPolicy.loop(from - at, J,
              CodeBlock.of("$L = $L;\n", a.at(n, b, J.plus(at)), a.literal(0))));
        }
        code.add(LoopPolicy.loop(length, J,
            CodeBlock.of("$L = $L;\n", a.at(n, b, J.plus(from)), a.elem(pad.input(0), b, J))));
        at = from + length;
      }
      if (at < size) {
        code.add(LoopPolicy.loop(size - at, J, CodeBlock.of("$L = $L;\n", a.at(n, b, J.plus(at)), a.literal(0))));
      }
      return code.build();
    });
  }
}
