package dev.nabla.compiler.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two finite-difference checks every operator gets (batch of 3, error <= 1e-6, relative
 * above magnitude 1 and absolute below): of the reference evaluator's simplified symbolic
 * gradient, and of generated double code (which must also agree with the evaluator). A test
 * class lists its cases in a static {@code cases()} (name, loss expression, and the interval
 * params and inputs are drawn from) and says which model a loss goes into.
 */
abstract class DerivativeChecks {
  /** The model whose loss is {@code loss}. */
  abstract String source(String loss);

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void symbolicGradientMatchesFiniteDifferences(String name, String loss, double lo, double hi) {
    symbolic(name, source(loss), lo, hi);
  }

  /** The same operators through generated Java: double-precision code against finite differences. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void generatedCodePassesTheFiniteDifferenceCheck(String name, String loss, double lo, double hi) {
    generated(name, source(loss), lo, hi);
  }

  /** The symbolic gradient, evaluated in double, against finite differences at three seeds. */
  static void symbolic(String name, String source, double lo, double hi) {
    for (long seed = 1; seed <= 3; seed++) {
      Compiled c = Compiled.of(source, 3, seed, lo, hi);
      for (String param : c.derivation.program().gradients().keySet()) {
        double error = Compiled.worstError(c.gradient(param), c.numericGradient(param));
        assertThat(error).as("%s: d%s (seed %d)", name, param, seed).isLessThanOrEqualTo(1e-6);
        double raw = Compiled.worstError(c.rawGradient(param), c.gradient(param));
        assertThat(raw).as("%s: simplification changed d%s", name, param).isLessThanOrEqualTo(1e-12);
      }
    }
  }

  /** Generated double code: its gradients against finite differences and the reference evaluator. */
  static void generated(String name, String source, double lo, double hi) {
    Compiled c = Compiled.of(source, 3, 1, lo, hi);
    ModelRun run = c.generatedRun(Precision.DOUBLE);
    Model model = run.model();
    for (GradientCheck.Result r : GradientCheck.check(model, run)) {
      assertThat(r.worstRelativeError()).as(name + ": " + r).isLessThanOrEqualTo(1e-6);
      if (model.params().stream().noneMatch(t -> t.name().equals(r.name()))) {
        continue; // an input's gradient (per instance): finite differences only
      }
      double[] reference = c.gradient(r.name());
      assertThat(Compiled.worstError(run.gradient(r.name()).toDoubles(), reference))
          .as(name + ": generated d" + r.name() + " vs the reference evaluator").isLessThan(1e-9);
    }
  }
}
