package dev.nabla.compiler.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.codegen.ModelLoader;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import org.junit.jupiter.api.Test;

/**
 * {@code where} is a select, not {@code c * a + (1 - c) * b}: a branch that is NaN or infinite
 * where it is not picked (log of a negative number) reaches neither the loss nor the gradient, in
 * the reference evaluator and in generated code alike. At x = 0 the unguarded log's own adjoint
 * is 0 / 0; guarding its argument too makes the gradient finite there as well.
 */
class WhereSelectsTest {
  /** One instance: the loss and dL/dx, from the evaluator and generated code. */
  private static void check(double[] x, String loss, double expectedLoss, double[] expectedGradient) {
    String source = "model M { input x[3] grad; loss L = " + loss + "; output L; }";
    Compiled c = Compiled.of(source, 1, 1, -1, 1);
    c.perInstance.put("x", new double[][] {x});
    assertThat(c.loss()).isEqualTo(expectedLoss);
    assertThat(c.inputGradient("x", 0)).containsExactly(expectedGradient);

    Model model = ModelLoader.load(c.derivation, Precision.DOUBLE);
    ModelRun run = model.newRun(1);
    for (int i = 0; i < 3; i++) {
      run.input("x").setDouble(i, x[i]);
    }
    assertThat(run.forward()).isEqualTo(expectedLoss);
    run.backward();
    assertThat(run.gradient("x").toDoubles()).containsExactly(expectedGradient);
  }

  @Test
  void aLogOfNegativeNumbersInTheBranchNotPickedLeavesNoNaN() {
    // x = -1 and x = -0.5 pick 5 * x: log of them is NaN, but not picked
    check(new double[] {-1, -0.5, 2}, "sum(where(x > 0, log(x), 5 * x))", -7.5 + Math.log(2), new double[] {5, 5, 0.5});
  }

  @Test
  void aGuardedArgumentMakesTheGradientFiniteAtZeroToo() {
    // at x = 0 log(x) would have the adjoint 0 / 0 (NaN, as in PyTorch): docs/language.md
    check(new double[] {-1, 0, 2}, "sum(where(x > 0, log(where(x > 0, x, 1)), 0))", Math.log(2), new double[] {0, 0, 0.5});
  }

  @Test
  void broadcastOperandsGetTheSumOfTheirPickedElements() {
    // where(x > 0, 3, x): the scalar 3 is picked once (x = 2); x where x <= 0
    check(new double[] {-1, 0, 2}, "sum(where(x > 0, 3, x) * x)", 1 + 0 + 6, new double[] {-2, 0, 3});
  }
}
