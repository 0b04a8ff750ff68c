package dev.nabla.compiler.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.ModelRun;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * conv2d and conv1d and the two adjoint ops printed derivative programs call, over combinations
 * of stride, padding, dilation (one number or a pair (rows, columns)), bias or none, odd and even sizes and non-square kernels, checked
 * as {@link DerivativeCheckTest} checks version 1: the reference evaluator's symbolic gradient and
 * generated double code against central finite differences, and against each other. The input
 * image's gradient is checked too (the inputs X and S are differentiated by the generated check).
 */
class ConvDerivativeCheckTest extends DerivativeChecks {
  static final String DECLARATIONS =
      """
      input X[2, 5, 6]; input S[3, 7]; input Dy[3, 2, 3]; input Dk[3, 5, 7];
      param K[3, 2, 3, 2] = normal(0, 1); param Q[4, 2, 3, 3] = normal(0, 1); param b[3]; param q[4];
      param L[2, 3, 3, 3] = normal(0, 1);
      param J[2, 3, 3] = normal(0, 1); param c[2]; param J2[3, 2, 2] = normal(0, 1);
      """;

  static Stream<Arguments> cases() {
    double lo = -1;
    double hi = 1;
    return Stream.of(
        Arguments.of("conv2d, defaults, a 3 x 2 kernel", "sum(sin(conv2d(X, K)))", lo, hi),
        Arguments.of("conv2d with bias", "sum(sin(conv2d(X, K, b)))", lo, hi),
        Arguments.of("conv2d stride 2 (a row left over)", "sum(sin(conv2d(X, K, b, stride=2)))", lo, hi),
        Arguments.of("conv2d padding 1", "sum(sin(conv2d(X, K, padding=1)))", lo, hi),
        Arguments.of("conv2d dilation 2", "sum(sin(conv2d(X, K, b, dilation=2)))", lo, hi),
        Arguments.of("conv2d stride 2, padding 2, dilation 2, 3 x 3", "sum(sin(conv2d(X, Q, q, stride=2, padding=2, dilation=2)))", lo, hi),
        Arguments.of("conv2d stride 3, padding 1 (rows and columns left over)", "sum(sin(conv2d(X, Q, stride=3, padding=1)))", lo, hi),
        Arguments.of("two conv2d layers", "sum(sin(conv2d(tanh(conv2d(X, K, b, padding=1)), L, c)))", lo, hi),
        Arguments.of("conv1d, defaults", "sum(sin(conv1d(S, J)))", lo, hi),
        Arguments.of("conv1d with bias, stride 2, padding 1, dilation 2", "sum(sin(conv1d(S, J, c, stride=2, padding=1, dilation=2)))", lo, hi),
        Arguments.of("conv1d stride 3 (a column left over)", "sum(sin(conv1d(S, J, c, stride=3)))", lo, hi),
        Arguments.of("two conv1d layers", "sum(sin(conv1d(tanh(conv1d(S, J, c, padding=1)), J2)))", lo, hi),
        Arguments.of("conv2d_input_grad (a transposed convolution)", "sum(sin(conv2d_input_grad(Dy, K, 5, 6, stride=2)))", lo, hi),
        Arguments.of("conv2d_kernel_grad", "sum(sin(conv2d_kernel_grad(X, Dk, 3, 2, padding=1)))", lo, hi),
        Arguments.of("conv2d pairs: stride (2, 1), padding (1, 0), dilation (1, 2)", "sum(sin(conv2d(X, Q, q, stride=(2, 1), padding=(1, 0), dilation=(1, 2))))", lo, hi),
        Arguments.of("conv2d pairs: stride (1, 3), padding (0, 2), a 3 x 2 kernel", "sum(sin(conv2d(X, K, stride=(1, 3), padding=(0, 2))))", lo, hi),
        Arguments.of("conv2d_input_grad with pairs", "sum(sin(conv2d_input_grad(Dy, K, 5, 6, stride=(2, 3), padding=(0, 1))))", lo, hi),
        Arguments.of("conv2d_kernel_grad with pairs", "sum(sin(conv2d_kernel_grad(X, Dk, 3, 2, padding=(1, 2), dilation=(1, 3))))", lo, hi),
        // layers that one ConvForward call computes with their bias, relu and pooling (ConvFusion)
        Arguments.of("conv2d layer: bias, relu, maxpool 2", "sum(sin(maxpool2d(relu(conv2d(X, Q, q, padding=1)), 2)))", lo, hi),
        Arguments.of("conv2d layer: relu, no bias, maxpool 3 stride 2 padding 1", "sum(sin(maxpool2d(relu(conv2d(X, K)), 3, stride=2, padding=1)))", lo, hi),
        Arguments.of("conv2d layer: bias, maxpool without relu", "sum(sin(maxpool2d(conv2d(X, K, b, padding=1), 2)))", lo, hi),
        Arguments.of("conv2d layer: bias and relu, the bias sum read twice", "sum(sin(relu(conv2d(X, K, b)))) + sum(conv2d(X, K, b) * conv2d(X, K, b))", lo, hi),
        Arguments.of("conv1d layer: bias, relu, maxpool1d 2", "sum(sin(maxpool1d(relu(conv1d(S, J, c, padding=1)), 2)))", lo, hi),
        Arguments.of("conv1d adjoints", "sum(sin(conv1d_input_grad(conv1d(S, J), J, 7))) + sum(sin(conv1d_kernel_grad(S, conv1d(S, J, dilation=2), 3, dilation=2)))", lo, hi));
  }

  @Override
  String source(String loss) {
    return "model T {\n" + DECLARATIONS + "loss L0 = " + loss + ";\noutput L0;\n}\n";
  }

  /**
   * The float kernels (generated from the double ones) on a batch of 40, large enough for the
   * instances to be split across the pool: loss and every gradient agree with double code to
   * float's precision.
   */
  @Test
  void floatCodeAgreesWithDoubleCode() {
    int batch = 40;
    Compiled c = Compiled.of(source(
        "sum(sin(conv2d(tanh(conv2d(X, K, b, padding=1, stride=2)), L, c, dilation=1))) "
            + "+ sum(sin(conv1d(S, J, c, stride=2, padding=1, dilation=2)))"), batch, 1, -1, 1);
    ModelRun inDouble = c.generatedRun(Precision.DOUBLE);
    ModelRun inFloat = c.generatedRun(Precision.FLOAT);
    double loss = inDouble.forward();
    assertThat(Math.abs(inFloat.forward() - loss)).isLessThan(1e-4 * Math.max(1, Math.abs(loss)));
    inDouble.backward();
    inFloat.backward();
    for (String param : c.shared.keySet()) {
      double[] expected = inDouble.gradient(param).toDoubles();
      assertThat(Compiled.worstError(inFloat.gradient(param).toDoubles(), expected)).as("d" + param).isLessThan(1e-4);
    }
  }
}
