package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link MaxPoolGradF64} and its float twin against the general loop ({@link PoolF64#maxScatter},
 * followed for the relu's mask by a separate multiply by {@link Scalars#step}), bit for bit:
 * inputs drawn from a few values so that windows tie (the first largest must win), with signed
 * zeros and NaN, odd and even sizes (an odd size leaves a row or column in no window), offsets
 * into larger arrays, and dx filled with garbage first (it is overwritten).
 */
class MaxPoolGradTest {
  private static final double[] VALUES = {-1.5, -0.0, 0.0, 0.0, 2.0, 2.0, 3.25, Double.NaN};

  @ParameterizedTest(name = "c={0} h={1} w={2} k={3}x{4} stride={5}x{6} padding={7}x{8}")
  @CsvSource({
      "3, 8, 8, 2, 2, 2, 2, 0, 0",   // the fast loop, even sizes
      "2, 7, 9, 2, 2, 2, 2, 0, 0",   // the fast loop, odd sizes: the last row and column in no window
      "1, 28, 28, 2, 2, 2, 2, 0, 0", // the benchmarks' first pooling
      "2, 6, 6, 3, 3, 2, 2, 1, 1",   // overlapping and padded: the general loop
      "2, 6, 7, 2, 2, 2, 2, 1, 0",   // 2x2 stride 2 with padding: the general loop
      "2, 1, 9, 1, 2, 1, 2, 0, 0"})  // 1-D
  void sameBitsAsTheGeneralLoop(int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
    int oh = (h + 2 * ph - kh) / sh + 1;
    int ow = (w + 2 * pw - kw) / sw + 1;
    int n = c * h * w;
    SplittableRandom r = new SplittableRandom(n * 31L + kh);
    double[] x = new double[n + 5];
    double[] z = new double[n + 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = VALUES[r.nextInt(VALUES.length)];
    }
    for (int i = 0; i < z.length; i++) {
      z[i] = VALUES[r.nextInt(VALUES.length)];
    }
    double[] dy = new double[c * oh * ow + 3];
    for (int i = 0; i < dy.length; i++) {
      dy[i] = r.nextInt(8) == 0 ? -0.0 : r.nextDouble(-2, 2);
    }
    double[] want = new double[n + 4];
    PoolF64.maxScatter(x, 5, dy, 3, want, 4, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
    double[] got = garbage(n + 4);
    MaxPoolGradF64.maxScatter(x, 5, dy, 3, got, 4, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
    assertThat(Arrays.copyOfRange(got, 4, n + 4)).isEqualTo(Arrays.copyOfRange(want, 4, n + 4));

    for (int i = 0; i < n; i++) {
      want[4 + i] = want[4 + i] * Scalars.step(z[2 + i]);
    }
    got = garbage(n + 4);
    MaxPoolGradF64.maxScatterStep(x, 5, dy, 3, z, 2, got, 4, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
    assertThat(Arrays.copyOfRange(got, 4, n + 4)).isEqualTo(Arrays.copyOfRange(want, 4, n + 4));

    float[] xf = floats(x);
    float[] zf = floats(z);
    float[] dyf = floats(dy);
    float[] wantF = new float[n + 4];
    PoolF32.maxScatter(xf, 5, dyf, 3, wantF, 4, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
    for (int i = 0; i < n; i++) {
      wantF[4 + i] = wantF[4 + i] * Scalars.step(zf[2 + i]);
    }
    float[] gotF = new float[n + 4];
    Arrays.fill(gotF, 7f);
    MaxPoolGradF32.maxScatterStep(xf, 5, dyf, 3, zf, 2, gotF, 4, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
    assertThat(Arrays.copyOfRange(gotF, 4, n + 4)).isEqualTo(Arrays.copyOfRange(wantF, 4, n + 4));
  }

  private static double[] garbage(int n) {
    double[] a = new double[n];
    Arrays.fill(a, 7.0);
    return a;
  }

  private static float[] floats(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }
}
