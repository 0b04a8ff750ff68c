package dev.nabla.runtime.kernels;

/**
 * The {@link Activations} kernels on the Vector API, built only from lanewise operations that
 * IEEE 754 rounds exactly (add, sub, mul, div, fma, compares, blends, bit operations), so a row
 * gives the same bits interpreted, under C1 and under C2 ({@code ActivationTierTest}). The
 * Vector API's {@code lanewise(EXP)}/{@code lanewise(TANH)}, used before, run a Java fallback
 * until C2 compiles them onto SVML, whose bits differ (RELIABILITY.md section 8).
 *
 * <ul>
 *   <li><b>exp</b>: {@code x = n ln 2 + r} with {@code n = round(x log2 e)}, taken from the
 *       fma {@code t = x log2(e) + 1.5 * 2^23 + 127} (the addition rounds to an integer, whose
 *       bits are {@code 127 + n}), {@code r = x - n ln 2} by two fmas (ln 2 in two parts, the
 *       first product exact), {@code e^r} by a polynomial (degree 6 in float, 11 in double:
 *       Horner, Estrin's scheme in double), times {@code 2^n}, which is {@code t}'s bits shifted
 *       into the exponent field. No float-to-int conversion and no {@code min}/{@code max}: for
 *       |x| up to 87 (708 in double) 2^n is a normal number and nothing needs clamping; a vector
 *       with a lane beyond takes a slower path (x clamped to where e^x is 0 or infinite, 2^n
 *       applied in two factors so that subnormal results are right) that gives the other lanes
 *       the same bits.</li>
 *   <li><b>sigmoid</b>: {@code 1 / (1 + e)} for {@code x >= 0} and {@code e / (1 + e)} below,
 *       with {@code e = e^-|x|} (never overflows; tiny results keep their precision), as
 *       {@code Scalars.sigmoid}.</li>
 *   <li><b>tanh</b>: {@code x + x^3 P(x^2)} for {@code |x| < 0.625}, else
 *       {@code 1 - 2 / (E + 2)} with {@code E = e^2|x| - 1} (|x| clamped to 10, 20 in double,
 *       where tanh rounds to 1), {@code E = 2^n (e^r - 1) + (2^n - 1)} with {@code e^r - 1} by
 *       its own polynomial, so no cancellation near 0; the sign of x put back by its bit.</li>
 * </ul>
 *
 * <p><b>Accuracy</b> against {@code Math.exp}, {@code Math.tanh} and {@code Scalars.sigmoid}
 * in double, in ulps of the result (of the smallest normal below it): over all floats,
 * exp 0.97, tanh 1.33, sigmoid 2.40; in double 1, 1 and 2 ulps away from those (at a million
 * random points); NaN, infinities, -0, overflow and underflow (subnormal results included) as
 * the scalar kernels give them ({@code LaneMathAccuracyTest}). SVML was within 0.57 ulps for
 * exp and tanh; its sigmoid flushed results below the smallest normal to 0.
 *
 * <p><b>Speed.</b> At least as fast as {@code lanewise(EXP/TANH)} on SVML (see BENCHMARKS.md,
 * "Activation kernels"): the earlier attempt at a lanewise exp was 44% slower mainly for
 * {@code min}/{@code max} (Java's NaN and -0 rules: six instructions each on AVX-512) and
 * {@code convert(F2I)} (a conversion plus a check and fix-up for NaN and overflow), both gone
 * here. Until C2 has compiled them, though, each of their 20 to 50 operations per vector runs the
 * Vector API's Java fallback, so a fresh JVM's first calls are slower than with one
 * {@code lanewise(EXP)} (seconds on a loaded machine; {@code nabla bench} warms up first).
 *
 * <p>Whole vectors of the preferred species, then a scalar tail per row: no masks and no second
 * vector shape, which were seen to make C2 run the product kernels boxed (see
 * {@link VectorSoftmax}). Rows are processed one by one, so where a row's tail starts does not
 * depend on how the rows were split across threads. The double kernels follow
 * {@link VectorGemm#DOUBLE_SIMD}. The kernels are {@link VectorActivationsF64} and its float twin
 * {@code VectorActivationsF32}, which the build generates from it, over {@link DoubleLaneMath}
 * and {@link FloatLaneMath}.
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
