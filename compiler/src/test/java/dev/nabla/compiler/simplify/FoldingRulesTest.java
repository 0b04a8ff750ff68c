package dev.nabla.compiler.simplify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.print.GradText;
import dev.nabla.compiler.print.ProgramLayout;
import dev.nabla.compiler.testing.Compiled;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules that fold constants across products and drop zero vectors (issue 12, item 26): the
 * printed gradient is the short form, and it is the same number as before simplification.
 */
class FoldingRulesTest {
  /** The statements of {@code nabla grad}, after checking that simplification kept the numbers. */
  private static List<String> statements(String source) {
    Compiled c = Compiled.of(source);
    for (String name : c.derivation.program().gradients().keySet()) {
      double[] raw = c.derivation.program().model().params().stream().anyMatch(p -> p.name().equals(name))
          ? c.rawGradient(name) : rawInputGradient(c, name);
      double[] simplified = c.derivation.program().model().params().stream().anyMatch(p -> p.name().equals(name))
          ? c.gradient(name) : c.inputGradient(name, 0);
      assertThat(Compiled.worstError(simplified, raw)).as(name).isLessThan(1e-12);
    }
    String text = GradText.render(ProgramLayout.of(c.derivation.program(), null));
    return text.lines().filter(l -> !l.startsWith("#")).toList();
  }

  private static double[] rawInputGradient(Compiled c, String name) {
    return c.evaluator().value(c.derivation.raw().gradients().get(name), 0);
  }

  @Test
  void aConstantFactorJoinsTheScalarInFront() {
    assertThat(statements("model M { input x[3]; param W[2, 3]; hyper lambda = 0.1; "
            + "loss L = lambda * norm2(W) + sum(W @ x); output L; }"))
        .contains("dW = outer(expand(1, 2), x) + 2 * lambda * W;");
  }

  @Test
  void constantsFoldThroughAQuotient() {
    assertThat(statements("model M { input x[3] grad; hyper n = 4; loss L = 0.5 / n * sum(x^2); output L; }"))
        .containsExactly("dx = x / n;");
  }

  @Test
  void aPowerWithAConstantExponentIsAPowerOperator() {
    assertThat(statements("model M { input x[3] grad; loss L = sum(pow(x, 2)); output L; }"))
        .containsExactly("dx = 2 * x;");
  }

  @Test
  void aSpreadOfASpreadOfAConstantIsOneSpread() {
    assertThat(statements("model M { input X[2, 3] grad; loss L = sum(sum(X, axis=1)); output L; }"))
        .containsExactly("dX = expand(1, 2, 3);");
  }

  @Test
  void theRulesHoldAtRankThree() {
    // a spread of a spread along an inner axis of a constant is one spread
    assertThat(statements("model M { input X[2, 3, 4] grad; loss L = sum(sum(X, axis=1)); output L; }"))
        .containsExactly("dX = expand(1, 2, 3, 4);");
    // summing k copies along the axis they were copied along is k times the value
    assertThat(statements("model M { input v[2, 4] grad; "
            + "loss L = sum(sum(expand(v, 2, 3, 4, axis=1), axis=1) * v); output L; }"))
        .containsExactly("dv = 6 * v;");
    // a NumPy broadcast an elementwise operator does by itself needs no expand
    assertThat(statements("model M { input X[2, 3, 4] grad; param w[4]; "
            + "loss L = sum(expand(w, 2, 3, 4) * X); output L; }"))
        .containsExactly("dw = sum(sum(X, axis=1), axis=0);", "dX = expand(w, 2, 3, 4);");
  }

  @Test
  void zeroVectorsDisappear() {
    assertThat(statements("model M { input v[12] grad; loss L = sum(v) + v[0] * 0; output L; }"))
        .containsExactly("dv = expand(1, 12);");
    assertThat(statements("model M { input v[4] grad; param A[2, 4]; "
            + "loss L = sum(v) + sum(A @ slice(concat(v, v), 0, 4)) * 0; output L; }"))
        .containsExactly("dA = expand(0, 2, 4);", "dv = expand(1, 4);");
  }
}
