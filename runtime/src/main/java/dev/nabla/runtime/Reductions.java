package dev.nabla.runtime;

/**
 * Sums, means and extremes of flat ranges and of row-major {@code [m, n]} blocks.
 *
 * <ul>
 *   <li>{@code sum(x) = sum_i x_i} over a range;</li>
 *   <li>{@code sumAxis0: out[j] (=|+=) sum_i x[i,j]} (length n: the reverse of broadcasting a
 *       row over the m rows);</li>
 *   <li>{@code sumAxis1: out[i] (=|+=) sum_j x[i,j]} (length m);</li>
 *   <li>{@code columnMeans: out[j] (=|+=) (1/B) sum_t x[t,j]} over a {@code [B, n]} batch block
 *       (the batch mean used for bias gradients);</li>
 *   <li>{@code max}, {@code min} of a range, and {@code argmax}, {@code argmin}: the position of the
 *       <em>first</em> extreme element, relative to the range start.</li>
 * </ul>
 * Float versions accumulate in double and round the result once. NaN follows NumPy: a NaN in the
 * range makes {@code max}/{@code min} NaN and {@code argmax}/{@code argmin} the first NaN's
 * position. Extremes need a non-empty range.
 */
public final class Reductions {
  private Reductions() {
  }

  /** {@code sum_{i<len} x[off + i]}. */
  public static double sum(double[] x, int off, int len) {
    Checks.range("Reductions.sum", "x", x.length, off, len);
    double s = 0;
    for (int i = off, end = off + len; i < end; i++) {
      s += x[i];
    }
    return s;
  }

  /** {@code sum_{i<len} x[off + i]}, accumulated in double. */
  public static double sum(float[] x, int off, int len) {
    Checks.range("Reductions.sum", "x", x.length, off, len);
    double s = 0;
    for (int i = off, end = off + len; i < end; i++) {
      s += x[i];
    }
    return s;
  }

  /** {@code out[j] (=|+=) sum_{i<m} x[i,j]} for {@code j < n}. */
  public static void sumAxis0(int m, int n, double[] x, int xOff, double[] out, int outOff, boolean accumulate) {
    Checks.block("Reductions.sumAxis0", "x", x.length, xOff, m, n);
    Checks.range("Reductions.sumAxis0", "out", out.length, outOff, n);
    if (!accumulate) {
      java.util.Arrays.fill(out, outOff, outOff + n, 0);
    }
    for (int i = 0; i < m; i++) {
      int row = xOff + i * n;
      for (int j = 0; j < n; j++) {
        out[outOff + j] += x[row + j];
      }
    }
  }

  /** Float version of {@link #sumAxis0(int, int, double[], int, double[], int, boolean)} (accumulates in float). */
  public static void sumAxis0(int m, int n, float[] x, int xOff, float[] out, int outOff, boolean accumulate) {
    Checks.block("Reductions.sumAxis0", "x", x.length, xOff, m, n);
    Checks.range("Reductions.sumAxis0", "out", out.length, outOff, n);
    if (!accumulate) {
      java.util.Arrays.fill(out, outOff, outOff + n, 0f);
    }
    for (int i = 0; i < m; i++) {
      int row = xOff + i * n;
      for (int j = 0; j < n; j++) {
        out[outOff + j] += x[row + j];
      }
    }
  }

  /** {@code out[i] (=|+=) sum_{j<n} x[i,j]} for {@code i < m}. */
  public static void sumAxis1(int m, int n, double[] x, int xOff, double[] out, int outOff, boolean accumulate) {
    Checks.block("Reductions.sumAxis1", "x", x.length, xOff, m, n);
    Checks.range("Reductions.sumAxis1", "out", out.length, outOff, m);
    for (int i = 0; i < m; i++) {
      double s = 0;
      int row = xOff + i * n;
      for (int j = 0; j < n; j++) {
        s += x[row + j];
      }
      out[outOff + i] = accumulate ? out[outOff + i] + s : s;
    }
  }

  /** Float version of {@link #sumAxis1(int, int, double[], int, double[], int, boolean)} (accumulates in double). */
  public static void sumAxis1(int m, int n, float[] x, int xOff, float[] out, int outOff, boolean accumulate) {
    Checks.block("Reductions.sumAxis1", "x", x.length, xOff, m, n);
    Checks.range("Reductions.sumAxis1", "out", out.length, outOff, m);
    for (int i = 0; i < m; i++) {
      double s = 0;
      int row = xOff + i * n;
      for (int j = 0; j < n; j++) {
        s += x[row + j];
      }
      out[outOff + i] = (float) (accumulate ? out[outOff + i] + s : s);
    }
  }

