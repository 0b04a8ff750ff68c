package dev.nabla.compiler.autodiff;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Comparisons and {@code where} at rank 3 with NumPy broadcasting of all three operands, and a
 * model whose shapes, indices and sizes are dims: the reference evaluator's symbolic gradient and
 * generated double code against central finite differences, and against each other
 * ({@link DerivativeChecks}). Version 1 shapes are in {@link DerivativeCheckTest}.
 */
class SelectDerivativeCheckTest {
  static Stream<Arguments> cases() {
    double lo = -1;
    double hi = 1;
    return Stream.of(
        Arguments.of("where: [3, 1] condition, rank-3 and [4] branches", "sum(where(K > 0, X * P, w) * Y)", lo, hi),
        Arguments.of("where: all three operands spread", "sum(where(T > 0, K, w) * X) + sum(where(Z, H * P, s) * Y)", lo, hi),
        Arguments.of("where: a scalar condition", "sum(where(s > 0, P, V) * X)", lo, hi),
        Arguments.of("where guards a log at rank 3", "sum(where(P > 0, log(P), P * w) * X)", lo, hi),
        Arguments.of("comparisons at rank 3, broadcast", "sum(((X < w) + (K >= X) + (P == P) + (H != P) + (V <= P) + (P > Z)) * P * Y)", lo, hi));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void symbolicGradientMatchesFiniteDifferences(String name, String loss, double lo, double hi) {
    DerivativeChecks.symbolic(name, source(loss), lo, hi);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void generatedCodePassesTheFiniteDifferenceCheck(String name, String loss, double lo, double hi) {
    DerivativeChecks.generated(name, source(loss), lo, hi);
  }

  private static final String WITH_DIMS =
      """
      dim T = 3;
      dim D = 2 * T - 2;
      model Dims {
        dim H = D / 2;
        input xs[T, D]; input v[D * H];
        param W[H, D] = normal(0, 1); param b[H];
        h = xs @ W.T + b;                                   # [T, H]
        m = maxpool(v, H) + sum(xs, axis=T - 3) * T;        # [D]
        loss L = sum(where(h > 0, h, 0.1 * h)) + m[D - 1] * (sum(h, axis=0) @ b) + sum(repeat(b, D) * v);
        output L;
      }
      """;

  @Test
  void aModelWrittenWithDimsPassesTheCheck() {
    DerivativeChecks.symbolic("dims", WITH_DIMS, -1, 1);
    DerivativeChecks.generated("dims", WITH_DIMS, -1, 1);
  }

  private static String source(String loss) {
    return "model T {\n" + TensorDerivativeCheckTest.DECLARATIONS + "loss L = " + loss + ";\noutput L;\n}\n";
  }
}
