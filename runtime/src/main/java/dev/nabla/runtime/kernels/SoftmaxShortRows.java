package dev.nabla.runtime.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * Float softmax and log-softmax rows shorter than a float vector (a classifier's 10 classes), with
 * the same bits as the scalar kernel ({@code ScalarSoftmaxF32}, which such rows ran through
 * before: every element of a row shorter than a vector is in the scalar tail) and a fraction of
 * its time: the exponentials come from {@link DoubleLaneMath#exp} over a block of rows at once,
 * and two guards fall back to {@code Math.exp} wherever the lanes could give other bits.
 *
 * <p>The scalar kernel computes, per row with max {@code m} and {@code d_j = (double) x_j - m}
 * (in double), {@code a_j = Math.exp(d_j)} (double); softmax from {@code e_j = (float) a_j}
 * (summed in double), log-softmax {@code (float) (d_j - Math.log(sum_j a_j))} from the unrounded
 * {@code a_j}. The lanes give {@code a'_j}, within {@link #K} ulps of {@code a_j}: both are within
 * a few ulps of the exact {@code e^d} ({@code Math.exp} within 1 by its contract, the lanes within
 * about 1.5 by their error analysis; measured below 2 apart, see {@code SoftmaxShortRowsTest}).
 *
 * <ul>
 *   <li><b>Softmax.</b> {@code (float) a'_j == (float) a_j} unless a float rounding boundary (a
 *       midpoint between two floats) lies within K ulps of {@code a'_j}, or {@code a'_j} is below
 *       the smallest normal float (where the boundaries lie elsewhere), or NaN: for those the
 *       element takes {@code Math.exp}. So every {@code e_j}, their sum and the outputs are the
 *       scalar kernel's. Without this guard, no float argument in [-104, 0] would round
 *       otherwise (an exhaustive count, {@code SoftmaxShortRowsTest}), but the arguments are
 *       doubles, and of 160,000 next to float midpoints 151 would.</li>
 *   <li><b>Log-softmax.</b> The sum of the unrounded {@code a'_j} differs from the scalar one by at
 *       most {@code (4K + n + 2) 2^-52 s} (each term within K ulps, each partial sum's rounding
 *       within one ulp of the row sum, which is at least 1: the max's term is exactly 1 both
 *       ways), so {@code log s} by at most that over {@code s}, plus an ulp of each
 *       {@code Math.log}. Each output whose double value lies farther than that (with a margin
 *       for its own rounding) from a float rounding boundary rounds as the scalar kernel's; if
 *       any element of a row is not that far, the row's log-softmax is recomputed with
 *       {@code Math.exp}, as the scalar kernel computes it. A confident row (a sum within about
 *       10^-6 of 1) takes that path often: it costs what the scalar kernel costs.</li>
 * </ul>
 *
 * <p>Every result is therefore bit for bit the scalar kernel's, in every JIT tier (the lanes are
 * tier-independent, {@code Math.exp} and {@code Math.log} are the same stubs in the interpreter
 * and the compilers: {@code SoftmaxShortRowsTest} runs a {@code -Xint} JVM), on any number of
 * rows; x is read once, before any output is written, so x may be the output (in place).
 * Scratch: twice {@link #CAP} doubles per thread, kept for the thread's life.
 */
final class SoftmaxShortRows {
  /**
   * The guards' distance in ulps between a lane exponential and {@code Math.exp}: a bound with a
   * wide margin (the two are within about 2.5 ulps of each other by their error bounds).
   */
  static final int K = 8;
  /** Elements per block of rows: the scratch's size. */
  static final int CAP = 512;
  /** The float rounding boundary in a double's low 29 significand bits (a float keeps 23 of 52). */
  private static final long LOW_BITS = (1L << 29) - 1;
  private static final long MIDPOINT = 1L << 28;

  /** A thread's scratch: the block's exp arguments and their exponentials. */
  private static final class Scratch {
    final double[] args = new double[CAP];
    final double[] exps = new double[CAP];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private SoftmaxShortRows() {
  }

  /**
   * Whether rows of length n take these kernels: those shorter than a float vector, which the
   * vector kernel would run entirely in its scalar tail (CAP holds many such rows).
   */
  static boolean handles(int n) {
    return n < FloatVector.SPECIES_PREFERRED.length();
  }

  /** Softmax into y (if not null) and log-softmax into logY (if not null), as ScalarSoftmaxF32. */
  static void rows(int rows, int n, float[] x, int xOff, float[] y, int yOff, float[] logY, int logYOff) {
    Scratch scratch = SCRATCH.get();
    int block = CAP / n;
    for (int r = 0; r < rows; r += block) {
      int count = Math.min(block, rows - r);
      block(count, n, x, xOff + r * n, y, yOff + r * n, logY, logYOff + r * n, scratch);
    }
  }

  private static void block(int rows, int n, float[] x, int xOff, float[] y, int yOff, float[] logY, int logYOff,
      Scratch scratch) {
    double[] d = scratch.args;
    double[] a = scratch.exps;
    for (int r = 0, xi = xOff; r < rows; r++, xi += n) {
      float m = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        m = Math.max(m, x[xi + j]);
      }
      for (int j = 0; j < n; j++) {
        d[r * n + j] = x[xi + j] - (double) m;
      }
    }
    int len = rows * n;
    DoubleLaneMath.exp(1, len, d, 0, a, 0);
    for (int k = len - len % DoubleLaneMath.LANES; k < len; k++) {
      a[k] = Math.exp(d[k]);
    }
    for (int r = 0, ai = 0; r < rows; r++, ai += n) {
      double s = 0;
      double sLog = 0;
      for (int j = ai; j < ai + n; j++) {
        double wide = a[j];
        if (nearFloatBoundary(wide)) {
          wide = Math.exp(d[j]);
        }
        float e = (float) wide;
        if (y != null) {
          y[yOff + j] = e;
        }
        s += e;
        sLog += wide;
      }
      if (y != null) {
        float inv = (float) (1.0 / s);
        for (int j = yOff + ai; j < yOff + ai + n; j++) {
          y[j] *= inv;
        }
      }
      if (logY != null) {
        logSoftmaxRow(n, d, ai, sLog, logY, logYOff + ai);
      }
    }
  }

  /**
   * Whether a lane exponential could round to another float than a value within K ulps of it:
   * a float rounding boundary within K ulps, a result below the smallest normal float, or NaN.
   */
  static boolean nearFloatBoundary(double wide) {
    long low = Double.doubleToRawLongBits(wide) & LOW_BITS;
    return !(wide >= Float.MIN_NORMAL) || Math.abs(low - MIDPOINT) <= K;
  }

  /**
   * One row's log-softmax from the sum of its lane exponentials, or, where the bound does not
   * settle an element's float, from the scalar kernel's exact sum.
   */
  private static void logSoftmaxRow(int n, double[] d, int di, double sLog, float[] logY, int li) {
    double ds = 0x1p-52 * sLog * (4 * K + n + 2);
    double lse = Math.log(sLog);
    // |lse - scalar lse|: the sum's bound over the smaller sum, and an ulp of each Math.log.
    double dl = ds / (sLog - ds) * (1 + 0x1p-40) + 4 * Math.ulp(lse);
    boolean settled = sLog > 2 * ds;
    for (int j = 0; j < n; j++) {
      double v = d[di + j] - lse;
      // v's own rounding and that of v +- g: a few ulps of v (an ulp of v is at most |v| 2^-52).
      double g = dl + Math.abs(v) * 0x1p-49;
      settled &= (float) (v - g) == (float) (v + g);
      logY[li + j] = (float) v;
    }
    if (!settled) {
      double exact = 0;
      for (int j = 0; j < n; j++) {
        exact += Math.exp(d[di + j]);
      }
      double exactLse = Math.log(exact);
      for (int j = 0; j < n; j++) {
        logY[li + j] = (float) (d[di + j] - exactLse);
      }
    }
  }
}
