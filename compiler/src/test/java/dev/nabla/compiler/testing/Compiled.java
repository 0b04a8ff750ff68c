package dev.nabla.compiler.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.ModelLoader;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.eval.Evaluator;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test helper: a model compiled from source text through the front end, reverse mode and the
 * simplifier, with random values for its params and a batch, evaluated by the reference
 * evaluator in double precision.
 */
public final class Compiled {
  public final CheckedModel model;
  public final Derivation derivation;
  public final int batch;
  public final Map<String, double[]> shared = new LinkedHashMap<>();
  public final Map<String, double[][]> perInstance = new LinkedHashMap<>();

  private Compiled(CheckedModel model, Derivation derivation, int batch) {
    this.model = model;
    this.derivation = derivation;
    this.batch = batch;
  }

  /** Compiles the only model in {@code text}; fails the test on any diagnostic. */
  public static Compiled of(String text) {
    return of(text, 3, 42, -1, 1);
  }

  /** Compiles and fills params and inputs with uniform values in [lo, hi). */
  public static Compiled of(String text, int batch, long seed, double lo, double hi) {
    Frontend.Result r = Frontend.run(new Source("test.nn", text));
    // Warnings (an unused name) are fine: test models are often partial.
    assertThat(r.diagnostics().errors()).extracting(DiagnosticRenderer::render).isEmpty();
    CheckedModel m = r.models().getFirst();
    Derivation d = Derivation.of(m, r.diagnostics());
    assertThat(d).isNotNull();
    Compiled c = new Compiled(m, d, batch);
    SplittableRandom random = new SplittableRandom(seed);
    for (CheckedModel.ParamInfo p : m.params()) {
      c.shared.put(p.name(), uniform(random, p.shape().size(), lo, hi));
    }
    for (CheckedModel.HyperInfo h : m.hypers()) {
      c.shared.put(h.name(), new double[] {h.defaultValue()});
    }
    for (CheckedModel.Declared in : concat(m)) {
      double[][] v = new double[batch][];
      for (int t = 0; t < batch; t++) {
        v[t] = uniform(random, in.shape().size(), lo, hi);
      }
      c.perInstance.put(in.name(), v);
    }
    return c;
  }

  private static java.util.List<CheckedModel.Declared> concat(CheckedModel m) {
    java.util.List<CheckedModel.Declared> all = new java.util.ArrayList<>(m.inputs());
    all.addAll(m.targets());
    return all;
  }

  static double[] uniform(SplittableRandom random, int n, double lo, double hi) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = lo + (hi - lo) * random.nextDouble();
    }
    return v;
  }

  /**
   * The model's generated code in {@code precision}, with a run of this batch: every param and
   * input set to this object's values (the reference evaluator's), nothing run yet.
   */
  public ModelRun generatedRun(Precision precision) {
    Model m = ModelLoader.load(derivation, precision);
    ModelRun run = m.newRun(batch);
    for (Map.Entry<String, double[]> p : shared.entrySet()) {
      if (m.params().stream().anyMatch(t -> t.name().equals(p.getKey()))) {
        NdArray a = m.param(p.getKey());
        for (int i = 0; i < a.size(); i++) {
          a.setDouble(i, p.getValue()[i]);
        }
      }
    }
    for (Map.Entry<String, double[][]> in : perInstance.entrySet()) {
      NdArray a = run.input(in.getKey());
      int size = in.getValue()[0].length;
      for (int b = 0; b < batch; b++) {
        for (int i = 0; i < size; i++) {
          a.setDouble(b * size + i, in.getValue()[b][i]);
        }
      }
    }
    return run;
  }

  public Evaluator evaluator() {
    Map<String, double[]> s = new HashMap<>();
    shared.forEach((k, v) -> s.put(k, v.clone()));
    Map<String, double[][]> b = new HashMap<>();
    perInstance.forEach((k, v) -> {
      double[][] copy = new double[v.length][];
      for (int t = 0; t < v.length; t++) {
        copy[t] = v[t].clone();
      }
      b.put(k, copy);
    });
    return new Evaluator(batch, b, s);
  }

  /** The batch-mean loss at the current values. */
  public double loss() {
    return evaluator().batchMeanOf(model.loss());
  }

  /** The symbolic gradient of a param (shared) from the simplified program. */
  public double[] gradient(String name) {
    Node g = derivation.program().gradients().get(name);
    return evaluator().value(g, 0).clone();
  }

  /** The raw (unsimplified) gradient of a param. */
  public double[] rawGradient(String name) {
    Node g = derivation.raw().gradients().get(name);
    return evaluator().value(g, 0).clone();
  }

  /** The per-instance gradient of a grad input, for instance t. */
  public double[] inputGradient(String name, int t) {
    Node g = derivation.program().gradients().get(name);
    return evaluator().value(g, t).clone();
  }

  /** Central finite differences of the batch-mean loss with respect to a param. */
  public double[] numericGradient(String name) {
    return centralDifferences(shared.get(name));
  }

  /** Central finite differences of the batch-mean loss with respect to instance t of an input. */
  public double[] numericInputGradient(String name, int t) {
    return centralDifferences(perInstance.get(name)[t]);
  }

  /** Perturbs each entry of {@code values} (live: the evaluator reads it) in turn. */
  private double[] centralDifferences(double[] values) {
    double[] g = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      double keep = values[i];
      double h = 1e-6 * Math.max(1, Math.abs(keep));
      values[i] = keep + h;
      double up = loss();
      values[i] = keep - h;
      double down = loss();
      values[i] = keep;
      g[i] = (up - down) / (2 * h);
    }
    return g;
  }

  /**
   * The worst error between two gradients: |a - n| / max(1, |a|, |n|), relative for entries of
   * magnitude above 1 and absolute below (a pure relative error is meaningless near 0).
   */
  public static double worstError(double[] analytic, double[] numeric) {
    double worst = 0;
    for (int i = 0; i < analytic.length; i++) {
      double scale = Math.max(1, Math.max(Math.abs(analytic[i]), Math.abs(numeric[i])));
      worst = Math.max(worst, Math.abs(analytic[i] - numeric[i]) / scale);
    }
    return worst;
  }
}
