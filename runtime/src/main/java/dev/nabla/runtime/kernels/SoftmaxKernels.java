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
   * Softmax into y and log-softmax into logY, each row's max and exponentials computed once: the
   * same bits as {@link #softmax} and {@link #logSoftmax} (y, logY and x disjoint).
   */
  void softmaxAndLog(int rows, int n, float[] x, int xOff, float[] y, int yOff, float[] logY, int logYOff);

  void softmaxAndLog(int rows, int n, double[] x, int xOff, double[] y, int yOff, double[] logY, int logYOff);

  /** Plain Java: {@link ScalarSoftmaxF64} and its generated float twin {@code ScalarSoftmaxF32}. */
  final class Scalar implements SoftmaxKernels {
    @Override
    public void softmax(int rows, int n, float[] x, int xOff, float[] y, int yOff) {
      ScalarSoftmaxF32.softmax(rows, n, x, xOff, y, yOff);
    }

    @Override
    public void softmax(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
      ScalarSoftmaxF64.softmax(rows, n, x, xOff, y, yOff);
    }

    @Override
    public void logSoftmax(int rows, int n, float[] x, int xOff, float[] y, int yOff) {
      ScalarSoftmaxF32.logSoftmax(rows, n, x, xOff, y, yOff);
    }

    @Override
    public void logSoftmax(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
      ScalarSoftmaxF64.logSoftmax(rows, n, x, xOff, y, yOff);
    }

    @Override
    public void softmaxAndLog(int rows, int n, float[] x, int xOff, float[] y, int yOff, float[] logY, int logYOff) {
      ScalarSoftmaxF32.softmaxAndLog(rows, n, x, xOff, y, yOff, logY, logYOff);
    }

    @Override
    public void softmaxAndLog(int rows, int n, double[] x, int xOff, double[] y, int yOff, double[] logY,
        int logYOff) {
      ScalarSoftmaxF64.softmaxAndLog(rows, n, x, xOff, y, yOff, logY, logYOff);
    }
  }
}
