package dev.nabla.runtime.kernels;

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
 * {@link VectorGemm#DOUBLE_SIMD}. The kernels are {@link VectorActivationsF64} and its float twin
 * {@code VectorActivationsF32}, which the build generates from it.
 */
final class VectorActivations implements ActivationKernels {
  private static final ActivationKernels SCALAR = new ActivationKernels.Scalar();

  @Override
  public void apply(Activations.Fn fn, int rows, int n, float[] x, int xOff, float[] y, int yOff) {
    VectorActivationsF32.apply(fn, rows, n, x, xOff, y, yOff);
  }

  @Override
  public void apply(Activations.Fn fn, int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    if (VectorGemm.DOUBLE_SIMD) {
      VectorActivationsF64.apply(fn, rows, n, x, xOff, y, yOff);
    } else {
      SCALAR.apply(fn, rows, n, x, xOff, y, yOff);
    }
  }
}
