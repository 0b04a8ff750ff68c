package dev.nabla.compiler.print;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.pipeline.Frontend;
import dev.nabla.compiler.testing.Compiled;
import org.junit.jupiter.api.Test;

/**
 * Infinities in {@code nabla grad} output (issue 12, item 1): the simplifier never folds finite
 * constants into an infinity the model did not write ({@code log(0)} and {@code 1 / 0} stay as
 * written), an infinity the model wrote prints as {@code 1 / 0} in text and {@code \infty} in
 * LaTeX, and the text still parses back to the same numbers.
 */
class NonFinitePrintingTest {
  private static String text(Compiled c) {
    return GradText.render(ProgramLayout.of(c.derivation.program(), null));
  }

  private static String latex(Compiled c) {
    return GradLatex.render(ProgramLayout.of(c.derivation.program(), null));
  }

  @Test
  void aDivisionByZeroStaysAsWritten() {
    Compiled c = Compiled.of("model M { input x grad; loss L = x / 0; output L; }");
    assertThat(text(c)).contains("dx = 1 / 0;");
    assertThat(latex(c)).contains("\\frac{1}{0}");
    assertParsesBackToTheSameNumbers(c, "model M { input x grad; loss L = x / 0; output L; ");
  }

  @Test
  void anInfiniteExponentWrittenInTheModelPrintsAsInfinity() {
    String model = "model M { input x grad; loss L = x^(1/0); output L; ";
    Compiled c = Compiled.of(model + "}", 1, 1, 1.5, 2);
    assertThat(text(c)).contains("dx = (1 / 0) * L;");
    assertThat(latex(c)).contains("&= \\infty \\, L").doesNotContain("1 / 0");
    assertParsesBackToTheSameNumbers(c, model);
  }

  /** The printed statements appended to the model compute the gradient exactly (infinities too). */
  private static void assertParsesBackToTheSameNumbers(Compiled c, String modelWithoutClose) {
    StringBuilder extended = new StringBuilder(modelWithoutClose);
    text(c).lines().filter(l -> !l.startsWith("#")).forEach(l -> extended.append(l).append('\n'));
    extended.append("}\n");
    Frontend.Result back = Frontend.run(new Source("back.nn", extended.toString()));
    // The printed lines are unused values of the model (a warning), never an error.
    assertThat(back.diagnostics().errors()).as(extended.toString()).extracting(DiagnosticRenderer::render).isEmpty();
    CheckedModel m = back.models().getFirst();
    assertThat(c.evaluator().value(m.values().get("dx"), 0))
        .containsExactly(c.inputGradient("x", 0));
  }
}
