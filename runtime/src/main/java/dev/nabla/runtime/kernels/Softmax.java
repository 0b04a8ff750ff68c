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
 * scalar one (see {@code VectorSoftmax}); float rows shorter than a vector have the scalar
 * kernel's bits ({@code SoftmaxShortRows}). Every row is computed alone, by the same code whatever
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

  /**
   * {@code y[r,:] = softmax(x[r,:])} and {@code logY[r,:] = log_softmax(x[r,:])} in one pass over
   * each row (one max, one {@code exp} per element): the same bits as {@link #softmax} followed
   * by {@link #logSoftmax}, for a model that needs both (a softmax output and its cross-entropy
   * loss). y and logY must not overlap each other or x.
   */
  public static void softmaxAndLog(int rows, int n, double[] x, int xOff, double[] y, int yOff, double[] logY,
      int logYOff) {
    checkPair(rows, n, x, x.length, xOff, y, y.length, yOff, logY, logY.length, logYOff);
    SoftmaxKernels.ACTIVE.softmaxAndLog(rows, n, x, xOff, y, yOff, logY, logYOff);
  }

  /** Float version of {@link #softmaxAndLog(int, int, double[], int, double[], int, double[], int)}. */
  public static void softmaxAndLog(int rows, int n, float[] x, int xOff, float[] y, int yOff, float[] logY,
      int logYOff) {
    checkPair(rows, n, x, x.length, xOff, y, y.length, yOff, logY, logY.length, logYOff);
    SoftmaxKernels.ACTIVE.softmaxAndLog(rows, n, x, xOff, y, yOff, logY, logYOff);
  }

  private static void checkPair(int rows, int n, Object x, int xLen, int xOff, Object y, int yLen, int yOff,
      Object logY, int logYLen, int logYOff) {
    String op = "Softmax.softmaxAndLog";
    check(op, rows, n, xLen, xOff, yLen, yOff);
    Checks.block(op, "logY", logYLen, logYOff, rows, n);
    long size = (long) rows * n;
    apart(op, "y", y, yOff, "x", x, xOff, size);
    apart(op, "logY", logY, logYOff, "x", x, xOff, size);
    apart(op, "logY", logY, logYOff, "y", y, yOff, size);
  }

  /** Fails when two blocks of {@code size} elements of the same array overlap. */
  private static void apart(String op, String name1, Object array1, int off1, String name2, Object array2, int off2,
      long size) {
    if (array1 == array2 && size > 0 && off1 < off2 + size && off2 < off1 + size) {
      throw new IllegalArgumentException(op + ": " + name1 + " (" + size + " elements at offset " + off1
          + ") overlaps " + name2 + " (at offset " + off2 + ")");
    }
  }

  private static void check(String op, int rows, int n, int xLen, int xOff, int yLen, int yOff) {
    if (n < 1) {
      throw new IllegalArgumentException(op + ": rows must have at least one element, got n=" + n);
    }
    Checks.block(op, "x", xLen, xOff, rows, n);
    Checks.block(op, "y", yLen, yOff, rows, n);
  }
}
