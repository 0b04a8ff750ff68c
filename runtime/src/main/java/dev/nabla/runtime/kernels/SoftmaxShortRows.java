package dev.nabla.runtime.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float softmax and log-softmax rows shorter than a float vector (a classifier's 10 classes), with
 * the same bits as the scalar kernel ({@code ScalarSoftmaxF32}, which such rows ran through
 * before: every element of a row shorter than a vector is in the vector kernel's scalar tail) in
 * a fraction of its time. A block of rows is turned so that each double lane holds one row
 * (element j of 8 rows is one vector), widened to double: the row max, {@code x_j - max}, the
 * sums over the row (in the scalar kernel's order, element 0 first) and the outputs are then
 * lanewise operations, the exponentials {@link DoubleLaneMath#exp}. Guards send every row whose
 * bits the lanes cannot vouch for to the scalar kernel.
 *
 * <p>The scalar kernel computes, per row with max {@code m} and {@code d_j = (double) x_j - m}
 * (in double), {@code a_j = Math.exp(d_j)} (double); softmax from {@code e_j = (float) a_j}
 * (summed in double, then {@code inv = (float) (1 / sum)} and {@code y_j = e_j * inv} in float),
 * log-softmax {@code (float) (d_j - Math.log(sum_j a_j))} from the unrounded {@code a_j}. The lanes
 * give {@code a'_j}, within {@link #K} ulps of {@code a_j}: both are within a few ulps of the
 * exact {@code e^d} ({@code Math.exp} within 1 by its contract, the lanes within about 1.5 by
 * their error analysis; over every float argument in [-104, 0] they are within 1 ulp of each other
 * and round to the same float, {@code SoftmaxShortRowsTest}).
 *
 * <ul>
 *   <li><b>Rounding to float in double lanes</b> is Veltkamp's split ({@code c = w (2^29 + 1)},
 *       {@code c - (c - w)}): the nearest value with 24 significant bits, the float, except that a
 *       tie may go either way and results below the smallest normal float keep 24 bits. Each
 *       guard below excludes ties and such results.</li>
 *   <li><b>Softmax.</b> {@code (float) a'_j == (float) a_j} unless a float rounding boundary (a
 *       midpoint between two floats) lies within K ulps of {@code a'_j}, or {@code a'_j} is below
 *       the smallest normal float, or NaN: such a row is the scalar kernel's. So every
 *       {@code e_j} and the sum are the scalar kernel's; {@code 1 / sum} and each {@code e_j inv}
 *       (exact in double: two 24-bit significands) are rounded to float, a tie or a result below
 *       the smallest normal float sending the row to the scalar kernel.</li>
 *   <li><b>Log-softmax.</b> The sum of the unrounded {@code a'_j} differs from the scalar one by at
 *       most {@code (4K + n + 2) 2^-52 s} (each term within K ulps, each partial sum's rounding
 *       within one ulp of the row sum, which is at least 1: the max's term is exactly 1 both
 *       ways), so {@code log s} by at most that over {@code s}, plus an ulp of each
 *       {@code Math.log} (called per row). An output whose double value lies farther than that
 *       (with a margin for its own rounding) from a float rounding boundary rounds as the scalar
 *       kernel's; a row with any output not that far is the scalar kernel's. A confident row (a
 *       sum within about 10^-6 of 1) goes there often: it costs what the scalar kernel costs.</li>
 * </ul>
 *
 * <p>Every result is therefore bit for bit the scalar kernel's, in every JIT tier (the lanes are
 * tier-independent; {@code Math.exp} and {@code Math.log} are the same stubs in the interpreter
 * and the compilers: {@code SoftmaxShortRowsTest} runs a {@code -Xint} JVM), on any number of
 * rows. x is read into the scratch before any output is written, and a row sent to the scalar
 * kernel reads only its own row, so x may be the output (in place). Scratch: twice {@link #CAP}
 * doubles per thread, kept for the thread's life.
 */
final class SoftmaxShortRows {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  /** Double lanes: rows per group. */
  private static final int L = S.length();
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
  /** Veltkamp's factor for 53 - 29 = 24 significant bits. */
  private static final double SPLIT = 0x1p29 + 1;
  private static final long EXPONENT_BITS = 0x7ff0000000000000L;
  private static final long INFINITY_BITS = EXPONENT_BITS;
  private static final long MIN_NORMAL_BITS = Double.doubleToRawLongBits(Float.MIN_NORMAL);
  /** Log-softmax outputs smaller than this in magnitude go to the scalar kernel (subnormal floats). */
  private static final long SMALL_BITS = Double.doubleToRawLongBits(0x1p-125);
  private static final VectorSpecies<Long> S_LONG = LongVector.SPECIES_PREFERRED;

  /** A thread's scratch. */
  private static final class Scratch {
    /** The block turned: x, then x - max, then the log-softmax outputs. */
    final double[] args = new double[CAP];
    /** The exponentials, then the softmax outputs. */
    final double[] exps = new double[CAP];
    /** Per row: the sums of the exponentials rounded to float and unrounded, and log of the latter. */
    final double[] sums = new double[CAP];
    final double[] logSums = new double[CAP];
    final double[] logs = new double[CAP];
    /** Per group of rows: the rows (one bit each) that the scalar kernel computes. */
    final long[] slowY = new long[CAP];
    final long[] slowLog = new long[CAP];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private SoftmaxShortRows() {
  }

  /**
   * Whether rows of length n take these kernels: those shorter than a float vector, which the
   * vector kernel would run entirely in its scalar tail.
   */
  static boolean handles(int n) {
    return n < FloatVector.SPECIES_PREFERRED.length() && n * L <= CAP;
  }

  /** Softmax into y (if not null) and log-softmax into logY (if not null), as ScalarSoftmaxF32. */
  static void rows(int rows, int n, float[] x, int xOff, float[] y, int yOff, float[] logY, int logYOff) {
    Scratch scratch = SCRATCH.get();
    int block = CAP / (n * L) * L;
    for (int r = 0; r < rows; r += block) {
      int count = Math.min(block, rows - r);
      block(count, n, x, xOff + r * n, y, yOff + r * n, logY, logYOff + r * n, scratch);
    }
  }

  /**
   * One block of rows, in phases that each take arrays (no vector or mask crosses a call, which
   * C2 might not inline: it would box them).
   */
  private static void block(int rows, int n, float[] x, int xOff, float[] y, int yOff, float[] logY, int logYOff,
      Scratch scratch) {
    int groups = (rows + L - 1) / L;
    turn(rows, groups, n, x, xOff, scratch.args);
    argsFromMax(groups, n, scratch.args);
    DoubleLaneMath.exp(1, groups * n * L, scratch.args, 0, scratch.exps, 0);
    sums(groups, n, scratch);
    if (y != null) {
      softmax(groups, n, scratch);
    }
    if (logY != null) {
      for (int r = 0; r < groups * L; r++) {
        scratch.logs[r] = Math.log(scratch.logSums[r]);
      }
      logSoftmax(groups, n, scratch);
    }
    double[] a = scratch.exps;
    double[] d = scratch.args;
    for (int r = 0; r < rows; r++) {
      int at = r / L * n * L + r % L;
      long bit = 1L << (r % L);
      int xi = xOff + r * n;
      if (y != null) {
        int yi = yOff + r * n;
        if ((scratch.slowY[r / L] & bit) != 0) {
          ScalarSoftmaxF32.softmax(1, n, x, xi, y, yi);
        } else {
          for (int j = 0; j < n; j++) {
            y[yi + j] = (float) a[at + j * L];
          }
        }
      }
      if (logY != null) {
        int li = logYOff + r * n;
        if ((scratch.slowLog[r / L] & bit) != 0) {
          ScalarSoftmaxF32.logSoftmax(1, n, x, xi, logY, li);
        } else {
          for (int j = 0; j < n; j++) {
            logY[li + j] = (float) d[at + j * L];
          }
        }
      }
    }
  }

  /** Row r to lane r % L of group r / L, widened: element j at (group * n + j) * L + lane; missing rows 0. */
  private static void turn(int rows, int groups, int n, float[] x, int xOff, double[] d) {
    for (int r = 0; r < groups * L; r++) {
      int at = r / L * n * L + r % L;
      if (r < rows) {
        for (int j = 0, xi = xOff + r * n; j < n; j++) {
          d[at + j * L] = x[xi + j];
        }
      } else {
        for (int j = 0; j < n; j++) {
          d[at + j * L] = 0;
        }
      }
    }
  }

  /** {@code d_j = x_j - max} in each lane (Math.max's NaN and zeros: lanewise MAX). */
  private static void argsFromMax(int groups, int n, double[] d) {
    for (int g = 0, base = 0; g < groups; g++, base += n * L) {
      DoubleVector m = DoubleVector.fromArray(S, d, base);
      for (int j = 1; j < n; j++) {
        m = m.max(DoubleVector.fromArray(S, d, base + j * L));
      }
      for (int j = 0; j < n; j++) {
        DoubleVector.fromArray(S, d, base + j * L).sub(m).intoArray(d, base + j * L);
      }
    }
  }

  /**
   * Each row's sums, element 0 first as in the scalar kernel: of the exponentials rounded to float
   * (softmax) and unrounded (log-softmax); a row with an exponential near a float rounding
   * boundary (or below the smallest normal float, or NaN) goes to the scalar kernel's softmax.
   */
  private static void sums(int groups, int n, Scratch scratch) {
    double[] a = scratch.exps;
    DoubleVector split = DoubleVector.broadcast(S, SPLIT);
    for (int g = 0, base = 0; g < groups; g++, base += n * L) {
      DoubleVector s = DoubleVector.zero(S);
      DoubleVector sLog = DoubleVector.zero(S);
      VectorMask<Long> slow = S_LONG.maskAll(false);
      for (int j = 0; j < n; j++) {
        DoubleVector w = DoubleVector.fromArray(S, a, base + j * L);
        LongVector bits = w.reinterpretAsLongs();
        slow = slow.or(bits.and(LOW_BITS).sub(MIDPOINT).abs().compare(VectorOperators.LE, K))
            .or(bits.compare(VectorOperators.LT, MIN_NORMAL_BITS)).or(bits.compare(VectorOperators.GT, INFINITY_BITS));
        DoubleVector c = w.mul(split);
        s = s.add(c.sub(c.sub(w))); // Veltkamp: w rounded to float
        sLog = sLog.add(w);
      }
      s.intoArray(scratch.sums, g * L);
      sLog.intoArray(scratch.logSums, g * L);
      scratch.slowY[g] = slow.toLong();
    }
  }

  /**
   * {@code inv = (float) (1 / sum)} and {@code y_j = e_j inv} in float, into the exponentials'
   * place; a tie or a result below the smallest normal float sends the row to the scalar kernel.
   */
  private static void softmax(int groups, int n, Scratch scratch) {
    double[] a = scratch.exps;
    DoubleVector split = DoubleVector.broadcast(S, SPLIT);
    for (int g = 0, base = 0; g < groups; g++, base += n * L) {
      DoubleVector q = DoubleVector.broadcast(S, 1.0).div(DoubleVector.fromArray(S, scratch.sums, g * L));
      LongVector qBits = q.reinterpretAsLongs();
      VectorMask<Long> slow = qBits.and(LOW_BITS).compare(VectorOperators.EQ, MIDPOINT)
          .or(qBits.compare(VectorOperators.GT, INFINITY_BITS));
      DoubleVector c = q.mul(split);
      DoubleVector inv = c.sub(c.sub(q));
      for (int j = 0; j < n; j++) {
        DoubleVector w = DoubleVector.fromArray(S, a, base + j * L);
        DoubleVector cw = w.mul(split);
        DoubleVector p = cw.sub(cw.sub(w)).mul(inv); // exact: two 24-bit significands
        LongVector pBits = p.reinterpretAsLongs();
        slow = slow.or(pBits.and(LOW_BITS).compare(VectorOperators.EQ, MIDPOINT))
            .or(pBits.compare(VectorOperators.LT, MIN_NORMAL_BITS));
        DoubleVector cp = p.mul(split);
        cp.sub(cp.sub(p)).intoArray(a, base + j * L);
      }
      scratch.slowY[g] |= slow.toLong();
    }
  }

  /**
   * {@code d_j - log(sum)} into the arguments' place; a row with an output whose float the bound
   * on the sum does not settle goes to the scalar kernel's log-softmax.
   */
  private static void logSoftmax(int groups, int n, Scratch scratch) {
    double[] d = scratch.args;
    DoubleVector split = DoubleVector.broadcast(S, SPLIT);
    DoubleVector margin = DoubleVector.broadcast(S, 0x1p-49);
    for (int g = 0, base = 0; g < groups; g++, base += n * L) {
      DoubleVector sLog = DoubleVector.fromArray(S, scratch.logSums, g * L);
      DoubleVector lse = DoubleVector.fromArray(S, scratch.logs, g * L);
      DoubleVector ds = sLog.mul(0x1p-52 * (4 * K + n + 2));
      // An ulp of lse (>= 0): 2^(its exponent - 52), from its bits.
      DoubleVector ulp = lse.reinterpretAsLongs().and(EXPONENT_BITS).reinterpretAsDoubles().mul(0x1p-52);
      DoubleVector dl = ds.div(sLog.sub(ds)).mul(1 + 0x1p-40).add(ulp.mul(4.0)).add(Double.MIN_NORMAL);
      VectorMask<Long> unsettled = sLog.reinterpretAsLongs().compare(VectorOperators.GT, INFINITY_BITS);
      for (int j = 0; j < n; j++) {
        DoubleVector v = DoubleVector.fromArray(S, d, base + j * L).sub(lse);
        DoubleVector abs = v.abs();
        // v's own rounding and that of v +- gap: a few ulps of v (an ulp of v is at most |v| 2^-52).
        DoubleVector gap = abs.fma(margin, dl);
        DoubleVector lo = v.sub(gap);
        DoubleVector hi = v.add(gap);
        DoubleVector cl = lo.mul(split);
        DoubleVector ch = hi.mul(split);
        LongVector absBits = abs.reinterpretAsLongs();
        unsettled = unsettled.or(cl.sub(cl.sub(lo)).reinterpretAsLongs().compare(VectorOperators.NE,
            ch.sub(ch.sub(hi)).reinterpretAsLongs()))
            .or(absBits.compare(VectorOperators.LT, SMALL_BITS)).or(absBits.compare(VectorOperators.GT, INFINITY_BITS));
        v.intoArray(d, base + j * L);
      }
      scratch.slowLog[g] = unsettled.toLong();
    }
  }

  /**
   * Whether a lane exponential could round to another float than a value within K ulps of it: a
   * float rounding boundary within K ulps, a result below the smallest normal float, or NaN (the
   * test of {@link #sums}, for one value).
   */
  static boolean nearFloatBoundary(double w) {
    long low = Double.doubleToRawLongBits(w) & LOW_BITS;
    return !(w >= Float.MIN_NORMAL) || Math.abs(low - MIDPOINT) <= K;
  }
}
