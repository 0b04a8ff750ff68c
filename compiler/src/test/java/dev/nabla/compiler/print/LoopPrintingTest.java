package dev.nabla.compiler.print;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.testing.Compiled;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@code nabla grad} prints a loop's derivative (issue 17): the backward loop as a block whose
 * state is never read after its update, the whole program and one gradient's part of it, in text
 * and LaTeX. {@link GradRoundTripTest} parses such programs back.
 */
class LoopPrintingTest {
  private static final String ELMAN = Models.ELMAN;

  private static List<String> statements(String text) {
    return text.lines().filter(l -> !l.startsWith("#")).toList();
  }

  @Test
  void theBackwardLoopOfAnElmanRnnReadsAsBackpropagationThroughTime() {
    Compiled c = Compiled.of(ELMAN);
    String text = GradText.render(ProgramLayout.of(c.derivation.program(), null));
    assertThat(statements(text)).containsExactly(
        "dh = V.T @ (y - d);",
        "for x in reverse(xs), h_prev in reverse(previous(h)) {",
        "  state dh_t[3] = dh;",
        "  state sum_dW[3, 2] = 0;",
        "  state sum_dU[3, 3] = 0;",
        "  state sum_db[3] = 0;",
        "  t1 = dh_t * (1 - tanh(W @ x + U @ h_prev + b)^2);",
        "  collect dx = W.T @ t1;",
        "  dh_t = U.T @ t1;",
        "  sum_dW = sum_dW + outer(t1, x);",
        "  sum_dU = sum_dU + outer(t1, h_prev);",
        "  sum_db = sum_db + t1;",
        "}",
        "dW = sum_dW;",
        "dU = sum_dU;",
        "db = sum_db;",
        "dV = outer(y - d, h);",
        "dxs = dx;");
    assertThat(text).contains("# backward loop (backpropagation through time) of the loop at line 5, t = T-1 down to 0");
  }

  @Test
  void oneGradientKeepsTheLoopItNeeds() {
    Compiled c = Compiled.of(ELMAN);
    List<String> onlyU = statements(GradText.render(ProgramLayout.of(c.derivation.program(), "U")));
    assertThat(onlyU).contains("for x in reverse(xs), h_prev in reverse(previous(h)) {", "dU = sum_dU;");
    assertThat(onlyU).noneMatch(l -> l.startsWith("dV"));
    List<String> onlyV = statements(GradText.render(ProgramLayout.of(c.derivation.program(), "V")));
    assertThat(onlyV).containsExactly("dV = outer(y - d, h);");
  }

  @Test
  void latexWritesTheLoopWithItsStepsLines() {
    Compiled c = Compiled.of(ELMAN);
    String latex = GradLatex.render(ProgramLayout.of(c.derivation.program(), null));
    assertThat(latex).contains(
        "&\\text{for } t = T-1, \\dots, 0:\\ x = \\mathit{xs}_{t},\\ \\mathit{h\\_prev} = \\mathit{previous(h)}_{t} \\\\",
        "&\\quad \\mathit{sum\\_dW} \\leftarrow 0 \\\\",
        "&\\qquad \\mathit{dh\\_t} \\leftarrow U^{\\top} t_{1} \\\\",
        "\\frac{\\partial L}{\\partial W} &= \\mathit{sum\\_dW}");
  }
}
