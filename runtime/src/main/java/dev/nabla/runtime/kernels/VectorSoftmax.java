package dev.nabla.runtime.kernels;

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
 * the end costs one rounding per halving (4 for 16 lanes), the tail is added in double. Each
 * output is within a few ulps of the exact result ({@code VectorSoftmaxTest} checks 4 ulps, plus the argument's rounding).
 *
 * <p><b>Double.</b> {@code DoubleVector.lanewise(EXP)}, with the same Kahan-compensated lane sums,
 * unless {@code -Dnabla.simd.double=false} (see {@link VectorGemm#DOUBLE_SIMD}) selects the
 * scalar loops.
 *
 * <p><b>Float rows shorter than a vector</b> (a classifier's 10 classes) would run entirely in the
 * scalar tail, one {@code Math.exp} per element: {@link SoftmaxShortRows} computes them with the
 * same bits, its exponentials on double lanes over many rows at once.
 *
 * <p>The kernels are {@link VectorSoftmaxF64} and its float twin {@code VectorSoftmaxF32}, which
 * the build generates from it. Only the preferred species: a second float shape in the same JVM
 * (tried: 256-bit floats widened to 512-bit doubles for the sum) spoils C2's profiles of the
 * shared Vector API code, and the product kernels were then seen running boxed, 4x slower.
 */
final class VectorSoftmax implements SoftmaxKernels {
  private static final SoftmaxKernels SCALAR = new SoftmaxKernels.Scalar();

  @Override
  public void softmax(int rows, int n, float[] x, int xOff, float[] y, int yOff) {
    if (SoftmaxShortRows.handles(n)) {
      SoftmaxShortRows.rows(rows, n, x, xOff, y, yOff, null, 0);
      return;
    }
    VectorSoftmaxF32.softmax(rows, n, x, xOff, y, yOff);
  }

  @Override
  public void logSoftmax(int rows, int n, float[] x, int xOff, float[] y, int yOff) {
    if (SoftmaxShortRows.handles(n)) {
      SoftmaxShortRows.rows(rows, n, x, xOff, null, 0, y, yOff);
      return;
    }
    VectorSoftmaxF32.logSoftmax(rows, n, x, xOff, y, yOff);
  }

  @Override
  public void softmax(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    if (VectorGemm.DOUBLE_SIMD) {
      VectorSoftmaxF64.softmax(rows, n, x, xOff, y, yOff);
    } else {
      SCALAR.softmax(rows, n, x, xOff, y, yOff);
    }
  }

  @Override
  public void logSoftmax(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    if (VectorGemm.DOUBLE_SIMD) {
      VectorSoftmaxF64.logSoftmax(rows, n, x, xOff, y, yOff);
    } else {
      SCALAR.logSoftmax(rows, n, x, xOff, y, yOff);
    }
  }

  @Override
  public void softmaxAndLog(int rows, int n, float[] x, int xOff, float[] y, int yOff, float[] logY, int logYOff) {
    if (SoftmaxShortRows.handles(n)) {
      SoftmaxShortRows.rows(rows, n, x, xOff, y, yOff, logY, logYOff);
      return;
    }
    VectorSoftmaxF32.softmaxAndLog(rows, n, x, xOff, y, yOff, logY, logYOff);
  }

  @Override
  public void softmaxAndLog(int rows, int n, double[] x, int xOff, double[] y, int yOff, double[] logY, int logYOff) {
    if (VectorGemm.DOUBLE_SIMD) {
      VectorSoftmaxF64.softmaxAndLog(rows, n, x, xOff, y, yOff, logY, logYOff);
    } else {
      SCALAR.softmaxAndLog(rows, n, x, xOff, y, yOff, logY, logYOff);
    }
  }
}
