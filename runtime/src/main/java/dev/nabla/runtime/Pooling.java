package dev.nabla.runtime;

/**
 * Max pooling over consecutive groups of {@code k} along the rows of a row-major {@code [rows, n]}
 * block ({@code n} divisible by {@code k}), as in the language's {@code maxpool(v, k)}:
 * <pre>
 *   maxpool(v, k)_g      = max over 0 &lt;= q &lt; k of v[g*k + q]           (output [rows, n/k])
 *   maxpool_mask(v, k)_i = 1 if i is the FIRST largest element of its group, else 0   ([rows, n])
 *   backward:  dv_i (=|+=) mask_i * dy_{i / k}
 * </pre>
 * The gradient goes to the first extreme element of each group (the language's subgradient
 * convention). NaN follows {@link Reductions#argmax(double[], int, int)}.
 */
public final class Pooling {
  private Pooling() {
  }

  /** {@code y[r, g] = max of x[r, g*k .. g*k+k)}; {@code y} is {@code [rows, n/k]}. */
  public static void maxpool(int rows, int n, int k, double[] x, int xOff, double[] y, int yOff) {
    int groups = check("Pooling.maxpool", rows, n, k, x.length, xOff);
    Checks.block("Pooling.maxpool", "y", y.length, yOff, rows, groups);
    for (int r = 0; r < rows; r++) {
      for (int g = 0; g < groups; g++) {
        y[yOff + r * groups + g] = Reductions.max(x, xOff + r * n + g * k, k);
      }
    }
  }

  /** Float version of {@link #maxpool(int, int, int, double[], int, double[], int)}. */
  public static void maxpool(int rows, int n, int k, float[] x, int xOff, float[] y, int yOff) {
    int groups = check("Pooling.maxpool", rows, n, k, x.length, xOff);
    Checks.block("Pooling.maxpool", "y", y.length, yOff, rows, groups);
    for (int r = 0; r < rows; r++) {
      for (int g = 0; g < groups; g++) {
        y[yOff + r * groups + g] = Reductions.max(x, xOff + r * n + g * k, k);
      }
    }
  }

  /** {@code mask[r, i] = 1} at the first largest element of each group of {@code k}, else 0; {@code [rows, n]}. */
  public static void maxpoolMask(int rows, int n, int k, double[] x, int xOff, double[] mask, int maskOff) {
    int groups = check("Pooling.maxpoolMask", rows, n, k, x.length, xOff);
    Checks.block("Pooling.maxpoolMask", "mask", mask.length, maskOff, rows, n);
    java.util.Arrays.fill(mask, maskOff, maskOff + rows * n, 0);
    for (int r = 0; r < rows; r++) {
      for (int g = 0; g < groups; g++) {
        int start = r * n + g * k;
        mask[maskOff + start + Reductions.argmax(x, xOff + start, k)] = 1;
      }
    }
  }

  /** Float version of {@link #maxpoolMask(int, int, int, double[], int, double[], int)}. */
  public static void maxpoolMask(int rows, int n, int k, float[] x, int xOff, float[] mask, int maskOff) {
    int groups = check("Pooling.maxpoolMask", rows, n, k, x.length, xOff);
    Checks.block("Pooling.maxpoolMask", "mask", mask.length, maskOff, rows, n);
    java.util.Arrays.fill(mask, maskOff, maskOff + rows * n, 0f);
    for (int r = 0; r < rows; r++) {
      for (int g = 0; g < groups; g++) {
        int start = r * n + g * k;
        mask[maskOff + start + Reductions.argmax(x, xOff + start, k)] = 1f;
      }
    }
  }

  /**
   * Backward of maxpool: {@code dx[r, i] (=|+=) dy[r, i/k]} if {@code i} is the first largest of its
   * group in {@code x}, else {@code dx} gets 0 (or is left as is when accumulating).
   */
  public static void maxpoolBackward(int rows, int n, int k, double[] x, int xOff, double[] dy, int dyOff,
      double[] dx, int dxOff, boolean accumulate) {
    int groups = check("Pooling.maxpoolBackward", rows, n, k, x.length, xOff);
    Checks.block("Pooling.maxpoolBackward", "dy", dy.length, dyOff, rows, groups);
    Checks.block("Pooling.maxpoolBackward", "dx", dx.length, dxOff, rows, n);
    if (!accumulate) {
      java.util.Arrays.fill(dx, dxOff, dxOff + rows * n, 0);
    }
    for (int r = 0; r < rows; r++) {
      for (int g = 0; g < groups; g++) {
        int start = r * n + g * k;
        dx[dxOff + start + Reductions.argmax(x, xOff + start, k)] += dy[dyOff + r * groups + g];
      }
    }
  }

  /** Float version of {@link #maxpoolBackward(int, int, int, double[], int, double[], int, double[], int, boolean)}. */
  public static void maxpoolBackward(int rows, int n, int k, float[] x, int xOff, float[] dy, int dyOff,
      float[] dx, int dxOff, boolean accumulate) {
    int groups = check("Pooling.maxpoolBackward", rows, n, k, x.length, xOff);
    Checks.block("Pooling.maxpoolBackward", "dy", dy.length, dyOff, rows, groups);
    Checks.block("Pooling.maxpoolBackward", "dx", dx.length, dxOff, rows, n);
    if (!accumulate) {
      java.util.Arrays.fill(dx, dxOff, dxOff + rows * n, 0f);
    }
    for (int r = 0; r < rows; r++) {
      for (int g = 0; g < groups; g++) {
        int start = r * n + g * k;
        dx[dxOff + start + Reductions.argmax(x, xOff + start, k)] += dy[dyOff + r * groups + g];
      }
    }
  }

  private static int check(String op, int rows, int n, int k, int xLen, int xOff) {
    if (k < 1 || n < 0 || n % k != 0) {
      throw new IllegalArgumentException(op + ": row length " + n + " is not divisible by the group size " + k);
    }
    Checks.block(op, "x", xLen, xOff, rows, n);
    return n / k;
  }
}
