package dev.nabla.runtime.kernels;

/**
 * Row-wise softmax and log-softmax of a row-major {@code [rows, n]} block. (Their backward
 * products are fused into the generated code's loops, not called here.)
 *
 * <p>Forward, for each row {@code x} with {@code m = max_j x_j}:
 * <pre>
 *   softmax(x)_i     = exp(x_i - m) / sum_j exp(x_j - m)
 *   log_softmax(x)_i = (x_i - m) - log(sum_j exp(x_j - m))
 * </pre>
 * Subtracting the row maximum keeps every {@code exp} argument {@code <= 0}, so nothing overflows
 * and the sum is at least 1 (no {@code log(0)}) for finite rows. Float versions accumulate the
 * sum in double. Input and output may be the same block (in place) but must not otherwise
 * overlap. {@code n} must be at least 1; {@code rows} may be 0.
 *
 * <p>The forward rows run on the kernels picked at start-up ({@link SoftmaxKernels}): with the
 * Vector API, float rows take their {@code exp} from {@code FloatVector}, within 2 ulps of
 * {@code Math.exp} on the arguments used here, so a float softmax is within a few ulps of the
 * scalar one (see {@code VectorSoftmax}). Every row is computed alone, by the same code whatever
 * the number of rows, so a batch split across threads gives the same bits.
 */
public final class Softmax {
  private Softmax() {
  }

  /** {@code y[r,:] = softmax(x[r,:])} for each of the {@code rows} rows of length {@code n}. */
  public static void softmax(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    check("Softmax.softmax", rows, n, x.length, xOff, y.length, yOff);
    SoftmaxKernels.ACTIVE.softmax(rows, n, x, xOff, y, yOff);
  }

  /** Float version of {@link #softmax(int, int, double[], int, double[], int)}. */
  public static void softmax(int rows, int n, float[] x, int xOff, float[] y, int yOff) {
    check("Softmax.softmax", rows, n, x.length, xOff, y.length, yOff);
    SoftmaxKernels.ACTIVE.softmax(rows, n, x, xOff, y, yOff);
  }

  /** {@code y[r,:] = log_softmax(x[r,:])} for each row. */
  public static void logSoftmax(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    check("Softmax.logSoftmax", rows, n, x.length, xOff, y.length, yOff);
    SoftmaxKernels.ACTIVE.logSoftmax(rows, n, x, xOff, y, yOff);
  }

  /** Float version of {@link #logSoftmax(int, int, double[], int, double[], int)}. */
  public static void logSoftmax(int rows, int n, float[] x, int xOff, float[] y, int yOff) {
    check("Softmax.logSoftmax", rows, n, x.length, xOff, y.length, yOff);
    SoftmaxKernels.ACTIVE.logSoftmax(rows, n, x, xOff, y, yOff);
  }

  private static void check(String op, int rows, int n, int xLen, int xOff, int yLen, int yOff) {
    if (n < 1) {
      throw new IllegalArgumentException(op + ": rows must have at least one element, got n=" + n);
    }
    Checks.block(op, "x", xLen, xOff, rows, n);
    Checks.block(op, "y", yLen, yOff, rows, n);
  }
}
