package dev.nabla.runtime;

/**
 * Row-wise softmax and log-softmax of a row-major {@code [rows, n]} block, and their
 * vector-Jacobian products for the backward pass.
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
 * the number of rows, so a batch split across threads gives the same bits. The backward products
 * are scalar.
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
   * Backward of softmax: given {@code y = softmax(x)} and the upstream gradient {@code dy},
   * {@code dx_i (=|+=) y_i * (dy_i - sum_j dy_j y_j)} for each row.
   */
  public static void softmaxBackward(int rows, int n, double[] y, int yOff, double[] dy, int dyOff,
      double[] dx, int dxOff, boolean accumulate) {
    check3("Softmax.softmaxBackward", rows, n, y.length, yOff, dy.length, dyOff, dx.length, dxOff);
    for (int r = 0; r < rows; r++) {
      int o = r * n;
      double dot = 0;
      for (int j = 0; j < n; j++) {
        dot += dy[dyOff + o + j] * y[yOff + o + j];
      }
      for (int j = 0; j < n; j++) {
        double g = y[yOff + o + j] * (dy[dyOff + o + j] - dot);
        dx[dxOff + o + j] = accumulate ? dx[dxOff + o + j] + g : g;
      }
    }
  }

  /** Float version of {@link #softmaxBackward(int, int, double[], int, double[], int, double[], int, boolean)}. */
  public static void softmaxBackward(int rows, int n, float[] y, int yOff, float[] dy, int dyOff,
      float[] dx, int dxOff, boolean accumulate) {
    check3("Softmax.softmaxBackward", rows, n, y.length, yOff, dy.length, dyOff, dx.length, dxOff);
    for (int r = 0; r < rows; r++) {
      int o = r * n;
      double dot = 0;
      for (int j = 0; j < n; j++) {
        dot += dy[dyOff + o + j] * y[yOff + o + j];
      }
      for (int j = 0; j < n; j++) {
        float g = (float) (y[yOff + o + j] * (dy[dyOff + o + j] - dot));
        dx[dxOff + o + j] = accumulate ? dx[dxOff + o + j] + g : g;
      }
    }
  }

  /**
   * Backward of log-softmax: given {@code ls = log_softmax(x)} and the upstream gradient
   * {@code dls}, {@code dx_i (=|+=) dls_i - exp(ls_i) * sum_j dls_j} for each row.
   */
  public static void logSoftmaxBackward(int rows, int n, double[] ls, int lsOff, double[] dls, int dlsOff,
      double[] dx, int dxOff, boolean accumulate) {
    check3("Softmax.logSoftmaxBackward", rows, n, ls.length, lsOff, dls.length, dlsOff, dx.length, dxOff);
    for (int r = 0; r < rows; r++) {
      int o = r * n;
      double sum = 0;
      for (int j = 0; j < n; j++) {
        sum += dls[dlsOff + o + j];
      }
      for (int j = 0; j < n; j++) {
        double g = dls[dlsOff + o + j] - Math.exp(ls[lsOff + o + j]) * sum;
        dx[dxOff + o + j] = accumulate ? dx[dxOff + o + j] + g : g;
      }
    }
  }

  /** Float version of {@link #logSoftmaxBackward(int, int, double[], int, double[], int, double[], int, boolean)}. */
  public static void logSoftmaxBackward(int rows, int n, float[] ls, int lsOff, float[] dls, int dlsOff,
      float[] dx, int dxOff, boolean accumulate) {
    check3("Softmax.logSoftmaxBackward", rows, n, ls.length, lsOff, dls.length, dlsOff, dx.length, dxOff);
    for (int r = 0; r < rows; r++) {
      int o = r * n;
      double sum = 0;
      for (int j = 0; j < n; j++) {
        sum += dls[dlsOff + o + j];
      }
      for (int j = 0; j < n; j++) {
        float g = (float) (dls[dlsOff + o + j] - Math.exp(ls[lsOff + o + j]) * sum);
        dx[dxOff + o + j] = accumulate ? dx[dxOff + o + j] + g : g;
      }
    }
  }

  private static void check(String op, int rows, int n, int xLen, int xOff, int yLen, int yOff) {
    if (n < 1) {
      throw new IllegalArgumentException(op + ": rows must have at least one element, got n=" + n);
    }
    Checks.block(op, "x", xLen, xOff, rows, n);
    Checks.block(op, "y", yLen, yOff, rows, n);
  }

  private static void check3(String op, int rows, int n, int aLen, int aOff, int bLen, int bOff,
      int cLen, int cOff) {
    String out = op.startsWith("Softmax.log") ? "ls" : "y";
    if (n < 1) {
      throw new IllegalArgumentException(op + ": rows must have at least one element, got n=" + n);
    }
    Checks.block(op, out, aLen, aOff, rows, n);
    Checks.block(op, "d" + out, bLen, bOff, rows, n);
    Checks.block(op, "dx", cLen, cOff, rows, n);
  }
}
