package dev.nabla.runtime.kernels;

/**
 * Max and average pooling loops in double for one instance (see {@link Pools} for the layout
 * and arguments). The max of a window is its first largest real element in row-major order; the
 * padding (of -inf) never wins, so it is skipped rather than read.
 */
public final class PoolF64 {
  private PoolF64() {
  }

  /** The flat index (from the instance's start) of the first largest element of one window. */
  private static int argmax(double[] x, int xOff, int ch, int i, int j,
      int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
    int best = -1;
    double top = 0d;
    int hFrom = Math.max(0, i * sh - ph);
    int hTo = Math.min(h, i * sh - ph + kh);
    int wFrom = Math.max(0, j * sw - pw);
    int wTo = Math.min(w, j * sw - pw + kw);
    for (int ih = hFrom; ih < hTo; ih++) {
      int row = (ch * h + ih) * w;
      for (int iw = wFrom; iw < wTo; iw++) {
        double v = x[xOff + row + iw];
        if (best < 0 || v > top) {
          best = row + iw;
          top = v;
        }
      }
    }
    return best;
  }

  /**
   * {@code y[c, i, j]} = the largest element of window (i, j) of channel c: the window's elements
   * folded in row-major order by {@code top = v > top ? v : top}, which keeps the first largest
   * (as {@link #argmax} picks it, so the same value, NaN and signed zeros included) without a
   * call or an index per window. The common 2x2 window at stride 2 without padding has a loop of
   * its own (about 1 ns per window against 14 through argmax, measured in BENCHMARKS.md).
   */
  public static void max(double[] x, int xOff, double[] y, int yOff,
      int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
    if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && 2 * oh <= h && 2 * ow <= w) {
      max2x2(x, xOff, y, yOff, c, h, w, oh, ow);
      return;
    }
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < oh; i++) {
        int hFrom = Math.max(0, i * sh - ph);
        int hTo = Math.min(h, i * sh - ph + kh);
        for (int j = 0; j < ow; j++) {
          int wFrom = Math.max(0, j * sw - pw);
          int wTo = Math.min(w, j * sw - pw + kw);
          int first = xOff + (ch * h + hFrom) * w + wFrom;
          double top = x[first];
          for (int ih = hFrom; ih < hTo; ih++) {
            int row = xOff + (ch * h + ih) * w;
            for (int iw = wFrom; iw < wTo; iw++) {
              double v = x[row + iw];
              top = v > top ? v : top;
            }
          }
          y[yOff + (ch * oh + i) * ow + j] = top;
        }
      }
    }
  }

  /** {@link #max} for 2x2 windows at stride 2 without padding, inside the input. */
  static void max2x2(double[] x, int xOff, double[] y, int yOff, int c, int h, int w, int oh, int ow) {
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < oh; i++) {
        int r0 = xOff + (ch * h + 2 * i) * w;
        int r1 = r0 + w;
        int out = yOff + (ch * oh + i) * ow;
        for (int j = 0; j < ow; j++) {
          double a = x[r0 + 2 * j];
          double b = x[r0 + 2 * j + 1];
          double c2 = x[r1 + 2 * j];
          double d = x[r1 + 2 * j + 1];
          double top = Math.max(Math.max(a, b), Math.max(c2, d));
          if (top != top || top == 0d) {
            // NaN, or a largest of zero that may have either sign: the fold keeps the first one
            top = a;
            top = b > top ? b : top;
            top = c2 > top ? c2 : top;
            top = d > top ? d : top;
          }
          y[out + j] = top;
        }
      }
    }
  }

  /** {@code dx} (overwritten) = each {@code dy[c, i, j]} added at its window's largest element of x. */
  public static void maxScatter(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff,
      int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
    java.util.Arrays.fill(dx, dxOff, dxOff + c * h * w, 0d);
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          dx[dxOff + argmax(x, xOff, ch, i, j, h, w, kh, kw, sh, sw, ph, pw)] += dy[dyOff + (ch * oh + i) * ow + j];
        }
      }
    }
  }

  /** {@code y[c, i, j]} = v read at window (i, j)'s largest element of x. */
  public static void maxGather(double[] x, int xOff, double[] v, int vOff, double[] y, int yOff,
      int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          y[yOff + (ch * oh + i) * ow + j] = v[vOff + argmax(x, xOff, ch, i, j, h, w, kh, kw, sh, sw, ph, pw)];
        }
      }
    }
  }

  /** {@code y[c, i, j]} = the mean of window (i, j) (no padding). */
  public static void avg(double[] x, int xOff, double[] y, int yOff,
      int c, int h, int w, int kh, int kw, int sh, int sw, int oh, int ow) {
    double scale = 1d / (kh * kw);
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          double sum = 0d;
          for (int p = 0; p < kh; p++) {
            int row = xOff + (ch * h + i * sh + p) * w + j * sw;
            for (int q = 0; q < kw; q++) {
              sum += x[row + q];
            }
          }
          y[yOff + (ch * oh + i) * ow + j] = sum * scale;
        }
      }
    }
  }

  /** {@code dx} (overwritten) = each {@code dy[c, i, j]} spread evenly over its window. */
  public static void avgScatter(double[] dy, int dyOff, double[] dx, int dxOff,
      int c, int h, int w, int kh, int kw, int sh, int sw, int oh, int ow) {
    java.util.Arrays.fill(dx, dxOff, dxOff + c * h * w, 0d);
    double scale = 1d / (kh * kw);
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          double share = dy[dyOff + (ch * oh + i) * ow + j] * scale;
          for (int p = 0; p < kh; p++) {
            int row = dxOff + (ch * h + i * sh + p) * w + j * sw;
            for (int q = 0; q < kw; q++) {
              dx[row + q] += share;
            }
          }
        }
      }
    }
  }
}
