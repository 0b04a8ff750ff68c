package dev.nabla.compiler.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.compiler.eval.Evaluator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The recurrence op built by hand (as the checker builds it): its shapes, the layout of its
 * outputs, and the reference evaluator's values against the same loop written out in Java.
 */
class RecurrenceTest {
  static final int T = 3;
  static final int D = 2;
  static final int H = 4;
  static final int B = 2;

  /** h = tanh(W @ x + U @ h + b), and a second state c = c + sum(x) * h. */
  private record Elman(Graph g, Node node, List<Node> outputs) {}

  private static Elman elman(boolean reverse) {
    Graph g = new Graph();
    Node xs = g.leaf(Leaf.Kind.INPUT, "xs", Shape.of(T, D));
    Node w = g.leaf(Leaf.Kind.PARAM, "W", Shape.of(H, D));
    Node u = g.leaf(Leaf.Kind.PARAM, "U", Shape.of(H, H));
    Node b = g.leaf(Leaf.Kind.PARAM, "b", Shape.of(H));
    Node h0 = g.leaf(Leaf.Kind.PARAM, "h0", Shape.of(H));
    Node c0 = g.broadcast(g.constant(0), Shape.of(H));

    Graph s = new Graph();
    Node x = s.leaf(Leaf.Kind.INPUT, "x", Shape.of(D));
    Node h = s.leaf(Leaf.Kind.INPUT, "h", Shape.of(H));
    Node c = s.leaf(Leaf.Kind.INPUT, "c", Shape.of(H));
    Node sw = s.leaf(Leaf.Kind.PARAM, "W", Shape.of(H, D));
    Node su = s.leaf(Leaf.Kind.PARAM, "U", Shape.of(H, H));
    Node sb = s.leaf(Leaf.Kind.PARAM, "b", Shape.of(H));
    Node hNew = s.unary(UnaryFn.TANH, s.add(s.add(s.matmul(sw, x), s.matmul(su, h)), sb));
    Node cNew = s.add(c, s.mul(s.broadcast(s.sum(x), Shape.of(H)), hNew));
    RecurrenceStep step = new RecurrenceStep(
        s, List.of(x), List.of(h, c), List.of(sw, su, sb), List.of(hNew, cNew), List.of(h, hNew),
        List.of("h", "c"), List.of("h_before", "hs"), Map.of());
    Node rec = g.recurrence(step, reverse, List.of(xs), List.of(h0, c0), List.of(w, u, b));
    return new Elman(g, rec, g.recurrenceOutputs(rec));
  }

  @Test
  void outputsAreTheFinalStatesThenTheCollectedValues() {
    Elman e = elman(false);
    assertThat(e.node().shape()).isEqualTo(Shape.of(H + H + T * H + T * H));
    assertThat(e.node().batched()).isTrue();
    assertThat(e.outputs()).extracting(Node::shape)
        .containsExactly(Shape.of(H), Shape.of(H), Shape.of(T, H), Shape.of(T, H));
    assertThat(e.outputs()).extracting(n -> ((RecurrenceOutput) n.op()).name())
        .containsExactly("h", "c", "h_before", "hs");
    assertThat(e.outputs()).extracting(n -> ((RecurrenceOutput) n.op()).offset())
        .containsExactly(0, H, 2 * H, 2 * H + T * H);
    // interned: asking again gives the same nodes
    assertThat(e.g().recurrenceOutputs(e.node())).isEqualTo(e.outputs());
  }

  @Test
  void evaluatorRunsTheStepOverTheSequenceForwardAndReversed() {
    SplittableRandom random = new SplittableRandom(7);
    Map<String, double[]> shared = Map.of(
        "W", values(random, H * D), "U", values(random, H * H), "b", values(random, H),
        "h0", values(random, H));
    double[][] xs = {values(random, T * D), values(random, T * D)};
    for (boolean reverse : new boolean[] {false, true}) {
      Elman e = elman(reverse);
      Evaluator ev = new Evaluator(B, Map.of("xs", xs), shared);
      for (int inst = 0; inst < B; inst++) {
        double[] h = shared.get("h0").clone();
        double[] c = new double[H];
        double[][] before = new double[T][];
        double[][] hs = new double[T][];
        for (int i = 0; i < T; i++) {
          int t = reverse ? T - 1 - i : i;
          before[t] = h.clone();
          double xsum = 0;
          for (int k = 0; k < D; k++) {
            xsum += xs[inst][t * D + k];
          }
          double[] next = new double[H];
          for (int r = 0; r < H; r++) {
            double z = shared.get("b")[r];
            for (int k = 0; k < D; k++) {
              z += shared.get("W")[r * D + k] * xs[inst][t * D + k];
            }
            for (int k = 0; k < H; k++) {
              z += shared.get("U")[r * H + k] * h[k];
            }
            next[r] = Math.tanh(z);
            c[r] += xsum * next[r];
          }
          h = next;
          hs[t] = next.clone();
        }
        assertClose(ev.value(e.outputs().get(0), inst), h);
        assertClose(ev.value(e.outputs().get(1), inst), c);
        assertClose(ev.value(e.outputs().get(2), inst), flat(before));
        assertClose(ev.value(e.outputs().get(3), inst), flat(hs));
      }
    }
  }

  private static double[] flat(double[][] rows) {
    double[] all = new double[rows.length * rows[0].length];
    for (int t = 0; t < rows.length; t++) {
      System.arraycopy(rows[t], 0, all, t * rows[t].length, rows[t].length);
    }
    return all;
  }

  private static void assertClose(double[] actual, double[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).isCloseTo(expected[i], within(1e-12));
    }
  }

  private static double[] values(SplittableRandom random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextDouble(-1, 1);
    }
    return v;
  }
}
