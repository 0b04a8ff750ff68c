package dev.nabla.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.ast.Expr;
import dev.nabla.compiler.ast.Member;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Deep nesting and big files parse without StackOverflowError on a {@link BigStack}, in
 * reasonable time. Times are printed; the only assertion on them is a generous hang guard (the
 * build machines are shared, and timings there vary by a factor of ten).
 */
class LargeInputTest {
  private static final Duration HANG_GUARD = Duration.ofSeconds(10);

  private static <T> T timed(String what, Supplier<T> task) {
    long start = System.nanoTime();
    T result = task.get();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.printf("[parse timing] %s: %.1f ms%n", what, took.toNanos() / 1e6);
    assertThat(took).as(what).isLessThan(HANG_GUARD);
    return result;
  }

  /** A model of about {@code lines} lines: a chain of layers. */
  static String bigModel(int lines) {
    StringBuilder text = new StringBuilder("model Big {\n");
    text.append("  input x[16];\n  target d[16];\n  param W[16, 16] = he;\n  param b[16];\n");
    text.append("  hyper lambda = 1e-4;\n  z0 = x;\n");
    int layers = lines - 10;
    for (int i = 1; i <= layers; i++) {
      text.append("  z").append(i).append(" = relu(W @ z").append(i - 1)
          .append(" + b) * 0.5 - z").append(i - 1).append(".T / 2;  # layer ").append(i)
          .append('\n');
    }
    text.append("  output Y = softmax(z").append(layers).append(");\n");
    text.append("  loss L = cross_entropy(Y, d) + lambda * norm2(W);\n}\n");
    return text.toString();
  }

  @Test
  void aTenThousandLineModel() {
    String text = bigModel(10_000);
    assertThat(text.lines().count()).isEqualTo(10_000);
    Parsing.parse(text); // warm up ANTLR's caches, as a compiler run on the second file would
    Parsing.Result result = timed("10,000-line model", () -> Parsing.parse(text));
    assertThat(result.rendered()).isEmpty();
    assertThat(result.model().members()).hasSize(10_000 - 2);
    Member last = result.model().members().getLast();
    assertThat(last.span().line()).isEqualTo(9_999);
  }

  @Test
  void aTenThousandLineModelWithAnErrorTakesTheSlowPathToo() {
    // A syntax error sends the parser to its second, full-LL stage.
    String text = bigModel(10_000).replace(".T / 2;  # layer 5000\n", ".T / 2  # layer 5000\n");
    Parsing.Result result = timed("10,000-line model with an error", () -> Parsing.parse(text));
    assertThat(result.diagnostics().errorCount()).isEqualTo(1);
    assertThat(result.diagnostics().errors().getFirst().span().line()).isEqualTo(5007);
  }

  @Test
  void fiveHundredNestedParentheses() {
    String text = "model M { z = " + "(".repeat(500) + "x" + ")".repeat(500) + "; }";
    Parsing.Result result = timed("500 nested parentheses", () -> Parsing.parse(text));
    assertThat(result.rendered()).isEmpty();
  }

  @Test
  void fiveHundredNestedSums() {
    String text = "model M { z = " + "x + (".repeat(500) + "x" + ")".repeat(500) + "; }";
    Parsing.Result result = timed("500 nested sums x+(x+(...))", () -> Parsing.parse(text));
    assertThat(result.rendered()).isEmpty();
    Expr e = ((Member.Assign) result.model().members().getFirst()).value();
    int depth = 0;
    while (e instanceof Expr.Binary b) {
      depth++;
      e = b.right();
    }
    assertThat(depth).isEqualTo(500);
  }

  @Test
  void fiveHundredNestedNegationsCallsAndPowers() {
    String text =
        "model M { a = " + "-".repeat(500) + "x;"
            + " b = " + "f(".repeat(500) + "x" + ")".repeat(500) + ";"
            + " c = " + "x ^ ".repeat(500) + "2; }";
    Parsing.Result result = timed("500-deep -, f(...) and ^", () -> Parsing.parse(text));
    assertThat(result.rendered()).isEmpty();
  }

  @Test
  void tenThousandTermsInOneExpression() {
    // Left-associative: the AST is 10,000 deep on its left side.
    String text = "model M { z = " + "x * 2 + ".repeat(10_000) + "x; }";
    Parsing.Result result = timed("10,000-term sum", () -> Parsing.parse(text));
    assertThat(result.rendered()).isEmpty();
    String printed = BigStack.run(() -> AstPrinter.print(
        ((Member.Assign) result.model().members().getFirst()).value()));
    assertThat(printed).startsWith("(+ (+ (+ ");
  }

  @Test
  void deepAndBrokenStillReportsOneError() {
    String text = "model M { z = " + "(".repeat(500) + "x" + ")".repeat(499) + "; }";
    Parsing.Result result = timed("500 nested parentheses, one missing", () -> Parsing.parse(text));
    assertThat(result.diagnostics().errorCount()).isEqualTo(1);
    assertThat(result.rendered()).contains("expected ')' to close the '(' at line 1, column 15");
  }
}
