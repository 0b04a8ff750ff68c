package dev.nabla.compiler.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.pipeline.Frontend;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The errors of the recurrence construct ({@code for x in xs { state ...; collect ...; }},
 * issue 17), as a table like {@link CheckerErrorsTest}'s: a bad model and the exact header of
 * every error it gets, in source order.
 */
class RecurrenceErrorsTest {
  private static Arguments bad(String name, String body, String... errors) {
    String source = "model M {\n  input xs[5, 3]; input ys[4, 3]; param W[2, 3]; param U[2, 2]; param s;\n"
        + body + "  output O = s + 1;\n  loss L = s * s;\n}\n";
    return Arguments.of(name, source, List.of(errors));
  }

  static Stream<Arguments> table() {
    return Stream.of(
        bad("a state never updated", """
              for x in xs { state h[2] = 0; z = W @ x; collect zs = z; }
            """,
            "test.nn:3:23: error: state 'h' is never updated: the loop's step must give it its next value,"
                + " as in 'h = ...;'"),
        bad("a state updated twice", """
              for x in xs {
                state h[2] = 0;
                h = tanh(W @ x);
                h = U @ h;
              }
            """,
            "test.nn:6:5: error: state 'h' is updated twice (line 5 and here); a step updates each state once"),
        bad("sequences of different lengths", """
              for x in xs, y in ys { state h[2] = 0; h = tanh(W @ x + W @ y); }
            """,
            "test.nn:3:21: error: the sequences of a loop must have one length: 'xs' has 5 steps, 'ys' has 4"),
        bad("an update of another shape than its state", """
              for x in xs { state h[3] = 0; h = W @ x; }
            """,
            "test.nn:3:33: error: the update of state 'h' is [2] but the state is [3] (line 3)"),
        bad("an initial value of another shape than its state", """
              for x in xs { state h[2] = x; h = W @ x; }
            """,
            "test.nn:3:30: error: 'x' is local to the loop: the sequences and the states' initial values are"
                + " computed before the loop starts"),
        bad("an initial value of another shape than its state (a model value)", """
              for x in xs { state h[2] = U; h = W @ x; }
            """,
            "test.nn:3:30: error: the initial value of state 'h' is [2, 2] but the state is [2]"),
        bad("a sequence of rank 0", """
              for x in s { state h[2] = 0; h = W @ x; }
            """,
            "test.nn:3:12: error: a loop runs over the first axis of its sequences, but 's' is a scalar"),
        bad("collect outside a loop", """
              for x in xs { state h[2] = 0; h = tanh(W @ x); }
              collect hs = h;
            """,
            "test.nn:4:3: error: 'collect' is only allowed inside a loop: it gathers a value from every step"
                + " of a 'for' loop"),
        bad("state outside a loop", """
              state h[2] = 0;
            """,
            "test.nn:3:3: error: 'state' is only allowed inside a loop: it declares a value carried from step"
                + " to step of a 'for' loop"),
        bad("a step-local value used after the loop", """
              for x in xs { state h[2] = 0; z = W @ x; h = tanh(z + U @ h); }
              output y = z;
            """,
            "test.nn:4:14: error: 'z' is local to the loop at line 3: after the loop only its states and"
                + " collected values are visible (collect it, as in 'collect zs = z;')"),
        bad("a value used before its line in the step", """
              for x in xs { state h[2] = 0; h = tanh(z); z = W @ x; }
            """,
            "test.nn:3:42: error: 'z' is used before its line in the loop (line 3): a loop's lines run in order"),
        bad("a collected name inside its loop", """
              for x in xs { state h[2] = 0; collect hs = h; h = tanh(W @ x) + hs[0]; }
            """,
            "test.nn:3:67: error: 'hs' is collected by this loop: it is its [T, ...] value after the loop;"
                + " inside the loop, use the value it collects"),
        bad("a step-local name that a model name has", """
              for x in xs { state h[2] = 0; W = U; h = tanh(W @ h); }
            """,
            "test.nn:3:33: error: 'W' is already defined at line 2 (every name is defined once)"),
        bad("a declaration inside a loop", """
              for x in xs { param V[2, 2]; state h[2] = 0; h = tanh(V @ h); }
            """,
            "test.nn:3:17: error: 'param V' cannot be inside a loop: declare it before the loop (a loop's body"
                + " holds statements, 'state' and 'collect')"),
        bad("a loop inside a loop", """
              for x in xs { state h[2] = 0; h = W @ x; for y in ys { state g[2] = 0; g = W @ y; } }
            """,
            "test.nn:3:44: error: a loop cannot be inside another loop: write it after this one, over this"
                + " loop's collected values"),
        bad("loops in two directions at once", """
              for x in reverse(xs), y in xs { state h[2] = 0; h = W @ x; }
            """,
            "test.nn:3:3: error: a loop runs in one direction: write reverse(...) around every sequence of"
                + " this loop or around none"),
        bad("a state named twice across loops", """
              for x in xs { state h[2] = 0; h = W @ x; }
              for x in xs { state h[2] = 0; h = U @ h; }
            """,
            "test.nn:4:23: error: 'h' is already defined at line 3 (every name is defined once)"),
        bad("previous of a value that is not a state", """
              for x in xs { state h[2] = 0; h = W @ x; collect hs = h; }
              p = previous(hs) + previous(U);
            """,
            "test.nn:4:16: error: 'previous' takes a state of a loop, as in previous(h); hs is not one",
            "test.nn:4:31: error: 'previous' takes a state of a loop, as in previous(h); U is not one"),
        bad("a loop over its own collected value", """
              for x in hs { state h[2] = 0; h = W @ x; collect hs = h; }
            """,
            "test.nn:3:3: error: 'hs' is used in its own definition (a value cannot depend on itself)"),
        bad("saved states over the element limit", """
              input seq[16384, 1];
              for x in seq { state h[32768] = 0; h = h * 2 + sum(x); }
            """,
            "test.nn:4:24: error: the loop's saved values of 'h' (one per step) would have 536870912 elements;"
                + " the limit is 268435456"),
        bad("previous names a version 2 built-in", """
              previous = s * 2;
            """,
            "test.nn:3:3: error: 'previous' is a built-in function in version 2 of the language; rename this value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void reportsExactlyTheseErrors(String name, String source, List<String> expected) {
    CheckerErrorsTest.assertExactErrors(source, expected);
  }

  @Test
  void theCaretPointsAtTheStateOfAnUpdateOfTheWrongShape() {
    String source = "model M {\n  input xs[5, 3]; param W[2, 3];\n  for x in xs {\n    state h[3] = 0;\n"
        + "    h = W @ x;\n  }\n  loss L = sum(h);\n}\n";
    String rendered = DiagnosticRenderer.renderAll(Frontend.run(new Source("test.nn", source)).diagnostics());
    assertThat(rendered).contains("      h = W @ x;\n      ^");
  }

  /** The loop's words stay names elsewhere: version 1 files that call values so keep working. */
  @Test
  void forInStateCollectAreStillValueNames() {
    String source = """
        model M {
          input in[2]; param state[2]; target collect[2];
          for = in * state;
          output y = for + 1;
          loss L = l2(y, collect);
        }
        """;
    Frontend.Result result = Frontend.run(new Source("test.nn", source));
    assertThat(result.diagnostics().errors()).extracting(DiagnosticRenderer::render).isEmpty();
  }
}
