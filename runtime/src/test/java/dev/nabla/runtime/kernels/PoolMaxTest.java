package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The max pooling kernel ({@link Pools#max}, double and float) bit for bit against the first
 * largest element of each window in row-major order, picked by index as the contract defines it:
 * on values with ties, signed zeros and NaNs (where "first largest" differs from {@link Math#max}),
 * for the 2x2 stride-2 loop of its own and the general windows (stride, padding, 1-D, overlapping
 * and uneven windows), at offsets into larger arrays.
 */
class PoolMaxTest {
  /** {c, h, w, kh, kw, sh, sw, ph, pw}. */
  static Stream<int[]> geometries() {
    return Stream.of(
        new int[] {6, 16, 16, 2, 2, 2, 2, 0, 0},  // the 2x2 stride-2 loop
        new int[] {2, 7, 9, 2, 2, 2, 2, 0, 0},    // odd sizes: the last row and column left out
        new int[] {2, 9, 9, 3, 3, 2, 2, 1, 1},    // padding, overlapping windows
        new int[] {2, 6, 7, 2, 3, 1, 2, 1, 0},    // uneven window and strides
        new int[] {4, 1, 11, 1, 3, 1, 3, 0, 1},   // 1-D
        new int[] {1, 5, 5, 5, 5, 1, 1, 2, 2});   // windows mostly padding
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void keepsTheFirstLargestElementOfEachWindow(int[] s) {
    int c = s[0], h = s[1], w = s[2], kh = s[3], kw = s[4], sh = s[5], sw = s[6], ph = s[7], pw = s[8];
    int oh = (h + 2 * ph - kh) / sh + 1;
    int ow = (w + 2 * pw - kw) / sw + 1;
    SplittableRandom r = new SplittableRandom(h * 31L + w);
    double[] special = {0d, -0d, -0d, Double.NaN, 1d, -1d};
    int xOff = 3;
    int yOff = 5;
    double[] x = new double[xOff + c * h * w + 2];
    for (int i = 0; i < x.length; i++) {
      // few distinct values, so ties, zeros of both signs and NaNs fall in the same windows
      x[i] = r.nextInt(2) == 0 ? special[r.nextInt(special.length)] : r.nextInt(5) - 2;
    }
    float[] xf = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      xf[i] = (float) x[i];
    }
    double[] y = new double[yOff + c * oh * ow + 1];
    float[] yf = new float[y.length];
    Pools.max(x, xOff, y, yOff, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
    Pools.max(xf, xOff, yf, yOff, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          int at = firstLargest(x, xOff, ch, i, j, h, w, kh, kw, sh, sw, ph, pw);
          int out = yOff + (ch * oh + i) * ow + j;
          assertThat(Double.doubleToRawLongBits(y[out])).as("double, window %d %d %d", ch, i, j)
              .isEqualTo(Double.doubleToRawLongBits(x[at]));
          assertThat(Float.floatToRawIntBits(yf[out])).as("float, window %d %d %d", ch, i, j)
              .isEqualTo(Float.floatToRawIntBits(xf[at]));
        }
      }
    }
    assertThat(y[0]).isZero();
    assertThat(y[y.length - 1]).isZero();
  }

  /** The index of the first element of the window that no later one exceeds, in row-major order. */
  private static int firstLargest(double[] x, int xOff, int ch, int i, int j,
      int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
    int best = -1;
    for (int p = 0; p < kh; p++) {
      for (int q = 0; q < kw; q++) {
        int ih = i * sh - ph + p;
        int iw = j * sw - pw + q;
        if (ih < 0 || ih >= h || iw < 0 || iw >= w) {
          continue;
        }
        int at = xOff + (ch * h + ih) * w + iw;
        if (best < 0 || x[at] > x[best]) {
          best = at;
        }
      }
    }
    return best;
  }
}
