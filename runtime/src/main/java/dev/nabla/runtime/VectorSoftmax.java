package dev.nabla.runtime;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The row softmax kernels on the incubating Vector API, loaded by {@link GemmKernels.Selection}
 * only when {@code jdk.incubator.vector} is present. Three passes per row, each over whole
 * vectors and one masked tail: the row max, then {@code e_j = exp(x_j - m)} with their sum, then
 * the scaling (softmax) or {@code (x_j - m) - log(sum)} (log-softmax).
 *
 * <p><b>Float.</b> The exponential is {@code FloatVector.lanewise(EXP)}, computed in float: its
 * error against {@code Math.exp} rounded to float is at most 2 ulps on the arguments softmax
 * gives it ({@code x - m <= 0}; checked over [-104, 0] by {@code VectorSoftmaxTest}), so a softmax
 * output is within a few ulps of the scalar kernel's. Floats are read {@link #FH} lanes at a time,
 * half the preferred width, so that each vector of exponentials widens to exactly one vector of
 * doubles: the sum is accumulated in double, as the scalar kernel does, and its error does not
 * grow with the row length.
 *
 * <p><b>Double.</b> {@code DoubleVector.lanewise(EXP)}, used only with {@code
 * -Dnabla.simd.double=true} (see {@link VectorGemm#DOUBLE_SIMD}); otherwise the scalar loops.
 */
final class VectorSoftmax implements SoftmaxKernels {
  private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
  /** Floats per vector: as many as doubles per preferred vector, so one float vector widens to one double vector. */
  static final VectorSpecies<Float> FH = VectorSpecies.of(float.class, VectorShape.forBitSize(DS.length() * Float.SIZE));
  private static final SoftmaxKernels SCALAR = new SoftmaxKernels.Scalar();

  // ------------------------------------------------------------------ float

  @Override
  public void softmax(int rows, int n, float[] x, int xOff, float[] y, int yOff) {
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      FloatVector m = FloatVector.broadcast(FH, max(n, x, xi));
      DoubleVector sum = DoubleVector.zero(DS);
      final int l = FH.length();
      int j = 0;
      for (; j <= n - l; j += l) {
        FloatVector e = FloatVector.fromArray(FH, x, xi + j).sub(m).lanewise(VectorOperators.EXP);
        e.intoArray(y, yi + j);
        sum = sum.add((DoubleVector) e.convertShape(VectorOperators.F2D, DS, 0));
      }
      if (j < n) {
        VectorMask<Float> tail = FH.indexInRange(j, n);
        FloatVector e = FloatVector.fromArray(FH, x, xi + j, tail).sub(m).lanewise(VectorOperators.EXP);
        e.intoArray(y, yi + j, tail);
        sum = sum.add((DoubleVector) e.convertShape(VectorOperators.F2D, DS, 0), DS.indexInRange(j, n));
      }
      FloatVector inv = FloatVector.broadcast(FH, (float) (1.0 / sum.reduceLanes(VectorOperators.ADD)));
      for (j = 0; j <= n - l; j += l) {
        FloatVector.fromArray(FH, y, yi + j).mul(inv).intoArray(y, yi + j);
      }
      if (j < n) {
        VectorMask<Float> tail = FH.indexInRange(j, n);
        FloatVector.fromArray(FH, y, yi + j, tail).mul(inv).intoArray(y, yi + j, tail);
      }
    }
  }

  @Override
  public void logSoftmax(int rows, int n, float[] x, int xOff, float[] y, int yOff) {
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      FloatVector m = FloatVector.broadcast(FH, max(n, x, xi));
      DoubleVector sum = DoubleVector.zero(DS);
      final int l = FH.length();
      int j = 0;
      for (; j <= n - l; j += l) {
        FloatVector e = FloatVector.fromArray(FH, x, xi + j).sub(m).lanewise(VectorOperators.EXP);
        sum = sum.add((DoubleVector) e.convertShape(VectorOperators.F2D, DS, 0));
      }
      if (j < n) {
        FloatVector e = FloatVector.fromArray(FH, x, xi + j, FH.indexInRange(j, n)).sub(m)
            .lanewise(VectorOperators.EXP);
        sum = sum.add((DoubleVector) e.convertShape(VectorOperators.F2D, DS, 0), DS.indexInRange(j, n));
      }
      // (x_j - m) in float, then the log subtracted in double: the scalar kernel's formula.
      double lse = Math.log(sum.reduceLanes(VectorOperators.ADD));
      for (j = 0; j <= n - l; j += l) {
        DoubleVector d = (DoubleVector) FloatVector.fromArray(FH, x, xi + j).sub(m)
            .convertShape(VectorOperators.F2D, DS, 0);
        ((FloatVector) d.sub(lse).convertShape(VectorOperators.D2F, FH, 0)).intoArray(y, yi + j);
      }
      if (j < n) {
        VectorMask<Float> tail = FH.indexInRange(j, n);
        DoubleVector d = (DoubleVector) FloatVector.fromArray(FH, x, xi + j, tail).sub(m)
            .convertShape(VectorOperators.F2D, DS, 0);
        ((FloatVector) d.sub(lse).convertShape(VectorOperators.D2F, FH, 0)).intoArray(y, yi + j, tail);
      }
    }
  }

  /** The row's max; NaN if the row holds one (as {@code Math.max} gives). */
  private static float max(int n, float[] x, int xi) {
    final int l = FH.length();
    FloatVector m = FloatVector.broadcast(FH, Float.NEGATIVE_INFINITY);
    int j = 0;
    for (; j <= n - l; j += l) {
      m = m.max(FloatVector.fromArray(FH, x, xi + j));
    }
    if (j < n) {
      VectorMask<Float> tail = FH.indexInRange(j, n);
      m = m.lanewise(VectorOperators.MAX, FloatVector.fromArray(FH, x, xi + j, tail), tail);
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
