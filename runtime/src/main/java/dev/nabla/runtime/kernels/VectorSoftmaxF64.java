package dev.nabla.runtime.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The double row softmax kernels of {@link VectorSoftmax} (see there for the passes and the
 * error bounds). The float kernels, {@code VectorSoftmaxF32}, are generated from this file at
 * build time ({@code FloatTwins}): edit this one only. A float row's sum and its tail's
 * {@code x_j - m} are {@code @Wide double} (see {@link Wide}).
 */
@SuppressWarnings("cast") // in the float twin these casts round to float
final class VectorSoftmaxF64 {
  /** The preferred species only (see {@link VectorSoftmax}). */
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

  private VectorSoftmaxF64() {
  }

  static void softmax(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    final int l = S.length();
    final int whole = n - n % l;
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      double max = max(n, x, xi);
      @Wide double s = exps(whole, x, xi, max, y, yi);
      for (int j = whole; j < n; j++) {
        double e = (double) Math.exp(x[xi + j] - (@Wide double) max);
        y[yi + j] = e;
        s += e;
      }
      scale(n, y, yi, (double) (1.0 / s));
    }
  }

  static void logSoftmax(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    final int l = S.length();
    final int whole = n - n % l;
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      double max = max(n, x, xi);
      DoubleVector m = DoubleVector.broadcast(S, max);
      DoubleVector sum = DoubleVector.zero(S);
      DoubleVector lost = DoubleVector.zero(S);
      for (int j = 0; j < whole; j += l) {
        DoubleVector t = DoubleVector.fromArray(S, x, xi + j).sub(m).lanewise(VectorOperators.EXP).sub(lost);
        DoubleVector next = sum.add(t);
        lost = next.sub(sum).sub(t);
        sum = next;
      }
      @Wide double s = total(sum, lost);
      for (int j = whole; j < n; j++) {
        s += Math.exp(x[xi + j] - (@Wide double) max);
      }
      @Wide double lse = Math.log(s);
      // x_j - m <= 0 and log(sum) >= 0: the subtraction adds magnitudes, no cancellation.
      DoubleVector vlse = DoubleVector.broadcast(S, (double) lse);
      for (int j = 0; j < whole; j += l) {
        DoubleVector.fromArray(S, x, xi + j).sub(m).sub(vlse).intoArray(y, yi + j);
      }
      for (int j = whole; j < n; j++) {
        y[yi + j] = (double) ((x[xi + j] - (@Wide double) max) - lse);
      }
    }
  }

  /**
   * Both of the above from one max and one {@code exp} per element. The whole vectors' compensated
   * sum is the same for both; the tail adds the exponentials rounded to the precision for softmax
   * (as {@link #softmax}) and unrounded for log-softmax (as {@link #logSoftmax}), so each output
   * has the bits of its own kernel's.
   */
  static void softmaxAndLog(int rows, int n, double[] x, int xOff, double[] y, int yOff, double[] logY, int logYOff) {
    final int l = S.length();
    final int whole = n - n % l;
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      int li = logYOff + r * n;
      double max = max(n, x, xi);
      DoubleVector m = DoubleVector.broadcast(S, max);
      @Wide double s = exps(whole, x, xi, max, y, yi);
      @Wide double sLog = s;
      for (int j = whole; j < n; j++) {
        @Wide double wide = Math.exp(x[xi + j] - (@Wide double) max);
        double e = (double) wide;
        y[yi + j] = e;
        s += e;
        sLog += wide;
      }
      scale(n, y, yi, (double) (1.0 / s));
      @Wide double lse = Math.log(sLog);
      DoubleVector vlse = DoubleVector.broadcast(S, (double) lse);
      for (int j = 0; j < whole; j += l) {
        DoubleVector.fromArray(S, x, xi + j).sub(m).sub(vlse).intoArray(logY, li + j);
      }
      for (int j = whole; j < n; j++) {
        logY[li + j] = (double) ((x[xi + j] - (@Wide double) max) - lse);
      }
    }
  }

  /**
   * {@code exp(x_j - max)} of the row's whole vectors ({@code j < whole}), written to {@code y},
   * and their compensated sum: the exponentials of softmax, shared with {@link #softmaxAndLog}.
   */
  private static @Wide double exps(int whole, double[] x, int xi, double max, double[] y, int yi) {
    final int l = S.length();
    DoubleVector m = DoubleVector.broadcast(S, max);
    DoubleVector sum = DoubleVector.zero(S);
    DoubleVector lost = DoubleVector.zero(S);
    for (int j = 0; j < whole; j += l) {
      DoubleVector e = DoubleVector.fromArray(S, x, xi + j).sub(m).lanewise(VectorOperators.EXP);
      e.intoArray(y, yi + j);
      // Kahan: lost holds what the rounding of each lane's sum dropped, added back next time.
      DoubleVector t = e.sub(lost);
      DoubleVector next = sum.add(t);
      lost = next.sub(sum).sub(t);
      sum = next;
    }
    return total(sum, lost);
  }

  /** {@code y_j *= inv} along the row's {@code n} elements. */
  private static void scale(int n, double[] y, int yi, double inv) {
    final int l = S.length();
    final int whole = n - n % l;
    DoubleVector vinv = DoubleVector.broadcast(S, inv);
    for (int j = 0; j < whole; j += l) {
      DoubleVector.fromArray(S, y, yi + j).mul(vinv).intoArray(y, yi + j);
    }
    for (int j = whole; j < n; j++) {
      y[yi + j] *= inv;
    }
  }

  /** The row's sum from the lanes' compensated sums. */
  private static @Wide double total(DoubleVector sum, DoubleVector lost) {
    return (@Wide double) sum.reduceLanes(VectorOperators.ADD) - (@Wide double) lost.reduceLanes(VectorOperators.ADD);
  }

  /** The row's max; NaN if the row holds one (as {@code Math.max} gives). */
  private static double max(int n, double[] x, int xi) {
    final int l = S.length();
    final int whole = n - n % l;
    double max = Double.NEGATIVE_INFINITY;
    if (whole > 0) {
      DoubleVector m = DoubleVector.fromArray(S, x, xi);
      for (int j = l; j < whole; j += l) {
        m = m.max(DoubleVector.fromArray(S, x, xi + j));
      }
      max = m.reduceLanes(VectorOperators.MAX);
    }
    for (int j = whole; j < n; j++) {
      max = Math.max(max, x[xi + j]);
    }
    return max;
  }
}
