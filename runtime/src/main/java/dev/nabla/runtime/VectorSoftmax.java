package dev.nabla.runtime;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The row softmax kernels on the incubating Vector API, loaded by {@link GemmKernels.Selection}
 * only when {@code jdk.incubator.vector} is present. Three passes per row, each over whole
 * vectors and one masked tail: the row max, then {@code e_j = exp(x_j - m)} with their sum, then
 * the scaling (softmax) or {@code (x_j - m) - log(sum)} (log-softmax).
 *
 * <p><b>Float.</b> The exponential is {@code FloatVector.lanewise(EXP)}, computed in float: its
 * error against the exact {@code exp} is at most 2 ulps on the arguments softmax gives it
 * ({@code x - m <= 0}; checked over [-104, 0] by {@code VectorSoftmaxTest}, 0.5 ulps measured on
 * AVX-512). Since the argument {@code x_j - m} is itself rounded to float, a probability
 * {@code p_j} carries a further relative error of up to {@code |x_j - m| * 2^-24} (absolute: at
 * most 0.37 ulps of 1, as {@code p_j = e^-(x_j - m)}). The sum is accumulated per lane in float
 * with Kahan compensation, so its error does not grow with the row length; adding the lanes at
 * the end costs one rounding per halving (4 for 16 lanes). Each output is within a few ulps of
 * the exact result ({@code VectorSoftmaxTest} checks 4 ulps, plus the argument's rounding).
 *
 * <p><b>Double.</b> {@code DoubleVector.lanewise(EXP)}, used only with {@code
 * -Dnabla.simd.double=true} (see {@link VectorGemm#DOUBLE_SIMD}); otherwise the scalar loops.
 */
final class VectorSoftmax implements SoftmaxKernels {
  /**
   * The preferred species only, the ones {@link VectorGemm} uses: a second float shape in the
   * same JVM (tried: 256-bit floats widened to 512-bit doubles for the sum) spoils C2's profiles
   * of the shared Vector API code, and the product kernels were then seen running boxed, 4x
   * slower.
   */
  static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
  private static final SoftmaxKernels SCALAR = new SoftmaxKernels.Scalar();

  // ------------------------------------------------------------------ float

  @Override
  public void softmax(int rows, int n, float[] x, int xOff, float[] y, int yOff) {
    final int l = FS.length();
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      FloatVector m = FloatVector.broadcast(FS, max(n, x, xi));
      FloatVector sum = FloatVector.zero(FS);
      FloatVector lost = FloatVector.zero(FS);
      int j = 0;
      for (; j <= n - l; j += l) {
        FloatVector e = FloatVector.fromArray(FS, x, xi + j).sub(m).lanewise(VectorOperators.EXP);
        e.intoArray(y, yi + j);
        // Kahan: lost holds what the rounding of each lane's sum dropped, added back next time.
        FloatVector t = e.sub(lost);
        FloatVector next = sum.add(t);
        lost = next.sub(sum).sub(t);
        sum = next;
      }
      if (j < n) {
        VectorMask<Float> tail = FS.indexInRange(j, n);
        FloatVector e = FloatVector.fromArray(FS, x, xi + j, tail).sub(m).lanewise(VectorOperators.EXP);
        e.intoArray(y, yi + j, tail);
        FloatVector t = FloatVector.zero(FS).blend(e, tail).sub(lost);
        FloatVector next = sum.add(t);
        lost = next.sub(sum).sub(t);
        sum = next;
      }
      FloatVector inv = FloatVector.broadcast(FS, (float) (1.0 / total(sum, lost)));
      for (j = 0; j <= n - l; j += l) {
        FloatVector.fromArray(FS, y, yi + j).mul(inv).intoArray(y, yi + j);
      }
      if (j < n) {
        VectorMask<Float> tail = FS.indexInRange(j, n);
        FloatVector.fromArray(FS, y, yi + j, tail).mul(inv).intoArray(y, yi + j, tail);
      }
    }
  }

  @Override
  public void logSoftmax(int rows, int n, float[] x, int xOff, float[] y, int yOff) {
    final int l = FS.length();
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      FloatVector m = FloatVector.broadcast(FS, max(n, x, xi));
      FloatVector sum = FloatVector.zero(FS);
      FloatVector lost = FloatVector.zero(FS);
      int j = 0;
      for (; j <= n - l; j += l) {
        FloatVector t = FloatVector.fromArray(FS, x, xi + j).sub(m).lanewise(VectorOperators.EXP).sub(lost);
        FloatVector next = sum.add(t);
        lost = next.sub(sum).sub(t);
        sum = next;
      }
      if (j < n) {
        VectorMask<Float> tail = FS.indexInRange(j, n);
        FloatVector e = FloatVector.fromArray(FS, x, xi + j, tail).sub(m).lanewise(VectorOperators.EXP);
        FloatVector t = FloatVector.zero(FS).blend(e, tail).sub(lost);
        FloatVector next = sum.add(t);
        lost = next.sub(sum).sub(t);
        sum = next;
      }
      // x_j - m <= 0 and log(sum) >= 0: the subtraction adds magnitudes, no cancellation.
      FloatVector lse = FloatVector.broadcast(FS, (float) Math.log(total(sum, lost)));
      for (j = 0; j <= n - l; j += l) {
        FloatVector.fromArray(FS, x, xi + j).sub(m).sub(lse).intoArray(y, yi + j);
      }
      if (j < n) {
        VectorMask<Float> tail = FS.indexInRange(j, n);
        FloatVector.fromArray(FS, x, xi + j, tail).sub(m).sub(lse).intoArray(y, yi + j, tail);
      }
    }
  }

  /** The row's sum from the lanes' compensated sums. */
  private static double total(FloatVector sum, FloatVector lost) {
    return (double) sum.reduceLanes(VectorOperators.ADD) - (double) lost.reduceLanes(VectorOperators.ADD);
  }

  /** The row's max; NaN if the row holds one (as {@code Math.max} gives). */
  private static float max(int n, float[] x, int xi) {
    final int l = FS.length();
    FloatVector m = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
    int j = 0;
    for (; j <= n - l; j += l) {
      m = m.max(FloatVector.fromArray(FS, x, xi + j));
    }
    if (j < n) {
      VectorMask<Float> tail = FS.indexInRange(j, n);
      m = m.lanewise(VectorOperators.MAX, FloatVector.fromArray(FS, x, xi + j, tail), tail);
    }
    return m.reduceLanes(VectorOperators.MAX);
  }

  // ------------------------------------------------------------------ double

  @Override
  public void softmax(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    if (!VectorGemm.DOUBLE_SIMD) {
      SCALAR.softmax(rows, n, x, xOff, y, yOff);
      return;
    }
    final int l = DS.length();
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      DoubleVector m = DoubleVector.broadcast(DS, max(n, x, xi));
      DoubleVector sum = DoubleVector.zero(DS);
      int j = 0;
      for (; j <= n - l; j += l) {
        DoubleVector e = DoubleVector.fromArray(DS, x, xi + j).sub(m).lanewise(VectorOperators.EXP);
        e.intoArray(y, yi + j);
        sum = sum.add(e);
      }
      if (j < n) {
        VectorMask<Double> tail = DS.indexInRange(j, n);
        DoubleVector e = DoubleVector.fromArray(DS, x, xi + j, tail).sub(m).lanewise(VectorOperators.EXP);
        e.intoArray(y, yi + j, tail);
        sum = sum.add(e, tail);
      }
      DoubleVector inv = DoubleVector.broadcast(DS, 1.0 / sum.reduceLanes(VectorOperators.ADD));
      for (j = 0; j <= n - l; j += l) {
        DoubleVector.fromArray(DS, y, yi + j).mul(inv).intoArray(y, yi + j);
      }
      if (j < n) {
        VectorMask<Double> tail = DS.indexInRange(j, n);
        DoubleVector.fromArray(DS, y, yi + j, tail).mul(inv).intoArray(y, yi + j, tail);
      }
    }
  }

  @Override
  public void logSoftmax(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    if (!VectorGemm.DOUBLE_SIMD) {
      SCALAR.logSoftmax(rows, n, x, xOff, y, yOff);
      return;
    }
    final int l = DS.length();
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      DoubleVector m = DoubleVector.broadcast(DS, max(n, x, xi));
      DoubleVector sum = DoubleVector.zero(DS);
      int j = 0;
      for (; j <= n - l; j += l) {
        sum = sum.add(DoubleVector.fromArray(DS, x, xi + j).sub(m).lanewise(VectorOperators.EXP));
      }
      if (j < n) {
        VectorMask<Double> tail = DS.indexInRange(j, n);
        sum = sum.add(DoubleVector.fromArray(DS, x, xi + j, tail).sub(m).lanewise(VectorOperators.EXP), tail);
      }
      double lse = Math.log(sum.reduceLanes(VectorOperators.ADD));
      for (j = 0; j <= n - l; j += l) {
        DoubleVector.fromArray(DS, x, xi + j).sub(m).sub(lse).intoArray(y, yi + j);
      }
      if (j < n) {
        VectorMask<Double> tail = DS.indexInRange(j, n);
        DoubleVector.fromArray(DS, x, xi + j, tail).sub(m).sub(lse).intoArray(y, yi + j, tail);
      }
    }
  }

  private static double max(int n, double[] x, int xi) {
    final int l = DS.length();
    DoubleVector m = DoubleVector.broadcast(DS, Double.NEGATIVE_INFINITY);
    int j = 0;
    for (; j <= n - l; j += l) {
      m = m.max(DoubleVector.fromArray(DS, x, xi + j));
    }
    if (j < n) {
      VectorMask<Double> tail = DS.indexInRange(j, n);
      m = m.lanewise(VectorOperators.MAX, DoubleVector.fromArray(DS, x, xi + j, tail), tail);
    }
    return m.reduceLanes(VectorOperators.MAX);
  }
}
