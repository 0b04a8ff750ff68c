package dev.nabla.compiler.autodiff;

import org.junit.jupiter.api.Test;

/**
 * A model whose shapes, indices, sizes and axes are dims, and that uses dims as numbers: the
 * reference evaluator's symbolic gradient and generated double code against central finite
 * differences, and against each other ({@link DerivativeChecks}).
 */
class DimsDerivativeCheckTest {
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
}
