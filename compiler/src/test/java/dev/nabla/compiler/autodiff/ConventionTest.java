package dev.nabla.compiler.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.testing.Compiled;
import org.junit.jupiter.api.Test;

/**
 * Exactly at the kinks, finite differences say nothing useful; the gradient must follow the
 * language's documented subgradient conventions instead.
 */
class ConventionTest {
  private static double[] gradientAt(String decls, String loss, String param, double[]... values) {
    Compiled c = Compiled.of("model T { " + decls + " loss L = " + loss + "; output L; }", 1, 1, -1, 1);
    String[] names = c.shared.keySet().toArray(String[]::new);
    for (int i = 0; i < values.length; i++) {
      c.shared.put(names[i], values[i]);
    }
    return c.gradient(param);
  }

  @Test
  void reluHasSlopeOneAtZero() {
    assertThat(gradientAt("param a[3];", "sum(relu(a))", "a", new double[] {0, 1, -1}))
        .containsExactly(1, 1, 0);
  }

  @Test
  void absHasSlopeZeroAtZero() {
    assertThat(gradientAt("param a[3];", "sum(abs(a))", "a", new double[] {0, 2, -2}))
        .containsExactly(0, 1, -1);
  }

  @Test
  void leakyReluHasSlopeOneAtZero() {
    assertThat(gradientAt("param a[2];", "sum(leaky_relu(a, alpha=0.1))", "a", new double[] {0, -1}))
        .containsExactly(1, 0.1);
  }

  @Test
  void maxOfTwoSendsTiesToTheFirst() {
    double[] a = {1, 2};
    double[] b = {1, 3};
    assertThat(gradientAt("param a[2]; param b[2];", "sum(max(a, b))", "a", a, b)).containsExactly(1, 0);
    assertThat(gradientAt("param a[2]; param b[2];", "sum(max(a, b))", "b", a, b)).containsExactly(0, 1);
    assertThat(gradientAt("param a[2]; param b[2];", "sum(min(a, b))", "a", a, b)).containsExactly(1, 1);
  }

  @Test
  void maxAndMinOfAVectorSendTheGradientToTheFirstExtreme() {
    assertThat(gradientAt("param a[4];", "max(a)", "a", new double[] {1, 3, 3, 0})).containsExactly(0, 1, 0, 0);
    assertThat(gradientAt("param a[4];", "min(a)", "a", new double[] {2, 0, 0, 5})).containsExactly(0, 1, 0, 0);
  }

  @Test
  void maxpoolSendsEachGroupsGradientToItsFirstLargest() {
    assertThat(gradientAt("param c[6];", "sum(maxpool(c, 2))", "c", new double[] {1, 1, 2, 0, 3, 3}))
        .containsExactly(1, 0, 1, 0, 1, 0);
  }

  @Test
  void argmaxMaskMarksTheFirstLargest() {
    assertThat(gradientAt("param a[3]; param b[3];", "sum(argmax_mask(a) * b)", "b",
            new double[] {2, 2, 1}, new double[] {0, 0, 0}))
        .containsExactly(1, 0, 0);
  }
}
