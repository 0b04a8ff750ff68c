package dev.nabla.compiler.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.pipeline.Frontend;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The errors of the layout operations at any rank (issue 15), as a table: an expression, the
 * text its caret must point at, and the exact message, which names the value, its shape and the
  * axis (bounds and list entries that are no whole numbers get check/Dims' messages). Each row is
 * the only error of its file.
 */
class LayoutErrorsTest {
  private static final String HEAD = "model M {\n  input X[3, 4]; input v[5]; param s;\n  T = stack(X, X);\n  output Y = ";
  private static final String TAIL = ";\n  loss L = sum(X) * s;\n}\n";

  private static Arguments bad(String expr, String caretAt, String message) {
    return Arguments.of(expr, caretAt, message);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // ---- indexing and slicing
        bad("X[3]", "3", "index 3 is out of range for axis 0 of X, which is [3, 4] (valid: -3 to 2)"),
        bad("X[0, -5]", "-5", "index -5 is out of range for axis 1 of X, which is [3, 4] (valid: -4 to 3)"),
        bad("T.T[0, 0, 4]", "4", "index 4 is out of range for axis 2 of T.T, which is [2, 4, 3] (valid: -3 to 2)"),
        bad("v[-6]", "-6", "index -6 is out of range for v, which is [5] (valid: -5 to 4)"),
        bad("X[1, 2, 0]", "[", "too many indices for X, which is [3, 4]: 3 given for 2 axes"),
        bad("s[0]", "[", "cannot index s: it is a scalar"),
        bad("X[:, 2:6]", "2:6", "slice 2:6 is out of range for axis 1 of X, which is [3, 4]"
            + " (need -4 <= from < to <= 4, negatives counted from the end)"),
        bad("X[2:1]", "2:1", "slice 2:1 is empty for axis 0 of X, which is [3, 4]"
            + " (need -3 <= from < to <= 3, negatives counted from the end)"),
        bad("v[5:]", "5:", "slice 5: is empty for v, which is [5] (need -5 <= from < to <= 5, negatives counted from the end)"),
        bad("X[s]", "s]", "'s' is a param, not a dim"),
        bad("X[0:1.5]", "1.5", "a slice bound must be a whole number, not 1.5"),
        // ---- reshape and transpose
        bad("reshape(X, [5, 3])", "[5", "'reshape' cannot make X, which is [3, 4] (12 elements), into [5, 3] (15 elements)"),
        bad("reshape(X, [-1, 5])", "[-1", "'reshape' cannot make X, which is [3, 4] (12 elements), into [-1, 5]:"
            + " 12 is not a multiple of 5"),
        bad("reshape(X, [-1, -1])", "[-1", "'reshape' allows one -1 in the new shape, but [-1, -1] has more"),
        bad("reshape(X, [0, 12])", "[0", "'reshape' needs sizes >= 1 (or one -1) in the new shape, not 0 in [0, 12]"),
        bad("reshape(X, [1, 1, 1, 1, 1, 3, 4])", "[1", "'reshape' would make a value of rank 7; values have rank 0 to 6"),
        bad("reshape(X, [2, s])", "s]", "'s' is a param, not a dim"),
        bad("reshape(X, [2, 1.5])", "1.5", "each entry of shape in 'reshape' must be a whole number, not 1.5"),
        bad("transpose(T, [0, 0, 1])", "[0", "'transpose' needs a permutation of the 3 axes of T, which is [2, 3, 4],"
            + " each axis once, not [0, 0, 1]"),
        bad("transpose(T, [1, 0])", "[1", "'transpose' needs a permutation of the 3 axes of T, which is [2, 3, 4],"
            + " each axis once, not [1, 0]"),
        bad("transpose(T, [0, 3, 1])", "[0", "'transpose' needs a permutation of the 3 axes of T, which is [2, 3, 4],"
            + " each axis once, not [0, 3, 1]"),
        // ---- concat and stack
        bad("concat(X, T)", "concat", "'concat' needs values of one rank, but X is [3, 4] and T is [2, 3, 4]"),
        bad("concat(X, X[:, 0:2])", "concat", "'concat' along axis 0 needs the other axes to agree, but X is [3, 4]"
            + " and X[:, 0:2] is [3, 2] (axis 1)"),
        bad("concat(X, X, axis=2)", "2)", "'concat' has no axis 2 for X, which is [3, 4] (its axes are 0 to 1, or -2 to -1 from the end)"),
        bad("concat(s, s)", "concat", "'concat' joins values along an axis, but s is a scalar; stack(...) makes a"
            + " vector of scalars"),
        bad("concat(axis=1)", "concat", "'concat' needs at least one value to join"),
        bad("stack(X, X.T)", "stack", "'stack' needs values of one shape, but X is [3, 4] and X.T is [4, 3]"),
        bad("stack(X, X, axis=3)", "3)", "'stack' has no axis 3 for stacking values of shape [3, 4] (the result's axes are 0 to 2, or -3 to -1"
            + " from the end)"),
        bad("stack(reshape(X, [1, 1, 1, 1, 3, 4]), reshape(X, [1, 1, 1, 1, 3, 4]), axis=-1)", "stack",
            "'stack' would make a value of rank 7; values have rank 0 to 6"),
        // ---- pad and lists
        bad("pad(X, [1], [0, 0])", "[1]", "'pad' needs one before amount per axis of X, which is [3, 4], not [1]"),
        bad("pad(X, [1, -1], [0, 0])", "[1, -1]", "'pad' needs before >= 0, not -1"),
        bad("[1, 2] + X", "[1, 2]", "a list such as [1, 2] can only be an argument (of reshape, transpose or pad),"
            + " not a value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void reportsExactlyThisError(String expr, String caretAt, String message) {
    Frontend.Result result = Frontend.run(new Source("test.nn", HEAD + expr + TAIL));
    int column = "  output Y = ".length() + expr.indexOf(caretAt) + 1;
    assertThat(result.diagnostics().sorted())
        .extracting(DiagnosticRenderer::header)
        .containsExactly("test.nn:4:" + column + ": error: " + message);
  }

  @Test
  void theCaretUnderlinesTheAxisAtFault() {
    String rendered = DiagnosticRenderer.renderAll(Frontend.run(new Source("test.nn", HEAD + "X[:, 1:9]" + TAIL)).diagnostics());
    assertThat(rendered).isEqualTo(
        "test.nn:4:19: error: slice 1:9 is out of range for axis 1 of X, which is [3, 4] (need -4 <= from < to <= 4,"
            + " negatives counted from the end)\n"
            + "    output Y = X[:, 1:9];\n"
            + "                    ^\n");
  }
}
