package dev.nabla.runtime.kernels;

/**
 * One implementation of the row kernels behind {@link Softmax#softmax} and
 * {@link Softmax#logSoftmax}: the scalar Java loops ({@link Scalar}), or the SIMD ones on the
 * incubating Vector API ({@code VectorSoftmax}). {@link #ACTIVE} is the one picked together with
 * the matrix-product kernels by {@link KernelSelection}, so one start-up line tells both.
 *
 * <p>Contract, for each of the {@code rows} rows {@code x = x[xOff + r*n .. + n)} with
 * {@code m = max_j x_j}:
 * <pre>
 *   softmax:     y_i = exp(x_i - m) / sum_j exp(x_j - m)
 *   log-softmax: y_i = (x_i - m) - log(sum_j exp(x_j - m))
 * </pre>
 * written to {@code y[yOff + r*n + i]}. Each row is computed on its own, by the same code
 * whatever {@code rows} is, so splitting the rows across threads changes no bit. The float
 * versions sum the exponentials in double. Arguments are already checked ({@code n >= 1}, blocks
 * in range; x and y the same block or disjoint).
 */
interface SoftmaxKernels {
  SoftmaxKernels ACTIVE = KernelSelection.CHOSEN.softmax();

  void softmax(int rows, int n, float[] x, int xOff, float[] y, int yOff);

  void softmax(int rows, int n, double[] x, int xOff, double[] y, int yOff);

  void logSoftmax(int rows, int n, float[] x, int xOff, float[] y, int yOff);

  void logSoftmax(int rows, int n, double[] x, int xOff, double[] y, int yOff);

  /**
   * Plain Java, in double for both precisions: a float row's {@code x_j - m} and {@code exp} are
   * computed in double (exactly, then correctly rounded), so each float output is within about
   * 1.5 ulps of the exact result.
   */
  final class Scalar implements SoftmaxKernels {
    @Override
    public void softmax(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
      for (int r = 0; r < rows; r++) {
        int xi = xOff + r * n;
        int yi = yOff + r * n;
        double m = x[xi];
        for (int j = 1; j < n; j++) {
          m = Math.max(m, x[xi + j]);
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
          double e = Math.exp(x[xi + j] - m);
          y[yi + j] = e;
          s += e;
        }
        double inv = 1.0 / s;
        for (int j = 0; j < n; j++) {
          y[yi + j] *= inv;
        }
      }
    }

    @Override
    public void softmax(int rows, int n, float[] x, int xOff, float[] y, int yOff) {
      for (int r = 0; r < rows; r++) {
        int xi = xOff + r * n;
        int yi = yOff + r * n;
        float m = x[xi];
        for (int j = 1; j < n; j++) {
          m = Math.max(m, x[xi + j]);
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
          float e = (float) Math.exp(x[xi + j] - (double) m);
          y[yi + j] = e;
          s += e;
        }
        float inv = (float) (1.0 / s);
        for (int j = 0; j < n; j++) {
          y[yi + j] *= inv;
        }
      }
    }

    @Override
    public void logSoftmax(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
      for (int r = 0; r < rows; r++) {
        int xi = xOff + r * n;
        int yi = yOff + r * n;
        double m = x[xi];
        for (int j = 1; j < n; j++) {
          m = Math.max(m, x[xi + j]);
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += Math.exp(x[xi + j] - m);
        }
        double lse = Math.log(s);
        for (int j = 0; j < n; j++) {
          y[yi + j] = (x[xi + j] - m) - lse;
        }
      }
    }

    @Override
    public void logSoftmax(int rows, int n, float[] x, int xOff, float[] y, int yOff) {
      for (int r = 0; r < rows; r++) {
        int xi = xOff + r * n;
        int yi = yOff + r * n;
        float m = x[xi];
        for (int j = 1; j < n; j++) {
          m = Math.max(m, x[xi + j]);
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += Math.exp(x[xi + j] - (double) m);
        }
        double lse = Math.log(s);
        for (int j = 0; j < n; j++) {
          y[yi + j] = (float) ((x[xi + j] - (double) m) - lse);
        }
      }
    }
  }
}
