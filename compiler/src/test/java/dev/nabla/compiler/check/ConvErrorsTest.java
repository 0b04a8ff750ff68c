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
 * The errors of {@code conv2d}, {@code conv1d}, the poolings and their printed adjoints, as a table in the
 * style of {@link CheckerErrorsTest}: a bad file and the exact header of every error it gets.
 */
class ConvErrorsTest {
  private static Arguments bad(String name, String lines, String... errors) {
    return Arguments.of(name, model(lines), List.of(errors));
  }

  private static String model(String lines) {
    return "model M {\n  input x[3, 8, 8]; input s[2, 10]; param K[4, 3, 3, 3]; param J[5, 2, 3]; param b[4];\n"
        + lines + "\n  output Y = x;\n  loss L = sum(Y);\n}\n";
  }

  static Stream<Arguments> table() {
    return Stream.of(
        bad("a channel mismatch", "  z = conv2d(x, J2);\n  param J2[4, 2, 3, 3];",
            "test.nn:3:7: error: 'conv2d' needs K's second dim to be x's channel count 3, but x is [3, 8, 8]"
                + " and J2 is [4, 2, 3, 3]"),
        bad("a window larger than the padded input", "  z = conv2d(x, K, dilation=5, padding=1);",
            "test.nn:3:7: error: 'conv2d': the window (11 x 11 with dilation 5) is larger than the padded"
                + " input (10 x 10 with padding 1)"),
        bad("a 1-D window larger than the signal", "  z = conv1d(s, J, dilation=5);",
            "test.nn:3:7: error: 'conv1d': the window (11 with dilation 5) is larger than the padded"
                + " input (10 with padding 0)"),
        bad("an image where a signal is needed", "  z = conv1d(x, J);",
            "test.nn:3:7: error: 'conv1d' needs a signal [C, L] for x, but x is [3, 8, 8]"),
        bad("a kernel of the wrong rank", "  z = conv2d(x, J);",
            "test.nn:3:7: error: 'conv2d' needs a kernel [O, C, kh, kw] for K, but J is [5, 2, 3]"),
        bad("a bias of the wrong length", "  z = conv2d(x, K, J);",
            "test.nn:3:20: error: 'conv2d' needs a bias of one value per output channel, [4], but J is [5, 2, 3]"),
        bad("stride 0 and negative padding", "  z = conv2d(x, K, stride=0);\n  u = conv1d(s, J, padding=-1);",
            "test.nn:3:27: error: 'conv2d' needs stride >= 1, not 0",
            "test.nn:4:28: error: 'conv1d' needs padding >= 0, not -1"),
        bad("a stride that is not whole", "  z = conv2d(x, K, b, stride=1.5);",
            "test.nn:3:30: error: 'conv2d' needs a whole number or a pair (rows, columns) for stride, not 1.5"),
        bad("a pair for a 1-D form", "  z = conv1d(s, J, stride=(2, 1));\n  u = maxpool1d(s, (2, 2));",
            "test.nn:3:27: error: 'conv1d' takes one whole number for stride, not the pair (2, 1): a pair (rows,"
                + " columns) is only for the 2-D forms (conv2d)",
            "test.nn:4:20: error: 'maxpool1d' takes one whole number for k, not the pair (2, 2): a pair (rows,"
                + " columns) is only for the 2-D forms (maxpool2d)"),
        bad("a pair of the wrong length", "  z = conv2d(x, K, padding=(1, 0, 1));",
            "test.nn:3:28: error: 'conv2d' needs padding as one whole number or a pair (rows, columns), but"
                + " (1, 0, 1) has 3 entries"),
        bad("a pair with an entry that is not whole", "  z = maxpool2d(x, (2, 1.5));\n  u = conv2d(x, K, stride=(2, 0.5));",
            "test.nn:3:24: error: each entry of k in 'maxpool2d' must be a whole number, not 1.5",
            "test.nn:4:31: error: each entry of stride in 'conv2d' must be a whole number, not 0.5"),
        bad("pairs out of range", "  z = conv2d(x, K, stride=(1, 0));\n  u = maxpool2d(x, (2, 4), padding=(1, 3));",
            "test.nn:3:27: error: 'conv2d' needs stride >= 1, not (1, 0)",
            "test.nn:4:36: error: 'maxpool2d' needs 0 <= padding <= k / 2 (max pooling pads with -inf, so a"
                + " window must hold a real element), not padding (1, 3) with k (2, 4)"),
        bad("a rectangular window larger than the input", "  z = conv2d(x, K, dilation=(1, 4));\n  u = avgpool2d(x, (1, 9));",
            "test.nn:3:7: error: 'conv2d': the window (3 x 9 with dilation (1, 4)) is larger than the padded"
                + " input (8 x 8 with padding 0)",
            "test.nn:4:7: error: 'avgpool2d': the window (1 x 9) is larger than the padded input (8 x 8 with padding 0)"),
        bad("a pair as a value, a pair for a size", "  z = x * (1, 2);\n  u = conv2d_input_grad(x, K, (8, 8), 8);",
            "test.nn:3:11: error: a pair such as (1, 2) can only be the stride, padding, dilation or window k of a"
                + " 2-D convolution or pooling (conv2d, maxpool2d, ...), not a value",
            "test.nn:4:31: error: 'conv2d_input_grad' takes one whole number for h, not the pair (8, 8)"),
        bad("an adjoint given the wrong output shape", "  z = conv2d_input_grad(x, K, 8, 8);",
            "test.nn:3:7: error: 'conv2d_input_grad' needs dy of the convolution's output shape [4, 6, 6],"
                + " but x is [3, 8, 8]"),
        bad("a pooling window larger than the input", "  z = maxpool2d(x, 9);\n  u = avgpool1d(s, 11);",
            "test.nn:3:7: error: 'maxpool2d': the window (9 x 9) is larger than the padded input (8 x 8 with padding 0)",
            "test.nn:4:7: error: 'avgpool1d': the window (11) is larger than the padded input (10 with padding 0)"),
        bad("max pooling padding more than half the window", "  z = maxpool2d(x, 2, padding=2);",
            "test.nn:3:31: error: 'maxpool2d' needs 0 <= padding <= k / 2 (max pooling pads with -inf, so a"
                + " window must hold a real element), not padding 2 with k 2"),
        bad("pooling a vector, stride 0", "  z = maxpool1d(b, 2);\n  u = avgpool2d(x, 2, stride=0);",
            "test.nn:3:7: error: 'maxpool1d' needs a signal [C, L] for x, but b is [4]",
            "test.nn:4:30: error: 'avgpool2d' needs stride >= 1, not 0"),
        bad("average pooling takes no padding", "  z = avgpool2d(x, 2, padding=1);",
            "test.nn:3:23: error: 'avgpool2d' has no parameter named 'padding'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void reportsExactlyTheseErrors(String name, String source, List<String> expected) {
    CheckerErrorsTest.assertExactErrors(source, expected);
  }

  @Test
  void aWindowTooLargeIsShownWithACaretAtTheCall() {
    String source = model("  z = conv1d(s, J, dilation=5);");
    assertThat(DiagnosticRenderer.renderAll(Frontend.run(new Source("test.nn", source)).diagnostics()))
        .startsWith(
            """
            test.nn:3:7: error: 'conv1d': the window (11 with dilation 5) is larger than the padded input (10 with padding 0)
                z = conv1d(s, J, dilation=5);
                    ^
            """);
  }

  @Test
  void aPairForA1dFormIsShownWithACaretAtThePair() {
    String source = model("  z = conv1d(s, J, stride=(2, 1));");
    assertThat(DiagnosticRenderer.renderAll(Frontend.run(new Source("test.nn", source)).diagnostics()))
        .startsWith(
            """
            test.nn:3:27: error: 'conv1d' takes one whole number for stride, not the pair (2, 1): a pair (rows, columns) is only for the 2-D forms (conv2d)
                z = conv1d(s, J, stride=(2, 1));
                                        ^
            """);
  }
}
