package dev.nabla.compiler.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.parse.BigStack;
import dev.nabla.compiler.pipeline.Frontend;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Messages that name a chain (the def calls around an error, a cycle of values or defs) show its
 * first and last three links and how many are left out (issue 12, item 17): an error inside
 * 30,000 nested def calls was a 130 KB message. Short chains are shown whole.
 */
class LongChainsTest {
  /** {@code def f0(v) = v[7];} (an error for vectors) called through f1 ... f(n-1). */
  static String nestedCalls(int n) {
    StringBuilder s = new StringBuilder("def f0(v) = v[7];\n");
    for (int i = 1; i < n; i++) {
      s.append("def f").append(i).append("(v) = f").append(i - 1).append("(v);\n");
    }
    return s.append("model M { input x[2]; target d[2]; output y = f").append(n - 1)
        .append("(x); loss L = l2(y, d); }\n").toString();
  }

  /** A cycle a0 = a1, a1 = a2, ..., a(n-1) = a0. */
  static String valueCycle(int n) {
    StringBuilder s = new StringBuilder("model M { input x[2]; target d[2];\n");
    for (int i = 0; i < n; i++) {
      s.append("a").append(i).append(" = a").append((i + 1) % n).append(" + x;\n");
    }
    return s.append("output y = a0; loss L = l2(y, d); }\n").toString();
  }

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("an error inside 10 nested def calls", nestedCalls(10),
            "test.nn:1:15: error: index 7 is out of range for v, which is [2] (valid: -2 to 1) (in 'f0'"
                + " called at 2:13, in 'f1' called at 3:13, in 'f2' called at 4:13, ... 4 more ..., in 'f7'"
                + " called at 9:13, in 'f8' called at 10:13, in 'f9' called at 11:47)"),
        Arguments.of("an error inside 7 nested def calls is shown whole", nestedCalls(7),
            "test.nn:1:15: error: index 7 is out of range for v, which is [2] (valid: -2 to 1) (in 'f0'"
                + " called at 2:13, in 'f1' called at 3:13, in 'f2' called at 4:13, in 'f3' called at 5:13,"
                + " in 'f4' called at 6:13, in 'f5' called at 7:13, in 'f6' called at 8:47)"),
        Arguments.of("a cycle through 12 values", valueCycle(12),
            "test.nn:2:1: error: cycle between values: a0 -> a1 -> a2 -> ... 7 more ... -> a10 -> a11"
                + " -> a0 (a value cannot depend on itself)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void showsTheEndsOfALongChain(String name, String source, String expected) {
    Frontend.Result result = Frontend.run(new Source("test.nn", source));
    assertThat(result.diagnostics().sorted()).extracting(DiagnosticRenderer::header).containsExactly(expected);
  }

  @Test
  void anErrorInside30000NestedCallsIsOneShortLine() {
    Frontend.Result result = BigStack.run(() -> Frontend.run(new Source("test.nn", nestedCalls(30_000))));
    List<String> headers = result.diagnostics().sorted().stream().map(DiagnosticRenderer::header).toList();
    assertThat(headers).hasSize(1);
    assertThat(headers.getFirst()).hasSizeLessThan(400)
        .contains("in 'f0' called at 2:13, ").contains(", ... 29994 more ..., ")
        .endsWith("in 'f29999' called at 30001:47)");
  }
}
