package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.compiler.autodiff.DerivativeProgram;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.eval.Evaluator;
import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.RecurrenceStep;
import dev.nabla.compiler.graph.Shape;
import dev.nabla.compiler.graph.UnaryFn;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import dev.nabla.compiler.simplify.Simplifier;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The generated loop of a recurrence built by hand (as the checker builds one), forward only:
 * its final states and collected values equal the reference evaluator's, run forward and
 * reversed, in double and float, with a state that starts at a param, one that starts at zero,
 * a collected state (its value before each step) and a collected update.
 */
class RecurrenceLoopTest {
  static final int T = 5;
  static final int D = 3;
  static final int H = 4;
  static final int B = 3;

  private static final String SKELETON = """
      model Elman {
        input xs[5, 3];
        target d[4];
        param W[4, 3]; param U[4, 4]; param b[4]; param h0[4];
        output Y = W @ xs[0] + U @ h0 + b;
        loss L = sum(d * Y);
      }
      """;

  /** h = tanh(W @ x + U @ h + b), c = c + sum(x) * h; collects h before the step and the new h. */
  private static Derivation elman(boolean reverse) {
    return elman(reverse, false);
  }

  /**
   * The Elman loop; {@code differentiated}: with its derivative (both states collected, as the
   * checker collects them for the backward loop, and a loss that reads every output).
   */
  private static Derivation elman(boolean reverse, boolean differentiated) {
    Frontend.Result checked = Frontend.run(new Source("elman.nn", SKELETON));
    assertThat(checked.ok()).as(checked.diagnostics().sorted().toString()).isTrue();
    CheckedModel skeleton = checked.model(null);
    Graph g = skeleton.graph();
    Map<String, Node> leaves = new LinkedHashMap<>();
    skeleton.inputs().forEach(d -> leaves.put(d.name(), d.node()));
    skeleton.targets().forEach(d -> leaves.put(d.name(), d.node()));
    skeleton.params().forEach(p -> leaves.put(p.name(), p.node()));
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
    List<Node> collected = differentiated ? List.of(h, hNew, c) : List.of(h, hNew);
    List<String> collectNames = differentiated ? List.of("h_before", "hs", "c_before") : List.of("h_before", "hs");
    RecurrenceStep step = new RecurrenceStep(
        s, List.of(x), List.of(h, c), List.of(sw, su, sb), List.of(hNew, cNew), collected,
        List.of("h", "c"), collectNames, Map.of());
    Node rec = g.recurrence(step, reverse, List.of(leaves.get("xs")), List.of(leaves.get("h0"), c0),
        List.of(leaves.get("W"), leaves.get("U"), leaves.get("b")));
    List<Node> outs = g.recurrenceOutputs(rec);
    Node loss = g.sum(g.mul(leaves.get("d"), outs.get(0)));
    if (differentiated) {
      // every output leads to the loss: final h and c, and the per-step hs through a per-step weight
      Node perStep = g.sum(g.mul(g.unary(UnaryFn.TANH, outs.get(3)), g.mul(outs.get(3), outs.get(3))));
      loss = g.add(g.add(loss, g.sum(g.mul(outs.get(1), outs.get(1)))), perStep);
    }
    Map<String, Node> outputs = new LinkedHashMap<>();
    List<String> outputNames = differentiated ? List.of("h", "c", "h_before", "hs", "c_before")
        : List.of("h", "c", "h_before", "hs");
    for (int k = 0; k < outs.size(); k++) {
      outputs.put(outputNames.get(k), outs.get(k));
    }
    Map<String, Node> values = new LinkedHashMap<>(leaves);
    values.putAll(outputs);
    values.put("L", loss);
    CheckedModel model = new CheckedModel(skeleton.decl(), skeleton.source(), g, skeleton.inputs(),
        skeleton.targets(), skeleton.params(), skeleton.hypers(), values, Map.of(), outputs, "L", loss,
        List.of(), List.of());
    if (differentiated) {
      Derivation d = Derivation.of(model, new dev.nabla.compiler.diag.Diagnostics());
      assertThat(d).isNotNull();
      return d;
    }
    List<Node> roots = new ArrayList<>(outputs.values());
    roots.add(loss);
    DerivativeProgram forwardOnly = new DerivativeProgram(model, Map.of(), Map.of(), order(roots));
    return new Derivation(model, forwardOnly, new Simplifier.Result(forwardOnly, List.of(), 0, 0));
  }

