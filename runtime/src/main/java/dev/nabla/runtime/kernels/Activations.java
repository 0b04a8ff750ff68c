package dev.nabla.runtime.kernels;

/**
 * Transcendental activations over the rows of a row-major {@code [rows, n]} block, for the
 * generated code's elementwise loops: {@code y[r, j] = f(x[r, j])} with
 *
 * <pre>
 *   exp:     f(x) = e^x
 *   tanh:    f(x) = (e^x - e^-x) / (e^x + e^-x)
 *   sigmoid: f(x) = 1 / (1 + e^-x)
 * </pre>
 *
 * Java does not vectorize {@code Math.exp} or {@code Math.tanh} in a loop, so a tanh or sigmoid
 * layer computed element by element costs about 15 ns an element; these kernels run on the
 * Vector API's SIMD versions where the JVM has {@code jdk.incubator.vector} ({@link
 * ActivationKernels}, picked with the matrix-product kernels). Each row is computed on its own,
 * with the same code whatever {@code rows} is, so splitting the rows across threads changes no
 * bit. {@code x} and {@code y} may be the same block (in place) but must not otherwise overlap.
 */
public final class Activations {
  /** The functions with kernels here. */
  public enum Fn {
    EXP("Activations.exp"),
    TANH("Activations.tanh"),
    SIGMOID("Activations.sigmoid");

    /** The kernel's name in error messages (made once: checking a call allocates nothing). */
    private final String op;

    Fn(String op) {
      this.op = op;
    }
  }

  private Activations() {}

  /** {@code y[r, j] = fn(x[r, j])} for each of the {@code rows} rows of length {@code n}. */
  public static void apply(Fn fn, int rows, int n, float[] x, int xOff, float[] y, int yOff) {
    check(fn, rows, n, x.length, xOff, y.length, yOff);
    ActivationKernels.ACTIVE.apply(fn, rows, n, x, xOff, y, yOff);
  }

  /** Double version of {@link #apply(Fn, int, int, float[], int, float[], int)}. */
  public static void apply(Fn fn, int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    check(fn, rows, n, x.length, xOff, y.length, yOff);
    ActivationKernels.ACTIVE.apply(fn, rows, n, x, xOff, y, yOff);
  }

  /**
   * {@code y[yOff + r * yStride + j] = fn(x[xOff + r * xStride + j])} for each of the {@code rows}
   * rows of length {@code n}: rows of a wider block, such as a recurrence step's gate, a slice of
   * each instance's pre-activations, activated straight from them. Each row is the same kernel
   * call as in {@link #apply(Fn, int, int, float[], int, float[], int)}, so the results are the
   * same bits as activating a contiguous copy.
   */
  public static void apply(Fn fn, int rows, int n, float[] x, int xOff, int xStride, float[] y, int yOff,
      int yStride) {
    checkStrided(fn, rows, n, x.length, xOff, xStride, y.length, yOff, yStride);
    for (int r = 0; r < rows; r++) {
      ActivationKernels.ACTIVE.apply(fn, 1, n, x, xOff + r * xStride, y, yOff + r * yStride);
    }
  }

  /** Double version of {@link #apply(Fn, int, int, float[], int, int, float[], int, int)}. */
  public static void apply(Fn fn, int rows, int n, double[] x, int xOff, int xStride, double[] y, int yOff,
      int yStride) {
    checkStrided(fn, rows, n, x.length, xOff, xStride, y.length, yOff, yStride);
    for (int r = 0; r < rows; r++) {
      ActivationKernels.ACTIVE.apply(fn, 1, n, x, xOff + r * xStride, y, yOff + r * yStride);
    }
  }

  private static void checkStrided(Fn fn, int rows, int n, int xLen, int xOff, int xStride, int yLen, int yOff,
      int yStride) {
    String op = fn.op;
    if (rows < 0 || n < 0 || xStride < n || yStride < n) {
      throw new IllegalArgumentException(op + ": rows=" + rows + ", n=" + n + ", strides " + xStride + " and "
          + yStride + " (each at least n)");
    }
    if (rows > 0) {
      Checks.range(op, "x", xLen, xOff, (int) Math.min(Integer.MAX_VALUE, (long) (rows - 1) * xStride + n));
      Checks.range(op, "y", yLen, yOff, (int) Math.min(Integer.MAX_VALUE, (long) (rows - 1) * yStride + n));
    }
  }

  private static void check(Fn fn, int rows, int n, int xLen, int xOff, int yLen, int yOff) {
    String op = fn.op;
    if (rows < 0 || n < 0) {
      throw new IllegalArgumentException(op + ": negative size rows=" + rows + ", n=" + n);
    }
    Checks.block(op, "x", xLen, xOff, rows, n);
    Checks.block(op, "y", yLen, yOff, rows, n);
  }
}
