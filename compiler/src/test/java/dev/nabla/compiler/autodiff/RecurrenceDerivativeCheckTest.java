package dev.nabla.compiler.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.testing.Compiled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backpropagation through time (issue 17): the reference evaluator's simplified symbolic
 * gradient of models with loops against finite differences, as {@link DerivativeChecks#symbolic}
 * (three seeds, error <= 1e-6, simplification changes no gradient), and the per-instance gradient
 * of the sequence {@code xs}, on the models of {@link RecurrenceModels} (which
 * {@link RecurrenceGeneratedCheckTest} runs through the generated code).
 */
class RecurrenceDerivativeCheckTest {
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.nabla.compiler.autodiff.RecurrenceModels#cases")
  void symbolicGradientMatchesFiniteDifferences(String name, String body) {
    String source = "model M {\n" + RecurrenceModels.HEAD + body + "}\n";
    for (long seed = 1; seed <= 3; seed++) {
      Compiled c = Compiled.of(source, 3, seed, -1, 1);
      for (String param : c.derivation.program().gradients().keySet()) {
        if (param.equals("xs")) {
          continue;
        }
        double error = Compiled.worstError(c.gradient(param), c.numericGradient(param));
        assertThat(error).as("%s: d%s (seed %d)", name, param, seed).isLessThanOrEqualTo(1e-6);
        double raw = Compiled.worstError(c.rawGradient(param), c.gradient(param));
        assertThat(raw).as("%s: simplification changed d%s", name, param).isLessThanOrEqualTo(1e-12);
      }
      // the sequence's gradient, per instance: B times that of the batch-mean loss
      for (int t = 0; t < c.batch; t++) {
        double[] numeric = c.numericInputGradient("xs", t);
        for (int i = 0; i < numeric.length; i++) {
          numeric[i] *= c.batch;
        }
        double error = Compiled.worstError(c.inputGradient("xs", t), numeric);
        assertThat(error).as("%s: dxs of instance %d (seed %d)", name, t, seed).isLessThanOrEqualTo(1e-6);
      }
    }
  }
}
