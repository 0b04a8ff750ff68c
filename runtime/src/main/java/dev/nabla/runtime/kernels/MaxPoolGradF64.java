package dev.nabla.runtime.kernels;

/**
 * The adjoint of max pooling for one instance in double (see {@link Pools} for the layout and the
 * arguments): each {@code dy[c, i, j]} sent to the first largest element of window (i, j) of x in
 * row-major order, optionally times a relu's mask {@code step(z)} (the adjoint of
 * {@code maxpool(relu(z))} up to z in one pass instead of two).
 *
 * <p>The common case, 2x2 windows at stride 2 without padding, has a loop of its own: the windows
 * do not overlap, so every element of dx is written once (its window's winner gets {@code 0 + dy},
 * the others 0, exactly what the general loop's fill and sum give) instead of filling dx,
 * searching each window through the general window bounds and adding. Any other geometry takes
 * {@link PoolF64#maxScatter}. Both give the same bits.
 */
public final class MaxPoolGradF64 {
  private MaxPoolGradF64() {
  }

  /** {@code dx} (overwritten) = each {@code dy[c, i, j]} added at its window's largest element of x. */
  public static void maxScatter(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff,
      int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
    if (tiles2x2(kh, kw, sh, sw, ph, pw)) {
      scatter2x2(x, xOff, dy, dyOff, null, 0, dx, dxOff, c, h, w, oh, ow);
    } else {
      PoolF64.maxScatter(x, xOff, dy, dyOff, dx, dxOff, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
    }
  }

  /**
   * {@code dx} (overwritten) = {@link #maxScatter} of {@code dy} times {@code Scalars.step(z)}
   * elementwise: the adjoint of {@code maxpool(relu(z))} up to z, where x is {@code relu(z)}.
   */
  public static void maxScatterStep(double[] x, int xOff, double[] dy, int dyOff, double[] z, int zOff,
      double[] dx, int dxOff, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
    if (tiles2x2(kh, kw, sh, sw, ph, pw)) {
      scatter2x2(x, xOff, dy, dyOff, z, zOff, dx, dxOff, c, h, w, oh, ow);
      return;
    }
    PoolF64.maxScatter(x, xOff, dy, dyOff, dx, dxOff, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
    for (int e = 0, n = c * h * w; e < n; e++) {
      dx[dxOff + e] *= Scalars.step(z[zOff + e]);
    }
  }

  private static boolean tiles2x2(int kh, int kw, int sh, int sw, int ph, int pw) {
    return kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0;
  }

  /**
   * 2x2 windows at stride 2, no padding; times {@code step(z)} when z is not null. Rows and columns
   * past the last window (an odd h or w) are in no window and get 0.
   */
  private static void scatter2x2(double[] x, int xOff, double[] dy, int dyOff, double[] z, int zOff,
      double[] dx, int dxOff, int c, int h, int w, int oh, int ow) {
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < oh; i++) {
        int top = (ch * h + 2 * i) * w;
        int bottom = top + w;
        int grads = dyOff + (ch * oh + i) * ow;
        for (int j = 0; j < ow; j++) {
          int e = top + 2 * j;
          double a = x[xOff + e];
          double b = x[xOff + e + 1];
          double cc = x[xOff + e + w];
          double d = x[xOff + e + w + 1];
          // The general loop's search in row-major order (a later element wins only if larger than
          // the best so far), as comparisons combined without branches: on random data a branch
          // per comparison is mispredicted about half the time.
          boolean bWins = b > a;
          boolean cWins = (bWins & cc > b) | (!bWins & cc > a);
          boolean dWins = (cWins & d > cc) | (!cWins & ((bWins & d > b) | (!bWins & d > a)));
          int winner = e + (dWins ? w + 1 : cWins ? w : bWins ? 1 : 0);
          dx[dxOff + e] = 0d;
          dx[dxOff + e + 1] = 0d;
          dx[dxOff + e + w] = 0d;
          dx[dxOff + e + w + 1] = 0d;
          double g = 0d + dy[grads + j];
          dx[dxOff + winner] = z == null ? g : g * Scalars.step(z[zOff + winner]);
        }
        if (w > 2 * ow) {
          java.util.Arrays.fill(dx, dxOff + top + 2 * ow, dxOff + top + w, 0d);
          java.util.Arrays.fill(dx, dxOff + bottom + 2 * ow, dxOff + bottom + w, 0d);
        }
      }
      if (h > 2 * oh) {
        java.util.Arrays.fill(dx, dxOff + (ch * h + 2 * oh) * w, dxOff + (ch + 1) * h * w, 0d);
      }
    }
  }
}
