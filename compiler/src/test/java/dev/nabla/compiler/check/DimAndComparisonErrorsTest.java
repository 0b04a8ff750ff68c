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
 * The errors of version 2's {@code dim} constants, comparisons, {@code where} and the names
 * version 2 takes, as a table in the style of {@link CheckerErrorsTest}: a bad file and the exact
 * header of every error it gets, in source order (so a cascade fails the row too).
 */
class DimAndComparisonErrorsTest {
  private static Arguments bad(String name, String source, String... errors) {
    return Arguments.of(name, source, List.of(errors));
  }

  /** A model around one line, so that a row shows only what it is about. */
  private static String model(String lines) {
    return "model M {\n  input x[4]; input v[6];\n" + lines + "\n  output Y = x;\n  loss L = sum(Y);\n}\n";
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // ---- a dim's own value
        bad("a dim that is not whole", "dim T = 2.5;\n" + model(""),
            "test.nn:1:9: error: dim 'T' must be a whole number, not 2.5"),
        bad("a dim that is not positive", "dim T = 3 - 5;\n" + model(""),
            "test.nn:1:5: error: dim 'T' must be at least 1, not -2"),
        bad("a dim of 0 inside a model", model("  dim K = 0;"),
            "test.nn:3:7: error: dim 'K' must be at least 1, not 0"),
        bad("a division that leaves a remainder", "dim T = 8;\ndim H = T / 3;\n" + model(""),
            "test.nn:2:11: error: '/' of whole numbers must divide exactly, but T / 3 is 8 / 3,"
                + " which leaves 2"),
        bad("a division by zero", "dim T = 4 / (2 - 2);\n" + model(""),
            "test.nn:1:11: error: division by zero in a whole number: 4 / (2 - 2)"),
        bad("an operator other than + - * /", "dim T = 2 ^ 3;\n" + model(""),
            "test.nn:1:11: error: dim 'T' must be a whole number, not 2 ^ 3 (whole numbers"
                + " combine with + - * / only)"),
        bad("a call in a dim", "dim T = relu(3);\n" + model(""),
            "test.nn:1:9: error: dim 'T' must be a whole number, not relu(3)"),
        bad("a dim too large for an int", "dim T = 65536 * 65536;\n" + model(""),
            "test.nn:1:15: error: this whole number is too large: it must lie within +-2147483647"),
        bad("a dim used in its own definition", "dim A = A + 1;\n" + model(""),
            "test.nn:1:5: error: dim 'A' is used in its own definition (a dim cannot depend on itself)"),
        bad("a cycle between dims, reported once", "dim A = B + 1;\ndim B = 2 * A;\n" + model(""),
            "test.nn:1:5: error: cycle between dims: A -> B -> A (a dim cannot depend on itself)"),
        bad("a cycle between a model's dims", model("  dim P = Q;\n  dim Q = P;"),
            "test.nn:3:7: error: cycle between dims: P -> Q -> P (a dim cannot depend on itself)"),
        bad("an unknown dim, with a hint", "dim Hidden = 3;\n" + model("  param W[Hiden, 4];"),
            "test.nn:4:11: error: unknown dim 'Hiden'; did you mean 'Hidden'?"),
        bad("a value where a dim is needed", model("  param W[x, 4];"),
            "test.nn:3:11: error: 'x' is an input, not a dim"),
        bad("a file dim error is reported once, not once per model",
            "dim T = 1.5;\n" + model("  param W[T];") + model("  param W[T];").replace("model M", "model N"),
            "test.nn:1:9: error: dim 'T' must be a whole number, not 1.5"),

        // ---- names
        bad("a file dim declared twice", "dim T = 3;\ndim T = 4;\n" + model(""),
            "test.nn:2:5: error: dim 'T' is already declared at line 1"),
        bad("a model dim redeclaring a file dim", "dim T = 3;\n" + model("  dim T = 4;"),
            "test.nn:4:7: error: 'T' is a dim of the file (line 1); a model cannot redeclare it"),
        bad("a value named like a file dim", "dim T = 3;\n" + model("  T = x * 2;"),
            "test.nn:4:3: error: 'T' is a dim of the file (line 1); give this value another name"),
        bad("a model dim and a value of one name", model("  dim K = 3;\n  K = x * 2;"),
            "test.nn:4:3: error: 'K' is already defined at line 3 (every name is defined once)"),
        bad("a dim named like a built-in", "dim relu = 3;\n" + model(""),
            "test.nn:1:5: error: 'relu' is a built-in function; give this dim another name"),
        bad("a def sees the file's dims, not a model's",
            "def f(z) = z * K;\n" + model("  dim K = 2;\n  y = f(x);"),
            "test.nn:1:16: error: 'K' is not a parameter of def 'f'; a def sees only its parameters,"
                + " so pass K as an argument"),

        bad("a file dim and a model dim marked as outputs",
            "dim T = 3;\nmodel M {\n  dim K = 2;\n  input x[4];\n  output T;\n  output K;\n  loss L = sum(x);\n}\n",
            "test.nn:5:10: error: 'T' is a dim, a constant the generated code does not return; output a"
                + " value computed from it, as in 'output Y = ...;'",
            "test.nn:6:10: error: 'K' is a dim, a constant the generated code does not return; output a"
                + " value computed from it, as in 'output Y = ...;'"),

        // ---- whole numbers where the language wants them
        bad("dimensions that are not positive whole numbers",
            "model M { input y[1.5]; param W[0, n]; target t[1e3]; param V[-2]; output Y = y; loss L = sum(Y); }",
            "test.nn:1:19: error: a dimension must be a whole number, not 1.5",
            "test.nn:1:33: error: a dimension must be at least 1, not 0",
            "test.nn:1:36: error: unknown dim 'n'",
            "test.nn:1:63: error: a dimension must be at least 1, not -2"),
        bad("a dimension too large", "model M { param W[99999999999]; output Y = W; loss L = sum(Y); }",
            "test.nn:1:19: error: this whole number is too large: it must lie within +-2147483647"),
        bad("indices that are not whole numbers", model("  z = v[1.5] + v[i] + v[x];"),
            "test.nn:3:9: error: an index must be a whole number, not 1.5",
            "test.nn:3:18: error: unknown dim 'i'",
            "test.nn:3:25: error: 'x' is an input, not a dim"),
        bad("an index computed from dims, out of range", "dim T = 6;\n" + model("  z = v[T];"),
            "test.nn:4:9: error: index 6 is out of range for v, which is [6] (valid: -6 to 5)"),
        bad("a whole-number argument that divides inexactly", "dim T = 6;\n" + model("  z = maxpool(v, T / 4);"),
            "test.nn:4:20: error: '/' of whole numbers must divide exactly, but T / 4 is 6 / 4, which"
                + " leaves 2"),
        bad("a whole-number argument that is a value", model("  z = maxpool(v, x);"),
            "test.nn:3:18: error: 'x' is an input, not a dim"),

        // ---- comparisons and where
        bad("a comparison of shapes that do not broadcast", model("  z = x < v;"),
            "test.nn:3:9: error: shape mismatch in '<': x is [4] but v is [6] (cannot broadcast [4] with [6]"
                + " at axis 0)"),
        bad("== of shapes that do not broadcast", model("  z = x == v;"),
            "test.nn:3:9: error: shape mismatch in '==': x is [4] but v is [6] (cannot broadcast [4] with [6]"
                + " at axis 0)"),
        bad("where of shapes that do not broadcast", model("  z = where(x > 0, x, v);"),
            "test.nn:3:7: error: shape mismatch in 'where': x > 0 is [4], x is [4] and v is [6] (cannot"
                + " broadcast [4] with [6] at axis 0)"),
        bad("where with a missing argument", model("  z = where(x > 0, x);"),
            "test.nn:3:7: error: 'where' takes 3 arguments, but 2 were given"),

        // ---- names that version 2 takes: a v1 file that used one must rename it
        bad("a value named where", model("  where = x * 2;"),
            "test.nn:3:3: error: 'where' is a built-in function in version 2 of the language;"
                + " rename this value"),
        bad("a param named stack and an input named reshape",
            "model M {\n  input reshape[4];\n  param stack[4];\n  output Y = reshape * stack;\n  loss L = sum(Y);\n}\n",
            "test.nn:2:9: error: 'reshape' is a built-in function in version 2 of the language;"
                + " rename this value",
            "test.nn:3:9: error: 'stack' is a built-in function in version 2 of the language;"
                + " rename this value"),
        bad("a value named dim", model("  dim = x * 2;"),
            "test.nn:3:3: error: 'dim' is a keyword in version 2 of the language; rename this value"),
        bad("a def named transpose", "def transpose(z) = z.T;\n" + model(""),
            "test.nn:1:5: error: 'transpose' is a built-in function in version 2 of the language;"
                + " rename this def"),
        bad("a def named flatten", "def flatten(z) = z;\n" + model(""),
            "test.nn:1:5: error: 'flatten' is a built-in function in version 2 of the language;"
                + " rename this def"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void reportsExactlyTheseErrors(String name, String source, List<String> expected) {
    CheckerErrorsTest.assertExactErrors(source, expected);
  }

  @Test
  void anInexactDivisionIsShownWithACaretAtTheSlash() {
    String source = "dim T = 8;\nmodel M {\n  input x[T / 3];\n  output Y = x;\n  loss L = sum(Y);\n}\n";
    assertThat(DiagnosticRenderer.renderAll(Frontend.run(new Source("test.nn", source)).diagnostics()))
        .isEqualTo(
            """
            test.nn:3:13: error: '/' of whole numbers must divide exactly, but T / 3 is 8 / 3, which leaves 2
                input x[T / 3];
                          ^
            """);
  }
}
