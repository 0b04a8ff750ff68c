package dev.nabla.compiler.print;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.testing.Compiled;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The exact {@code nabla grad} output for the models the lecture derives by hand. */
class GradGoldenTest {
  private static String grad(String source, String wrt) {
    Compiled c = Compiled.of(source);
    return GradText.render(ProgramLayout.of(c.derivation.program(), wrt)).replace("test.nn", "FILE");
  }

  @Test
  void digitsMlp() {
    assertThat(grad(Models.DIGITS, null))
        .isEqualTo(
            """
            # Derivative program of model Digits (FILE), per instance:
            # the generated code averages each param gradient over the batch.
            # line 14: dL/dz2 = dL/d(log_softmax(z2)) * d(log_softmax(z2))/dz2
            dz2 = Y * sum(d) - d;
            # line 13: dL/dy1 = dL/d(W2 @ y1) * d(W2 @ y1)/dy1
            dy1 = W2.T @ dz2;
            # line 12: dL/dz1 = dL/dy1 * dy1/dz1
            dz1 = dy1 * step(z1);
            # gradient of W1
            dW1 = 2 * lambda * W1 + outer(dz1, x);
            # gradient of b1
            db1 = dz1;
            # gradient of W2
            dW2 = outer(dz2, y1);
            # gradient of b2
            db2 = dz2;
            """);
  }

  @Test
  void softmaxCrossEntropyIsFusedToYMinusD() {
    assertThat(grad(Models.SOFTMAX_CE, null))
        .isEqualTo(
            """
            # Derivative program of model Softmax (FILE), per instance:
            # the generated code averages each param gradient over the batch.
            # line 4: dL/dz = dL/d(log_softmax(z)) * d(log_softmax(z))/dz
            dz = Y * sum(d) - d;
            # gradient of W
            dW = outer(dz, x);
            # gradient of b
            db = dz;
            """);
  }

  @Test
  void sigmoidBceIsFusedToPMinusD() {
    assertThat(grad(Models.SIGMOID_BCE, null))
        .isEqualTo(
            """
            # Derivative program of model Logistic (FILE), per instance:
            # the generated code averages each param gradient over the batch.
            # line 4: dL/dz = dL/d(softplus(z)) * d(softplus(z))/dz + dL/d(d * z) * d(d * z)/dz
            dz = p - d;
            # gradient of w
            dw = dz * x;
            # gradient of b
            db = dz;
            """);
  }

  @Test
  void wrtKeepsOnlyWhatOneGradientNeeds() {
    assertThat(grad(Models.DIGITS, "W2"))
        .isEqualTo(
            """
            # Derivative program of model Digits (FILE), per instance:
            # the generated code averages each param gradient over the batch.
            # line 14: dL/dz2 = dL/d(log_softmax(z2)) * d(log_softmax(z2))/dz2
            dz2 = Y * sum(d) - d;
            # gradient of W2
            dW2 = outer(dz2, y1);
            """);
  }

  @Test
  void latexOfTheStableForms() {
    Compiled c = Compiled.of("""
        model M { input z[3] grad; input X[2, 3] grad; output y = z;
          loss L = sum(log_sigmoid(z)) + logsumexp(z) + sum(logsumexp(X, axis=1)); }""");
    String latex = GradLatex.render(ProgramLayout.of(c.derivation.program(), null));
    assertThat(latex).contains(
        "\\frac{\\partial L}{\\partial z} &= \\exp \\left(z - \\operatorname{logsumexp}\\left(z\\right)\\right) + \\sigma\\left(-z\\right)",
        "\\operatorname{logsumexp}\\left(X; \\text{axis } 1\\right)");
    String text = GradText.render(ProgramLayout.of(c.derivation.program(), null));
    assertThat(text).contains("dz = exp(z - logsumexp(z)) + sigmoid(-z);", "logsumexp(X, axis=1)");
  }

  /** Only standard LaTeX and amsmath macros, so the output renders anywhere. */
  @Test
  void latexUsesStandardMacros() {
    Compiled c = Compiled.of(Models.DIGITS);
    String latex = GradLatex.render(ProgramLayout.of(c.derivation.program(), null));
    assertThat(latex).startsWith("\\begin{align*}\n").endsWith("\\end{align*}\n");
    assertThat(latex).contains("\\frac{\\partial L}{\\partial z_{2}} &= Y \\, \\sum d - d");
    assertThat(latex).contains("\\frac{\\partial L}{\\partial W_{2}} &= \\frac{\\partial L}{\\partial z_{2}} y_{1}^{\\top}");
    Set<String> standard = Set.of("begin", "end", "frac", "partial", "odot", "sum", "top", "operatorname",
        "left", "right", "mathit", "lambda", "sigma", "exp", "log", "sin", "cos", "tanh", "sqrt", "mathbf",
        "text", "alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "kappa", "mu", "nu", "xi",
        "pi", "rho", "tau", "phi", "chi", "psi", "omega");
    Matcher m = Pattern.compile("\\\\([A-Za-z]+)").matcher(latex);
    while (m.find()) {
      assertThat(standard).as("macro \\" + m.group(1)).contains(m.group(1));
    }
  }

  /**
   * Version 2's functions in LaTeX: standard macros where LaTeX has one, the rest as
   * operatorname; a function written before its argument is parenthesised under a power
   * ({@code \tan z^{2}} would read as tan(z^2)).
   */
  @Test
  void latexOfVersion2Functions() {
    Compiled c = Compiled.of("""
        model V {
          input x[3]; param w[3];
          z = w * x;
          output y = tan(z) + erf(z) + floor(z) * asinh(z) + ceil(z) * atan(z) + round(z) * log1p(z);
          loss L = sum(y);
        }
        """);
    String latex = GradLatex.render(ProgramLayout.of(c.derivation.program(), null));
    assertThat(latex).contains("\\left(\\tan z\\right)^{2}", "\\left\\lfloor z\\right\\rfloor",
        "\\left\\lceil z\\right\\rceil", "\\operatorname{round}\\left(z\\right)");
    assertThat(latex).doesNotContain("\\tan z^{2}");
  }
}
