package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nabla grad} on the spec's digits model. */
class GradCommandTest {
  @TempDir Path dir;
  Path digits;

  @BeforeEach
  void setUp() {
    digits = Cli.digits(dir);
  }

  /** The lines of a derivative program that are not comments. */
  static List<String> statements(String out) {
    return out.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
  }

  @Test
  void printsTheSimplifiedDerivativeProgram() {
    Cli.Result r = Cli.run("grad", digits);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(statements(r.out())).containsExactly(
        "dz2 = Y * sum(d) - d;",
        "dy1 = W2.T @ dz2;",
        "dz1 = dy1 * step(z1);",
        "dW1 = 2 * lambda * W1 + outer(dz1, x);",
        "db1 = dz1;",
        "dW2 = outer(dz2, y1);",
        "db2 = dz2;");
  }

  @Test
  void endsWithTheGradientOfEveryParam() {
    List<String> lines = statements(Cli.run("grad", digits).out());
    assertThat(lines.subList(lines.size() - 4, lines.size())).extracting(l -> l.substring(0, l.indexOf(" =")))
        .containsExactlyInAnyOrder("dW1", "db1", "dW2", "db2");
  }

  @Test
  void wrtPrintsOnlyWhatThatParamNeeds() {
    Cli.Result r = Cli.run("grad", digits, "--wrt", "W2");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(statements(r.out())).containsExactly("dz2 = Y * sum(d) - d;", "dW2 = outer(dz2, y1);");

    assertThat(statements(Cli.run("grad", digits, "--wrt", "W1").out())).containsExactly(
        "dz2 = Y * sum(d) - d;",
        "dy1 = W2.T @ dz2;",
        "dz1 = dy1 * step(z1);",
        "dW1 = 2 * lambda * W1 + outer(dz1, x);");
  }

  @Test
  void theTextFormIsValidNn() {
    // the derivative program, appended to the model as statements, compiles: the printed
    // expressions are valid syntax over the model's own names, with consistent shapes
    String model = Cli.resource("digits.nn").strip();
    String program = Cli.run("grad", digits).out();
    String extended = model.substring(0, model.length() - 1) + program + "}\n";
    Cli.Result r = Cli.run("compile", Cli.write(dir, "extended.nn", extended), "--check");
    assertThat(r.code()).as(extended + r).isZero();
    // no error; the appended lines reach neither loss nor output, so each is an unused value
    assertThat(r.err()).doesNotContain("error").contains("warning: value 'dW1' is not used");
  }

  @Test
  void latexPrintsAnAlignEnvironment() {
    Cli.Result r = Cli.run("grad", digits, "--format", "latex");
    assertThat(r.code()).as(r.toString()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.getFirst()).isEqualTo("\\begin{align*}");
    assertThat(lines.getLast()).isEqualTo("\\end{align*}");
    assertThat(r.out())
        .contains("\\frac{\\partial L}{\\partial z_{2}} &=")
        .contains("\\frac{\\partial L}{\\partial W_{2}} &=");
    // one equation per adjoint, separated by \\
    assertThat(lines.subList(1, lines.size() - 1)).hasSize(7).allSatisfy(l -> assertThat(l).contains("&="));
  }

  @Test
  void latexWithWrt() {
    Cli.Result r = Cli.run("grad", digits, "--format", "latex", "--wrt", "b2");
    assertThat(r.code()).isZero();
    assertThat(r.out().lines().filter(l -> l.contains("&=")).count()).isEqualTo(2);
  }

  @Test
  void traceNamesTheStableRewriteAndTheRulesThatFired() {
    Cli.Result r = Cli.run("grad", digits, "--trace");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("cross_entropy(softmax(z), d) became")
        .contains("log_softmax")
        .contains("before simplification")
        .contains("x * 1 -> x")
        .contains("fold constants");
    // the trace shows the raw program and then the simplified one, which also ends the output
    assertThat(r.out().indexOf("before simplification")).isLessThan(r.out().indexOf("x * 1 -> x"));
    assertThat(r.out().strip()).endsWith("db2 = dz2;");
  }

  @Test
  void gradInputsGetTheirGradientToo() {
    Path file = Cli.write(dir, "res.nn", """
        model Residual {
          input x[3] grad; target d[3];
          param W[3, 3];
          output y = x + tanh(W @ x);
          loss L = l2(y, d);
        }""");
    Cli.Result r = Cli.run("grad", file);
    assertThat(r.code()).as(r.toString()).isZero();
    List<String> lines = statements(r.out());
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("dx = "));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("dW = "));
    assertThat(statements(Cli.run("grad", file, "--wrt", "x").out())).noneSatisfy(l -> assertThat(l).startsWith("dW ="));
  }

  @Test
  void aModelWithErrorsExitsWithOne() {
    Path bad = Cli.write(dir, "bad.nn", Cli.resource("digits.nn").replace("softmax(z2)", "softmax(z3)"));
    Cli.Result r = Cli.run("grad", bad);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("bad.nn:15:22: error: undefined name 'z3'").contains("1 error");
  }
}
