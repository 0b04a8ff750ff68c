package dev.nabla.runtime.train;

import dev.nabla.runtime.kernels.Wide;

/**
 * One param's update by an {@link Optimizer} (see there for the rules), for a double param. The
 * float version, {@code ParamUpdateF32}, is generated from this file at build time
 * ({@code FloatTwins}): edit this one only. The arithmetic and the optimizer's state are
 * {@code @Wide double} in both, so a float param is rounded once per update.
 */
@SuppressWarnings("cast") // in the float twin these casts round to float
final class ParamUpdateF64 {
  private ParamUpdateF64() {
  }

  /**
   * Updates elements {@code [from, to)} of param {@code i} of {@code o}, {@code p}, from its
   * gradient {@code g} scaled by {@code scale} (the clipping), with Adam's bias corrections
   * {@code bc1}, {@code bc2}. Each element's arithmetic is its own, so the ranges may run on
   * any threads.
   */
  static void update(Optimizer o, int i, double[] p, double[] g, @Wide double scale, @Wide double bc1,
      @Wide double bc2, int from, int to) {
    switch (o.kind) {
      case SGD -> {
        @Wide double lr = o.lr;
        for (int j = from; j < to; j++) {
          p[j] = (double) (p[j] - lr * scale * g[j]);
        }
      }
      case MOMENTUM -> {
        @Wide double lr = o.lr;
        @Wide double mu = o.mu;
        @Wide double[] vel = o.m[i];
        for (int j = from; j < to; j++) {
          vel[j] = mu * vel[j] + scale * g[j];
          p[j] = (double) (p[j] - lr * vel[j]);
        }
      }
      case ADAM -> {
        @Wide double[] m1 = o.m[i];
        @Wide double[] m2 = o.v[i];
        @Wide double beta1 = o.beta1;
        @Wide double beta2 = o.beta2;
        @Wide double eps = o.eps;
        @Wide double stepSize = o.lr / bc1;
        @Wide double rootBc2 = Math.sqrt(bc2);
        for (int j = from; j < to; j++) {
          @Wide double gj = scale * g[j];
          m1[j] = beta1 * m1[j] + (1 - beta1) * gj;
          m2[j] = beta2 * m2[j] + (1 - beta2) * gj * gj;
          p[j] = (double) (p[j] - stepSize * m1[j] / (Math.sqrt(m2[j]) / rootBc2 + eps));
        }
      }
      default -> throw new AssertionError(o.kind);
    }
  }

  /**
   * The sum of squares of {@code a[from..to)} for {@link GradientNorm}: value j into running sum
   * {@code (j - from) mod 8} in order of j, the eight sums added pairwise. Each square is exact
   * (a float's square in double) or rounded once (a double's).
   */
  static @Wide double sumOfSquares(double[] a, int from, int to) {
    @Wide double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int j = from;
    for (; j + 8 <= to; j += 8) {
      @Wide double v0 = a[j], v1 = a[j + 1], v2 = a[j + 2], v3 = a[j + 3];
      @Wide double v4 = a[j + 4], v5 = a[j + 5], v6 = a[j + 6], v7 = a[j + 7];
      s0 += v0 * v0;
      s1 += v1 * v1;
      s2 += v2 * v2;
      s3 += v3 * v3;
      s4 += v4 * v4;
      s5 += v5 * v5;
      s6 += v6 * v6;
      s7 += v7 * v7;
    }
    for (; j < to; j++) {
      @Wide double v = a[j];
      s0 += v * v;
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }
}
