package dev.nabla.runtime.kernels;

/**
 * The double arithmetic of a fused product's {@link GemmEpilogue}, element by element as the
 * generated code's separate loops compute it, so that fusing changes no bit:
 *
 * <ul>
 *   <li>bias and activation: {@code z = p + bias[j]}, then {@code y = Scalars.relu(z)}, or
 *       tanh/sigmoid through {@link ActivationKernels} on each row's columns from a multiple of
 *       the vector length on (the kernel's whole vectors then fall on the lanes they fall on
 *       when the kernel runs over the whole row, and its scalar tail on the same columns);</li>
 *   <li>derivative: {@code p * Scalars.step(z)} (relu, from z), {@code p * (1 - y * y)} (tanh,
 *       from y), {@code p * (y * (1 - y))} (sigmoid, from y);</li>
 *   <li>sums of A's rows, {@code s = 0; s += A(i, p)} for p in order; C scaled by
 *       {@code c * scale} (the batch mean of a weight gradient, as {@code grad[j] *= invB}), then
 *       the params' plain SGD step {@code w = w - rate * c} when there is one (as
 *       {@link SgdUpdate}'s {@code w[j] -= rate * g[j]});</li>
 * </ul>
 *
 * The float twin, {@code GemmEpilogueF32}, is generated from this file at build time
 * ({@code FloatTwins}): edit this one only.
 */
final class GemmEpilogueF64 {
  private GemmEpilogueF64() {
  }

  /** See {@link GemmEpilogue#finish(double[], int, int, int, int, int, int)}; {@code row} is the product's. */
  static void finish(GemmEpilogue e, double[] c, int cAt, int ldc, int row, int col, int rows, int cols) {
    if (e.kind == GemmEpilogue.Kind.BIAS_ACT) {
      double[] bias = (double[]) e.bias;
      double[] y = (double[]) e.y;
      for (int r = 0; r < rows; r++) {
        int at = cAt + r * ldc;
        if (bias != null) {
          for (int j = 0, bj = e.biasOff + col; j < cols; j++, bj++) {
            c[at + j] = c[at + j] + bias[bj];
          }
        }
        int yAt = e.yOff + (row + r) * ldc + col;
        switch (e.act) {
          case IDENTITY -> {
          }
          case RELU -> {
            for (int j = 0; j < cols; j++) {
              y[yAt + j] = Scalars.relu(c[at + j]);
            }
          }
          case TANH -> ActivationKernels.ACTIVE.apply(Activations.Fn.TANH, 1, cols, c, at, y, yAt);
          case SIGMOID -> ActivationKernels.ACTIVE.apply(Activations.Fn.SIGMOID, 1, cols, c, at, y, yAt);
        }
      }
    } else if (e.kind == GemmEpilogue.Kind.SUMS) {
      double scale = (double) e.scale;
      double[] w = (double[]) e.update;
      double rate = (double) e.rate;
      for (int r = 0; r < rows; r++) {
        for (int j = 0, at = cAt + r * ldc; j < cols; j++) {
          c[at + j] = c[at + j] * scale;
        }
        if (w != null) {
          for (int j = 0, at = cAt + r * ldc, wAt = e.updateOff + (row + r) * ldc + col; j < cols; j++) {
            w[wAt + j] = w[wAt + j] - rate * c[at + j];
          }
        }
      }
    } else if (e.kind == GemmEpilogue.Kind.DERIVATIVE) {
      double[] s = (double[]) e.saved;
      for (int r = 0; r < rows; r++) {
        int at = cAt + r * ldc;
        int sAt = e.savedOff + (row + r) * ldc + col;
        switch (e.act) {
          case IDENTITY -> {
          }
          case RELU -> {
            for (int j = 0; j < cols; j++) {
              c[at + j] = c[at + j] * Scalars.step(s[sAt + j]);
            }
          }
          case TANH -> {
            for (int j = 0; j < cols; j++) {
              double v = s[sAt + j];
              c[at + j] = c[at + j] * (1 - v * v);
            }
          }
          case SIGMOID -> {
            for (int j = 0; j < cols; j++) {
              double v = s[sAt + j];
              c[at + j] = c[at + j] * (v * (1 - v));
            }
          }
        }
      }
    }
  }

  /**
   * {@code sums[sumsOff + row + i] = sum_p A(i, p)} for the {@code m} rows of the strided view
   * of A ({@code A(i, p) = a[aOff + i*ars + p*acs]}), p in order from 0: for the kernels that do
   * not pack A.
   */
  static void sums(GemmEpilogue e, int m, int k, double[] a, int aOff, int ars, int acs, int row) {
    double[] sums = (double[]) e.sums;
    for (int i = 0; i < m; i++) {
      double s = 0;
      for (int p = 0, at = aOff + i * ars; p < k; p++, at += acs) {
        s += a[at];
      }
      sums[e.sumsOff + row + i] = s;
    }
  }
}
