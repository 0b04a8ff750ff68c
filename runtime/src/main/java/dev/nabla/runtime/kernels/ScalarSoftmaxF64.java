package dev.nabla.runtime.kernels;

/**
 * The scalar double row kernels of {@link SoftmaxKernels.Scalar} (see {@link SoftmaxKernels} for
 * the contract). The float kernels, {@code ScalarSoftmaxF32}, are generated from this file at
 * build time ({@code FloatTwins}): edit this one only. A float row's sum, {@code x_j - m} (exact
 * at that width) and {@code exp} are {@code @Wide double}, rounded once to float, so each float
 * output is within about 1.5 ulps of the exact result.
 */
@SuppressWarnings("cast") // in the float twin these casts round to float
final class ScalarSoftmaxF64 {
  private ScalarSoftmaxF64() {
  }

  static void softmax(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      double m = max(n, x, xi);
      @Wide double s = 0;
      for (int j = 0; j < n; j++) {
        double e = (double) Math.exp(x[xi + j] - (@Wide double) m);
        y[yi + j] = e;
        s += e;
      }
      double inv = (double) (1.0 / s);
      for (int j = 0; j < n; j++) {
        y[yi + j] *= inv;
      }
    }
  }

  static void logSoftmax(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      double m = max(n, x, xi);
      @Wide double s = 0;
      for (int j = 0; j < n; j++) {
        s += Math.exp(x[xi + j] - (@Wide double) m);
      }
      @Wide double lse = Math.log(s);
      for (int j = 0; j < n; j++) {
        y[yi + j] = (double) ((x[xi + j] - (@Wide double) m) - lse);
      }
    }
  }

  /**
   * Both of the above from one max and one {@code exp} per element: softmax sums the exponentials
   * rounded to the precision (as {@link #softmax} does), log-softmax sums them unrounded (as
   * {@link #logSoftmax}), so each output has the bits of its own kernel's.
   */
  static void softmaxAndLog(int rows, int n, double[] x, int xOff, double[] y, int yOff, double[] logY, int logYOff) {
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      int li = logYOff + r * n;
      double m = max(n, x, xi);
      @Wide double s = 0;
      @Wide double sLog = 0;
      for (int j = 0; j < n; j++) {
        @Wide double wide = Math.exp(x[xi + j] - (@Wide double) m);
        double e = (double) wide;
        y[yi + j] = e;
        s += e;
        sLog += wide;
      }
      double inv = (double) (1.0 / s);
      for (int j = 0; j < n; j++) {
        y[yi + j] *= inv;
      }
      @Wide double lse = Math.log(sLog);
      for (int j = 0; j < n; j++) {
        logY[li + j] = (double) ((x[xi + j] - (@Wide double) m) - lse);
      }
    }
  }

  /** The row's max; NaN if the row holds one. */
  private static double max(int n, double[] x, int xi) {
    double m = x[xi];
    for (int j = 1; j < n; j++) {
      m = Math.max(m, x[xi + j]);
    }
    return m;
  }
}