  /** {@code out[j] (=|+=) (1/b) sum_{t<b} x[t,j]}: the mean over the batch axis of a {@code [b, n]} block. */
  public static void columnMeans(int b, int n, double[] x, int xOff, double[] out, int outOff, boolean accumulate) {
    checkBatch(b);
    Checks.block("Reductions.columnMeans", "x", x.length, xOff, b, n);
    Checks.range("Reductions.columnMeans", "out", out.length, outOff, n);
    double inv = 1.0 / b;
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int t = 0, p = xOff + j; t < b; t++, p += n) {
        s += x[p];
      }
      out[outOff + j] = accumulate ? out[outOff + j] + s * inv : s * inv;
    }
  }

  /** Float version of {@link #columnMeans(int, int, double[], int, double[], int, boolean)} (accumulates in double). */
  public static void columnMeans(int b, int n, float[] x, int xOff, float[] out, int outOff, boolean accumulate) {
    checkBatch(b);
    Checks.block("Reductions.columnMeans", "x", x.length, xOff, b, n);
    Checks.range("Reductions.columnMeans", "out", out.length, outOff, n);
    double inv = 1.0 / b;
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int t = 0, p = xOff + j; t < b; t++, p += n) {
        s += x[p];
      }
      out[outOff + j] = (float) (accumulate ? out[outOff + j] + s * inv : s * inv);
    }
  }

  /** The largest of {@code x[off .. off+len)}. */
  public static double max(double[] x, int off, int len) {
    return x[off + argmax(x, off, len)];
  }

  /** The largest of {@code x[off .. off+len)}. */
  public static float max(float[] x, int off, int len) {
    return x[off + argmax(x, off, len)];
  }

  /** The smallest of {@code x[off .. off+len)}. */
  public static double min(double[] x, int off, int len) {
    return x[off + argmin(x, off, len)];
  }

  /** The smallest of {@code x[off .. off+len)}. */
  public static float min(float[] x, int off, int len) {
    return x[off + argmin(x, off, len)];
  }

  /** Position (from {@code off}) of the first largest element of {@code x[off .. off+len)}. */
  public static int argmax(double[] x, int off, int len) {
    checkExtreme("Reductions.argmax", x.length, off, len);
    int best = 0;
    double v = x[off];
    for (int i = 1; i < len && v == v; i++) {
      double e = x[off + i];
      if (e > v || e != e) {
        v = e;
        best = i;
      }
    }
    return best;
  }

  /** Position (from {@code off}) of the first largest element of {@code x[off .. off+len)}. */
  public static int argmax(float[] x, int off, int len) {
    checkExtreme("Reductions.argmax", x.length, off, len);
    int best = 0;
    float v = x[off];
    for (int i = 1; i < len && v == v; i++) {
      float e = x[off + i];
      if (e > v || e != e) {
        v = e;
        best = i;
      }
    }
    return best;
  }

  /** Position (from {@code off}) of the first smallest element of {@code x[off .. off+len)}. */
  public static int argmin(double[] x, int off, int len) {
    checkExtreme("Reductions.argmin", x.length, off, len);
    int best = 0;
    double v = x[off];
    for (int i = 1; i < len && v == v; i++) {
      double e = x[off + i];
      if (e < v || e != e) {
        v = e;
        best = i;
      }
    }
    return best;
  }

  /** Position (from {@code off}) of the first smallest element of {@code x[off .. off+len)}. */
  public static int argmin(float[] x, int off, int len) {
    checkExtreme("Reductions.argmin", x.length, off, len);
    int best = 0;
    float v = x[off];
    for (int i = 1; i < len && v == v; i++) {
      float e = x[off + i];
      if (e < v || e != e) {
        v = e;
        best = i;
      }
    }
    return best;
  }

  private static void checkExtreme(String op, int length, int off, int len) {
    Checks.nonEmpty(op, len);
    Checks.range(op, "x", length, off, len);
  }

  private static void checkBatch(int b) {
    if (b < 1) {
      throw new IllegalArgumentException("Reductions.columnMeans: batch size must be at least 1, got " + b);
    }
  }
}
