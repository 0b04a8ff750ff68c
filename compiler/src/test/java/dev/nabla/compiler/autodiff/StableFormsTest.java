package dev.nabla.compiler.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.compiler.print.Trace;
import dev.nabla.compiler.testing.Compiled;
import dev.nabla.compiler.testing.Generated;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code log(sigmoid(z))}, {@code log(sum(exp(x)))} (also along an axis) and
 * {@code log(1 + exp(x))} are computed in their stable forms (issue 12, item 2): at inputs where
 * the written formula overflows to an infinite loss and a NaN gradient, the loss and gradient
 * are finite and right, in the reference evaluator and in generated code. The expected values
 * are the closed forms (PyTorch's {@code logsigmoid}, {@code logsumexp} and {@code softplus}
 * give the same).
 */
class StableFormsTest {
  /** The loss and the gradient of input {@code wrt} at {@code values}, both ways, checked equal. */
  private static double[] gradientAt(String source, String wrt, double expectedLoss, Map<String, double[]> values) {
    Compiled c = Compiled.of(source, 1, 1, -1, 1);
    values.forEach((name, v) -> c.perInstance.put(name, new double[][] {v}));
    Generated generated = Generated.run(c, values);
    assertThat(c.loss()).as("reference loss").isCloseTo(expectedLoss, within(1e-9));
    assertThat(generated.loss()).as("generated loss").isCloseTo(expectedLoss, within(1e-9));
    double[] reference = c.inputGradient(wrt, 0);
    assertThat(generated.gradient(wrt)).as("generated vs reference").containsExactly(reference, within(1e-12));
    return reference;
  }

  @Test
  void logOfSigmoidIsLogSigmoid() {
    String model = "model M { input z grad; output p = sigmoid(z); loss L = -log(p); }";
    assertThat(gradientAt(model, "z", 800, Map.of("z", new double[] {-800}))).containsExactly(-1.0);
    assertThat(gradientAt(model, "z", 0, Map.of("z", new double[] {800}))).containsExactly(new double[] {0}, within(1e-300));
    assertThat(gradientAt(model, "z", Math.log(2), Map.of("z", new double[] {0}))).containsExactly(-0.5);
    String direct = "model M { input z[2] grad; loss L = sum(log_sigmoid(z)); output L; }";
    assertThat(gradientAt(direct, "z", -800 - Math.log1p(Math.exp(-3)), Map.of("z", new double[] {-800, 3})))
        .containsExactly(new double[] {1, 1 / (1 + Math.exp(3))}, within(1e-15));
  }

  @Test
  void logOfSumOfExpIsLogsumexp() {
    String model = "model M { input x[3] grad; output y = x; loss L = log(sum(exp(x))); }";
    double third = 1.0 / 3;
    assertThat(gradientAt(model, "x", 1000 + Math.log(3), Map.of("x", new double[] {1000, 1000, 1000})))
        .containsExactly(new double[] {third, third, third}, within(1e-12));
    assertThat(gradientAt(model, "x", 1000, Map.of("x", new double[] {-1000, 0, 1000})))
        .containsExactly(new double[] {0, 0, 1}, within(1e-300));
    assertThat(gradientAt(model, "x", -800 + Math.log(3), Map.of("x", new double[] {-800, -800, -800})))
        .containsExactly(new double[] {third, third, third}, within(1e-12));
  }

  @Test
  void logOfSumOfExpAlongAnAxisIsLogsumexpAlongIt() {
    double third = 1.0 / 3;
    double half = 0.5;
    double[] x = {1000, 1000, 1000, -800, -800, -800};
    String rows = "model M { input X[2, 3] grad; output y = X; loss L = sum(log(sum(exp(X), axis=1))); }";
    assertThat(gradientAt(rows, "X", 200 + 2 * Math.log(3), Map.of("X", x)))
        .containsExactly(new double[] {third, third, third, third, third, third}, within(1e-12));
    String columns = "model M { input X[2, 3] grad; output y = X; loss L = sum(log(sum(exp(X), axis=0))); }";
    double[] even = {1000, 1000, 1000, 1000, 1000, 1000};
    assertThat(gradientAt(columns, "X", 3 * (1000 + Math.log(2)), Map.of("X", even)))
        .containsExactly(new double[] {half, half, half, half, half, half}, within(1e-12));
    assertThat(gradientAt(columns, "X", 3000, Map.of("X", x)))
        .containsExactly(new double[] {1, 1, 1, 0, 0, 0}, within(1e-300));
  }

  @Test
  void logOfOnePlusExpIsSoftplus() {
    String model = "model M { input u[2] grad; output y = u; loss L = sum(log(1 + exp(u))); }";
    assertThat(gradientAt(model, "u", 1000 + Math.log(2), Map.of("u", new double[] {1000, 0})))
        .containsExactly(1.0, 0.5);
  }

  @Test
  void allInfiniteInputsGiveAnInfiniteLogsumexpNotNaN() {
    Compiled c = Compiled.of("model M { input x[2]; output y = logsumexp(x); loss L = y; }", 1, 1, -1, 1);
    double[] minusInf = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    c.perInstance.put("x", new double[][] {minusInf});
    assertThat(c.loss()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(Generated.run(c, Map.of("x", minusInf)).loss()).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void traceListsTheStableFormsChosen() {
    Compiled c = Compiled.of("""
        model M {
          input z[3]; input X[2, 3];
          output y = z;
          loss L = sum(log(sigmoid(z))) + log(sum(exp(z))) + sum(log(sum(exp(X), axis=1))) + sum(log(exp(z) + 1));
        }""");
    assertThat(Trace.render(c.derivation)).contains(
        "#   line 4:16: log(sigmoid(...)) became log_sigmoid(...)\n",
        "#   line 4:35: log(sum(exp(...))) became logsumexp(...)\n",
        "#   line 4:58: log(sum(exp(...), axis=1)) became logsumexp(..., axis=1)\n",
        "#   line 4:90: log(1 + exp(...)) became softplus(...)\n");
  }
}