  /** The nodes the roots need, inputs first. */
  private static List<Node> order(List<Node> roots) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> stack = new ArrayList<>(roots);
    while (!stack.isEmpty()) {
      Node n = stack.removeLast();
      if (seen.add(n)) {
        stack.addAll(n.inputs());
      }
    }
    List<Node> all = new ArrayList<>(seen);
    all.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return all;
  }

  @Test
  void generatedLoopEqualsTheEvaluatorForwardAndReversed() {
    SplittableRandom random = new SplittableRandom(11);
    Map<String, double[]> shared = new LinkedHashMap<>();
    shared.put("W", values(random, H * D));
    shared.put("U", values(random, H * H));
    shared.put("b", values(random, H));
    shared.put("h0", values(random, H));
    double[][] xs = new double[B][];
    double[][] d = new double[B][];
    for (int i = 0; i < B; i++) {
      xs[i] = values(random, T * D);
      d[i] = values(random, H);
    }
    for (boolean reverse : new boolean[] {false, true}) {
      Derivation derivation = elman(reverse);
      Evaluator ev = new Evaluator(B, Map.of("xs", xs, "d", d), shared);
      for (Precision precision : Precision.values()) {
        Model model = ModelLoader.load(derivation, precision);
        shared.forEach((name, v) -> {
          NdArray p = model.param(name);
          for (int i = 0; i < v.length; i++) {
            p.setDouble(i, v[i]);
          }
        });
        ModelRun run = model.newRun(B);
        for (int i = 0; i < B; i++) {
          for (int j = 0; j < T * D; j++) {
            run.input("xs").setDouble(i * T * D + j, xs[i][j]);
          }
          for (int j = 0; j < H; j++) {
            run.input("d").setDouble(i * H + j, d[i][j]);
          }
        }
        double loss = run.forward();
        double tolerance = precision == Precision.DOUBLE ? 1e-12 : 1e-5;
        assertThat(loss).isCloseTo(ev.batchMeanOf(derivation.model().loss()), within(tolerance * 10));
        for (Map.Entry<String, Node> o : derivation.model().outputs().entrySet()) {
          double[] generated = run.output(o.getKey()).toDoubles();
          int size = o.getValue().shape().size();
          for (int i = 0; i < B; i++) {
            double[] expected = ev.value(o.getValue(), i);
            for (int j = 0; j < size; j++) {
              assertThat(generated[i * size + j]).as("%s %s reverse=%s [%d, %d]", precision, o.getKey(), reverse, i, j)
                  .isCloseTo(expected[j], within(tolerance));
            }
          }
        }
      }
    }
  }

  /**
   * The backward loop (the derivative's reversed recurrence) through generated double code: every
   * param's gradient, h0's included, against finite differences and the reference evaluator.
   */
  @Test
  void backwardLoopPassesTheFiniteDifferenceCheck() {
    for (boolean reverse : new boolean[] {false, true}) {
      Derivation derivation = elman(reverse, true);
      SplittableRandom random = new SplittableRandom(5);
      Map<String, double[]> shared = new LinkedHashMap<>();
      for (var p : derivation.model().params()) {
        shared.put(p.name(), values(random, p.shape().size()));
      }
      double[][] xs = new double[B][];
      double[][] d = new double[B][];
      for (int i = 0; i < B; i++) {
        xs[i] = values(random, T * D);
        d[i] = values(random, H);
      }
      Model model = ModelLoader.load(derivation, Precision.DOUBLE);
      ModelRun run = model.newRun(B);
      fill(model, run, shared, xs, d);
      Evaluator ev = new Evaluator(B, Map.of("xs", xs, "d", d), shared);
      for (var r : dev.nabla.runtime.GradientCheck.check(model, run)) {
        assertThat(r.worstRelativeError()).as("reverse=%s %s", reverse, r).isLessThanOrEqualTo(1e-6);
      }
      run.forward();
      run.backward();
      for (var g : derivation.program().gradients().entrySet()) {
        double[] expected = ev.value(g.getValue(), 0);
        double[] generated = run.gradient(g.getKey()).toDoubles();
        for (int j = 0; j < expected.length; j++) {
          assertThat(generated[j]).as("reverse=%s d%s[%d]", reverse, g.getKey(), j).isCloseTo(expected[j], within(1e-10));
        }
      }
    }
  }

  private static void fill(Model model, ModelRun run, Map<String, double[]> shared, double[][] xs, double[][] d) {
    shared.forEach((name, v) -> {
      NdArray p = model.param(name);
      for (int i = 0; i < v.length; i++) {
        p.setDouble(i, v[i]);
      }
    });
    for (int i = 0; i < B; i++) {
      for (int j = 0; j < T * D; j++) {
        run.input("xs").setDouble(i * T * D + j, xs[i][j]);
      }
      for (int j = 0; j < H; j++) {
        run.input("d").setDouble(i * H + j, d[i][j]);
      }
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
