package dev.nabla.runtime.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The double activation kernels of {@link VectorActivations} (see there). The float kernels,
 * {@code VectorActivationsF32}, are generated from this file at build time ({@code FloatTwins}):
 * edit this one only.
 */
final class VectorActivationsF64 {
  /** The preferred species only (see {@link VectorSoftmax}). */
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

  private VectorActivationsF64() {
  }

  static void apply(Activations.Fn fn, int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    final int l = S.length();
    final int whole = n - n % l;
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * n;
      int yi = yOff + r * n;
      switch (fn) {
        case EXP -> {
          for (int j = 0; j < whole; j += l) {
            DoubleVector.fromArray(S, x, xi + j).lanewise(VectorOperators.EXP).intoArray(y, yi + j);
          }
        }
        case TANH -> {
          for (int j = 0; j < whole; j += l) {
            DoubleVector.fromArray(S, x, xi + j).lanewise(VectorOperators.TANH).intoArray(y, yi + j);
          }
        }
        case SIGMOID -> {
          DoubleVector one = DoubleVector.broadcast(S, 1d);
          for (int j = 0; j < whole; j += l) {
            DoubleVector e = DoubleVector.fromArray(S, x, xi + j).neg().lanewise(VectorOperators.EXP);
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
