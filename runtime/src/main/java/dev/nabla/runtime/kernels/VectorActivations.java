package dev.nabla.runtime.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link Activations} kernels on the Vector API: {@code lanewise(EXP)} and
 * {@code lanewise(TANH)}, which HotSpot runs on its SIMD math library (SVML on x86), and
 * {@code sigmoid(x) = 1 / (1 + e^-x)} from EXP. For finite x, e^-x overflows to infinity only
 * where the sigmoid is below the smallest normal float, so the result is then 0 against a
 * subnormal; NaN stays NaN. {@code VectorActivationsTest} bounds the error against the scalar
 * kernels (4 ulps for exp and tanh, 8 for sigmoid, relative to the larger of the value and the
 * smallest normal).
 *
 * <p>Whole vectors of the preferred species, then a scalar tail per row: no masks and no second
 * vector shape, which were seen to make C2 run the product kernels boxed (see
 * {@link VectorSoftmax}). Rows are processed one by one, so where a row's tail starts does not
 * depend on how the rows were split across threads. The double kernels follow
 * {@link VectorGemm#DOUBLE_SIMD}.
 */
final class VectorActivations implements ActivationKernels {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
  private static final ActivationKernels SCALAR = new ActivationKernels.Scalar();

  @Override
  public void apply(Activations.Fn fn, int rows, int n, float[] x, int xOff, float[] y, int yOff) {
    final int l = FS.length();
    final int whole = n - n % l;
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      switch (fn) {
        case EXP -> {
          for (int j = 0; j < whole; j += l) {
            FloatVector.fromArray(FS, x, xi + j).lanewise(VectorOperators.EXP).intoArray(y, yi + j);
          }
        }
        case TANH -> {
          for (int j = 0; j < whole; j += l) {
            FloatVector.fromArray(FS, x, xi + j).lanewise(VectorOperators.TANH).intoArray(y, yi + j);
          }
        }
        case SIGMOID -> {
          FloatVector one = FloatVector.broadcast(FS, 1f);
          for (int j = 0; j < whole; j += l) {
            FloatVector e = FloatVector.fromArray(FS, x, xi + j).neg().lanewise(VectorOperators.EXP);
            one.div(one.add(e)).intoArray(y, yi + j);
          }
        }
      }
      for (int j = whole; j < n; j++) {
        y[yi + j] = ActivationKernels.scalar(fn, x[xi + j]);
      }
    }
  }

  @Override
  public void apply(Activations.Fn fn, int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    if (!VectorGemm.DOUBLE_SIMD) {
      SCALAR.apply(fn, rows, n, x, xOff, y, yOff);
      return;
    }
    final int l = DS.length();
    final int whole = n - n % l;
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      switch (fn) {
        case EXP -> {
          for (int j = 0; j < whole; j += l) {
            DoubleVector.fromArray(DS, x, xi + j).lanewise(VectorOperators.EXP).intoArray(y, yi + j);
          }
        }
        case TANH -> {
          for (int j = 0; j < whole; j += l) {
            DoubleVector.fromArray(DS, x, xi + j).lanewise(VectorOperators.TANH).intoArray(y, yi + j);
          }
        }
        case SIGMOID -> {
          DoubleVector one = DoubleVector.broadcast(DS, 1d);
          for (int j = 0; j < whole; j += l) {
            DoubleVector e = DoubleVector.fromArray(DS, x, xi + j).neg().lanewise(VectorOperators.EXP);
            one.div(one.add(e)).intoArray(y, yi + j);
          }
        }
      }
      for (int j = whole; j < n; j++) {
        y[yi + j] = ActivationKernels.scalar(fn, x[xi + j]);
      }
    }
  }
}
