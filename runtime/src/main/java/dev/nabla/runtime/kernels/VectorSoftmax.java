package dev.nabla.runtime.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The row softmax kernels on the incubating Vector API, loaded by {@link KernelSelection}
 * only when {@code jdk.incubator.vector} is present. Three passes per row, each over whole
 * vectors and then the tail (fewer elements than one vector; a whole row shorter than a vector)
 * in scalar code, as the scalar kernel computes it: the row max, then
 * {@code e_j = exp(x_j - m)} with their sum, then the scaling (softmax) or
 * {@code (x_j - m) - log(sum)} (log-softmax).
 *
 * <p><b>No masks.</b> The tails are scalar rather than masked vectors on purpose: with masked
 * loads and stores running here, C2 was seen (2 JVMs in 4; every time with only a masked copy)
 * to compile {@link VectorGemm}'s masked paths with boxed vectors, the 784-1024-1024 training
 * step 4 to 10 times slower and allocating about 1 GB per step. The profiles of the shared
 * Vector API code are the likely carrier, so this class also uses only the preferred species.
 *
 * <p><b>Float.</b> The exponential is {@code FloatVector.lanewise(EXP)}, computed in float: its
 * error against the exact {@code exp} is at most 2 ulps on the arguments softmax gives it
 * ({@code x - m <= 0}; checked over [-104, 0] by {@code VectorSoftmaxTest}, 0.5 ulps measured on
 * AVX-512). Since the argument {@code x_j - m} is itself rounded to float, a probability
 * {@code p_j} carries a further relative error of up to {@code |x_j - m| * 2^-24} (absolute: at
 * most 0.37 ulps of 1, as {@code p_j = e^-(x_j - m)}). The sum is accumulated per lane in float
 * with Kahan compensation, so its error does not grow with the row length; adding the lanes at
 * the end costs one rounding per halving (4 for 16 lanes), the tail is added in double. Each output is within a few
 * ulps of the exact result ({@code VectorSoftmaxTest} checks 4 ulps, plus the argument's rounding).
 *
 * <p><b>Double.</b> {@code DoubleVector.lanewise(EXP)}, unless {@code -Dnabla.simd.double=false}
 * (see {@link VectorGemm#DOUBLE_SIMD}) selects the scalar loops.
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
    final int whole = n - n % l;
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      float max = max(n, x, xi);
      FloatVector m = FloatVector.broadcast(FS, max);
      FloatVector sum = FloatVector.zero(FS);
      FloatVector lost = FloatVector.zero(FS);
      for (int j = 0; j < whole; j += l) {
        FloatVector e = FloatVector.fromArray(FS, x, xi + j).sub(m).lanewise(VectorOperators.EXP);
        e.intoArray(y, yi + j);
        // Kahan: lost holds what the rounding of each lane's sum dropped, added back next time.
        FloatVector t = e.sub(lost);
        FloatVector next = sum.add(t);
        lost = next.sub(sum).sub(t);
        sum = next;
      }
      double s = total(sum, lost);
      for (int j = whole; j < n; j++) {
        float e = (float) Math.exp(x[xi + j] - (double) max);
        y[yi + j] = e;
        s += e;
      }
      float inv = (float) (1.0 / s);
      FloatVector vinv = FloatVector.broadcast(FS, inv);
      for (int j = 0; j < whole; j += l) {
        FloatVector.fromArray(FS, y, yi + j).mul(vinv).intoArray(y, yi + j);
      }
      for (int j = whole; j < n; j++) {
        y[yi + j] *= inv;
      }
    }
  }

  @Override
  public void logSoftmax(int rows, int n, float[] x, int xOff, float[] y, int yOff) {
    final int l = FS.length();
    final int whole = n - n % l;
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      float max = max(n, x, xi);
      FloatVector m = FloatVector.broadcast(FS, max);
      FloatVector sum = FloatVector.zero(FS);
      FloatVector lost = FloatVector.zero(FS);
      for (int j = 0; j < whole; j += l) {
        FloatVector t = FloatVector.fromArray(FS, x, xi + j).sub(m).lanewise(VectorOperators.EXP).sub(lost);
        FloatVector next = sum.add(t);
        lost = next.sub(sum).sub(t);
        sum = next;
      }
      double s = total(sum, lost);
      for (int j = whole; j < n; j++) {
        s += Math.exp(x[xi + j] - (double) max);
      }
      double lse = Math.log(s);
      // x_j - m <= 0 and log(sum) >= 0: the subtraction adds magnitudes, no cancellation.
      FloatVector vlse = FloatVector.broadcast(FS, (float) lse);
      for (int j = 0; j < whole; j += l) {
        FloatVector.fromArray(FS, x, xi + j).sub(m).sub(vlse).intoArray(y, yi + j);
      }
      for (int j = whole; j < n; j++) {
        y[yi + j] = (float) ((x[xi + j] - (double) max) - lse);
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
    final int whole = n - n % l;
    float max = Float.NEGATIVE_INFINITY;
    if (whole > 0) {
      FloatVector m = FloatVector.fromArray(FS, x, xi);
      for (int j = l; j < whole; j += l) {
        m = m.max(FloatVector.fromArray(FS, x, xi + j));
      }
      max = m.reduceLanes(VectorOperators.MAX);
    }
    for (int j = whole; j < n; j++) {
      max = Math.max(max, x[xi + j]);
    }
    return max;
  }

  // ------------------------------------------------------------------ double

  @Override
  public void softmax(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    if (!VectorGemm.DOUBLE_SIMD) {
      SCALAR.softmax(rows, n, x, xOff, y, yOff);
      return;
    }
    final int l = DS.length();
    final int whole = n - n % l;
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      double max = max(n, x, xi);
      DoubleVector m = DoubleVector.broadcast(DS, max);
      DoubleVector sum = DoubleVector.zero(DS);
      for (int j = 0; j < whole; j += l) {
        DoubleVector e = DoubleVector.fromArray(DS, x, xi + j).sub(m).lanewise(VectorOperators.EXP);
        e.intoArray(y, yi + j);
        sum = sum.add(e);
      }
      double s = sum.reduceLanes(VectorOperators.ADD);
      for (int j = whole; j < n; j++) {
        double e = Math.exp(x[xi + j] - max);
        y[yi + j] = e;
        s += e;
      }
      double inv = 1.0 / s;
      DoubleVector vinv = DoubleVector.broadcast(DS, inv);
      for (int j = 0; j < whole; j += l) {
        DoubleVector.fromArray(DS, y, yi + j).mul(vinv).intoArray(y, yi + j);
      }
      for (int j = whole; j < n; j++) {
        y[yi + j] *= inv;
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
    final int whole = n - n % l;
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      double max = max(n, x, xi);
      DoubleVector m = DoubleVector.broadcast(DS, max);
      DoubleVector sum = DoubleVector.zero(DS);
      for (int j = 0; j < whole; j += l) {
        sum = sum.add(DoubleVector.fromArray(DS, x, xi + j).sub(m).lanewise(VectorOperators.EXP));
      }
      double s = sum.reduceLanes(VectorOperators.ADD);
      for (int j = whole; j < n; j++) {
        s += Math.exp(x[xi + j] - max);
      }
      double lse = Math.log(s);
      for (int j = 0; j < whole; j += l) {
        DoubleVector.fromArray(DS, x, xi + j).sub(m).sub(lse).intoArray(y, yi + j);
      }
      for (int j = whole; j < n; j++) {
        y[yi + j] = (x[xi + j] - max) - lse;
      }
    }
  }

  private static double max(int n, double[] x, int xi) {
    final int l = DS.length();
    final int whole = n - n % l;
    double max = Double.NEGATIVE_INFINITY;
    if (whole > 0) {
      DoubleVector m = DoubleVector.fromArray(DS, x, xi);
      for (int j = l; j < whole; j += l) {
        m = m.max(DoubleVector.fromArray(DS, x, xi + j));
      }
      max = m.reduceLanes(VectorOperators.MAX);
    }
    for (int j = whole; j < n; j++) {
      max = Math.max(max, x[xi + j]);
    }
    return max;
  }
}
