package dev.nabla.runtime.kernels;

/**
 * The double activation kernels of {@link VectorActivations} (see there): the rows' whole
 * vectors through {@link DoubleLaneMath}, then each row's tail in scalar code. The float
 * kernels, {@code VectorActivationsF32}, are generated from this file at build time
 * ({@code FloatTwins}; they call {@code FloatLaneMath}): edit this one only.
 */
final class VectorActivationsF64 {
  private VectorActivationsF64() {
  }

  static void apply(Activations.Fn fn, int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    switch (fn) {
      case EXP -> DoubleLaneMath.exp(rows, n, x, xOff, y, yOff);
      case TANH -> DoubleLaneMath.tanh(rows, n, x, xOff, y, yOff);
      case SIGMOID -> DoubleLaneMath.sigmoid(rows, n, x, xOff, y, yOff);
    }
    for (int r = 0, tail = n - n % DoubleLaneMath.LANES; r < rows; r++) {
      for (int j = tail; j < n; j++) {
        y[yOff + r * n + j] = ActivationKernels.scalar(fn, x[xOff + r * n + j]);
      }
    }
  }
}
