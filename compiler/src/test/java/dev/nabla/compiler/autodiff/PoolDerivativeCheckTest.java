package dev.nabla.compiler.autodiff;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * maxpool2d, avgpool2d, maxpool1d, avgpool1d and the ops of their derivatives that printed
 * programs call, over window sizes, strides (overlapping windows, rows left over) and max
 * pooling's -inf padding, odd and even sizes, rectangular windows, strides and paddings (pairs); checked as {@link DerivativeCheckTest} checks
 * version 1 (evaluator and generated double code against finite differences and each other).
 * Inputs are drawn in [-1, 1], so ties inside a window (where max pooling has a kink) have
 * probability 0.
 */
class PoolDerivativeCheckTest extends DerivativeChecks {
  static final String DECLARATIONS =
      """
      input X[2, 5, 6]; input S[3, 7]; input Dy[2, 2, 3]; input V[2, 3, 3];
      param P[2, 5, 6] = normal(0, 1); param R[3, 7] = normal(0, 1); param K[3, 2, 2, 2] = normal(0, 1);
      """;

  static Stream<Arguments> cases() {
    double lo = -1;
    double hi = 1;
    return Stream.of(
        Arguments.of("maxpool2d 2 (a row left over)", "sum(sin(maxpool2d(X * P, 2)))", lo, hi),
        Arguments.of("maxpool2d 3 stride 1 (overlapping windows)", "sum(sin(maxpool2d(X * P, 3, stride=1)))", lo, hi),
        Arguments.of("maxpool2d 3 stride 2 padding 1", "sum(sin(maxpool2d(X * P, 3, stride=2, padding=1)))", lo, hi),
        Arguments.of("avgpool2d 2", "sum(sin(avgpool2d(X * P, 2)))", lo, hi),
        Arguments.of("avgpool2d 3 stride 2 (overlapping)", "sum(sin(avgpool2d(X * P, 3, stride=2)))", lo, hi),
        Arguments.of("maxpool1d 2 and 3 stride 2 padding 1", "sum(sin(maxpool1d(S * R, 2))) + sum(sin(maxpool1d(S * R, 3, stride=2, padding=1)))", lo, hi),
        Arguments.of("avgpool1d 3 and 2 stride 1", "sum(sin(avgpool1d(S * R, 3))) + sum(sin(avgpool1d(S * R, 2, stride=1)))", lo, hi),
        Arguments.of("maxpool2d 2 of a relu after a convolution, a column left over (the adjoint and relu's mask in one pass)",
            "sum(sin(maxpool2d(relu(conv2d(X * P, K)), 2)))", lo, hi),
        Arguments.of("pooling after a convolution", "sum(sin(maxpool2d(tanh(conv2d(X * P, K)), 2, padding=1)))", lo, hi),
        Arguments.of("maxpool2d_grad and maxpool2d_pick", "sum(sin(maxpool2d_grad(X, V * maxpool2d_pick(X, P, 3, stride=2, padding=1), 3, stride=2, padding=1) * P))", lo, hi),
        Arguments.of("avgpool2d_grad", "sum(sin(avgpool2d_grad(Dy * Dy, 5, 6, 2) * P)) + sum(sin(avgpool1d_grad(maxpool1d_pick(S, R, 2), 7, 2)))", lo, hi),
        Arguments.of("maxpool2d pairs: window (3, 2), stride (2, 1), padding (1, 0)", "sum(sin(maxpool2d(X * P, (3, 2), stride=(2, 1), padding=(1, 0))))", lo, hi),
        Arguments.of("avgpool2d window (2, 3), stride the window; window (1, 2) stride (3, 1)", "sum(sin(avgpool2d(X * P, (2, 3)))) + sum(sin(avgpool2d(X * P, (1, 2), stride=(3, 1))))", lo, hi),
        Arguments.of("maxpool2d_grad and maxpool2d_pick with pairs", "sum(sin(maxpool2d_grad(X, V * maxpool2d_pick(X, P, (3, 2), stride=2, padding=(1, 0)), (3, 2), stride=2, padding=(1, 0)) * P))", lo, hi),
        Arguments.of("avgpool2d_grad with pairs", "sum(sin(avgpool2d_grad(Dy * Dy, 5, 6, (1, 2), stride=(3, 2)) * P))", lo, hi));
  }

  @Override
  String source(String loss) {
    return "model T {\n" + DECLARATIONS + "loss L0 = " + loss + ";\noutput L0;\n}\n";
  }
}
