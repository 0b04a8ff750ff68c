package dev.nabla.runtime.kernels;

/**
 * One implementation of the {@link Activations} kernels: the scalar loops ({@link Scalar}), or
 * the SIMD ones on the Vector API ({@code VectorActivations}), picked with the matrix-product
 * kernels by {@link KernelSelection}. Arguments are already checked.
 */
interface ActivationKernels {
  ActivationKernels ACTIVE = KernelSelection.CHOSEN.activations();

  void apply(Activations.Fn fn, int rows, int n, float[] x, int xOff, float[] y, int yOff);

  void apply(Activations.Fn fn, int rows, int n, double[] x, int xOff, double[] y, int yOff);

  /** The element as the generated scalar code computes it (in double, then rounded). */
  static float scalar(Activations.Fn fn, float x) {
    return (float) scalar(fn, (double) x);
  }

  static double scalar(Activations.Fn fn, double x) {
    return switch (fn) {
      case EXP -> Math.exp(x);
      case TANH -> Math.tanh(x);
      case SIGMOID -> Scalars.sigmoid(x);
    };
  }

  /** Plain Java, the same arithmetic as the generated scalar loops. */
  final class Scalar implements ActivationKernels {
    @Override
    public void apply(Activations.Fn fn, int rows, int n, float[] x, int xOff, float[] y, int yOff) {
      for (int i = 0, len = rows * n; i < len; i++) {
        y[yOff + i] = scalar(fn, x[xOff + i]);
      }
    }

    @Override
    public void apply(Activations.Fn fn, int rows, int n, double[] x, int xOff, double[] y, int yOff) {
      for (int i = 0, len = rows * n; i < len; i++) {
        y[yOff + i] = scalar(fn, x[xOff + i]);
      }
    }
  }
}
