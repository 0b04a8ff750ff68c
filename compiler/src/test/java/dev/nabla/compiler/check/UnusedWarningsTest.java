package dev.nabla.compiler.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Severity;
import dev.nabla.compiler.pipeline.Frontend;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Warnings for unused names (issue 12, item 24), as a table: a model and the exact header of
 * every warning it gets. A name is unused when neither the loss nor any output refers to it,
 * directly or through other values. Warnings do not fail the check: the model is still made.
 */
class UnusedWarningsTest {
  private static Arguments warns(String name, String source, String... warnings) {
    return Arguments.of(name, source, List.of(warnings));
  }

  static Stream<Arguments> table() {
    return Stream.of(
        warns("an unused param (grad printed dUnused = expand(0, 5))",
            """
            model M {
              input x[5]; target d[5];
              param w[5]; param unused[5];
              output y = w * x;
              loss L = l2(y, d);
            }
            """,
            "test.nn:3:21: warning: param 'unused' is not used: it does not reach the loss or an output"),
        warns("an unused input, target and hyper",
            """
            model M {
              input x[5]; input extra[3] grad; target d[5]; target spare;
              hyper lambda = 0.1;
              param w[5];
              output y = w * x;
              loss L = l2(y, d);
            }
            """,
            "test.nn:2:21: warning: input 'extra' is not used: it does not reach the loss or an output",
            "test.nn:2:56: warning: target 'spare' is not used: it does not reach the loss or an output",
            "test.nn:3:9: warning: hyper 'lambda' is not used: it does not reach the loss or an output"),
        warns("a value used only by an unused value is unused too, and so is what only it uses",
            """
            model M {
              input x[5]; target d[5];
              param w[5]; param v[5];
              h = tanh(v * x);
              g = h * 2;
              output y = w * x;
              loss L = l2(y, d);
            }
            """,
            "test.nn:3:21: warning: param 'v' is not used: it does not reach the loss or an output",
            "test.nn:4:3: warning: value 'h' is not used: it does not reach the loss or an output",
            "test.nn:5:3: warning: value 'g' is not used: it does not reach the loss or an output"),
        warns("what reaches only an output is used; 'output h;' uses h; a def argument is a use",
            """
            def twice(a) = a * 2;
            model M {
              input x[5]; target d[5];
              param w[5]; param v[5];
              h = twice(v) * x;
              output h;
              output y = w * x;
              loss L = l2(y, d);
            }
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void warnsExactlyAbout(String name, String source, List<String> expected) {
    Frontend.Result result = Frontend.run(new Source("test.nn", source));
    assertThat(result.ok()).as("warnings are not errors").isTrue();
    assertThat(result.models()).hasSize(1);
    assertThat(result.diagnostics().sorted())
        .allMatch(d -> d.severity() == Severity.WARNING)
        .extracting(DiagnosticRenderer::header)
        .containsExactlyElementsOf(expected);
  }

  @Test
  void warningsPastTheLimitAreCountedNotShown() {
    StringBuilder source = new StringBuilder("model M { input x[2]; target d[2]; param w[2];\n");
    for (int i = 0; i < 1_500; i++) {
      source.append("param p").append(i).append("[2];\n");
    }
    source.append("output y = w * x; loss L = l2(y, d); }\n");
    Frontend.Result result = Frontend.run(new Source("test.nn", source.toString()));
    assertThat(result.ok()).isTrue();
    assertThat(result.diagnostics().warningCount()).isEqualTo(1_500);
    assertThat(result.diagnostics().sorted()).hasSize(1_000);
    assertThat(DiagnosticRenderer.renderAll(result.diagnostics()))
        .endsWith("... and 500 more warnings, not shown (only the first 1000 are)\n");
  }

  @Test
  void aWarningShowsTheLineAndACaretLikeAnError() {
    Frontend.Result result = Frontend.run(new Source("test.nn",
        "model M { input x[2]; target d[2]; param w[2]; param b[2]; output y = w * x; loss L = l2(y, d); }\n"));
    assertThat(DiagnosticRenderer.renderAll(result.diagnostics())).isEqualTo("""
        test.nn:1:54: warning: param 'b' is not used: it does not reach the loss or an output
          model M { input x[2]; target d[2]; param w[2]; param b[2]; output y = w * x; loss L = l2(y, d); }
                                                               ^
        """);
  }
}
