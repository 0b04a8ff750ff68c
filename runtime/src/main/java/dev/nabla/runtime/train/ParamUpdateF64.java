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
   * Updates param {@code i} of {@code o}, {@code p}, from its gradient {@code g} scaled by
   * {@code scale} (the clipping), with Adam's bias corrections {@code bc1}, {@code bc2}.
   */
  static void update(Optimizer o, int i, double[] p, double[] g, @Wide double scale, @Wide double bc1,
      @Wide double bc2) {
    switch (o.kind) {
      case SGD -> {
        @Wide double lr = o.lr;
        for (int j = 0; j < p.length; j++) {
          p[j] = (double) (p[j] - lr * scale * g[j]);
        }
      }
      case MOMENTUM -> {
        @Wide double lr = o.lr;
        @Wide double mu = o.mu;
        @Wide double[] vel = o.m[i];
        for (int j = 0; j < p.length; j++) {
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
        for (int j = 0; j < p.length; j++) {
          @Wide double gj = scale * g[j];
          m1[j] = beta1 * m1[j] + (1 - beta1) * gj;
          m2[j] = beta2 * m2[j] + (1 - beta2) * gj * gj;
          p[j] = (double) (p[j] - stepSize * m1[j] / (Math.sqrt(m2[j]) / rootBc2 + eps));
        }
      }
      default -> throw new AssertionError(o.kind);
    }
  }
}
