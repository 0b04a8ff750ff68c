package dev.nabla.compiler.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.print.GradText;
import dev.nabla.compiler.print.ProgramLayout;
import dev.nabla.compiler.testing.Compiled;
import dev.nabla.compiler.testing.Generated;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code pow(a, b)} at a = 0 and b = 0 has the limits PyTorch and HIPS autograd give (issue 12,
 * item 1), in the reference evaluator and in generated code alike: d/db 0^b = 0 and d/da a^0 = 0,
 * never the NaN of 0 * log 0 or 0 * 0^-1. The expected values are PyTorch's
 * ({@code torch.pow(x, y).backward()}).
 */
class PowAtZeroTest {
  private static final String TWO_INPUTS =
      "model M { input x grad; input y grad; output z = pow(x, y); loss L = z; }";

  /** grad x and grad y of pow(x, y) at one point, from the reference evaluator and generated code. */
  private static double[][] gradients(String source, double x, double y) {
    Compiled c = Compiled.of(source, 1, 1, -1, 1);
    c.perInstance.put("x", new double[][] {{x}});
    c.perInstance.put("y", new double[][] {{y}});
    Generated g = Generated.run(c, Map.of("x", new double[] {x}, "y", new double[] {y}));
    return new double[][] {
      {c.inputGradient("x", 0)[0], c.inputGradient("y", 0)[0]},
      {g.gradient("x")[0], g.gradient("y")[0]}
    };
  }

  @Test
  void exponentGradientOfZeroToThePowerIsZero() {
    String source = "model M { input y grad; output z = pow(0, y); loss L = z; }";
    for (double y : new double[] {0.5, 2, 3}) {
      Compiled c = Compiled.of(source, 1, 1, -1, 1);
      c.perInstance.put("y", new double[][] {{y}});
      assertThat(c.inputGradient("y", 0)).as("y = %s", y).containsExactly(0.0);
      assertThat(Generated.run(c, Map.of("y", new double[] {y})).gradient("y"))
          .as("generated, y = %s", y).containsExactly(0.0);
    }
  }

  @Test
  void bothGradientsAtZeroToTheZeroAreZero() {
    for (double[] per : gradients(TWO_INPUTS, 0, 0)) {
      assertThat(per).containsExactly(0.0, 0.0);
    }
  }

  @Test
  void limitsAtZeroBaseMatchPyTorch() {
    // torch: x = 0, y = 2 -> (0, 0); y = 0.5 -> (inf, 0); y = 1 -> (1, 0)
    for (double[] per : gradients(TWO_INPUTS, 0, 2)) {
      assertThat(per).containsExactly(0.0, 0.0);
    }
    for (double[] per : gradients(TWO_INPUTS, 0, 0.5)) {
      assertThat(per).containsExactly(Double.POSITIVE_INFINITY, 0.0);
    }
    for (double[] per : gradients(TWO_INPUTS, 0, 1)) {
      assertThat(per).containsExactly(1.0, 0.0);
    }
  }

  @Test
  void awayFromZeroTheGradientsAreTheTextbookOnesExactly() {
    double x = 1.7;
    double y = -0.3;
    for (double[] per : gradients(TWO_INPUTS, x, y)) {
      assertThat(per).containsExactly(y * Math.pow(x, y - 1), Math.pow(x, y) * Math.log(x));
    }
    // a^0 away from a = 0: d/da is 0, d/db is log(a)
    for (double[] per : gradients(TWO_INPUTS, 2, 0)) {
      assertThat(per).containsExactly(0.0, Math.log(2));
    }
  }

  @Test
  void gradPrintsAZeroGradientNotAnInfinity() {
    Compiled c = Compiled.of("model M { input y grad; output z = pow(0, y); loss L = z; }");
    String text = GradText.render(ProgramLayout.of(c.derivation.program(), null));
    assertThat(text).contains("dy = 0;").doesNotContain("1 / 0");
  }
}
