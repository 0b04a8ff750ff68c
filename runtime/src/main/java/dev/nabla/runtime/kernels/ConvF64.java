package dev.nabla.runtime.kernels;

/**
 * Direct convolution loops in double for one instance (see {@link Convolutions} for the layout
 * and arguments). Every loop nest runs kernel row and column outside the output row and column,
 * so the innermost loop walks one output row and one input row with a constant stride (contiguous
 * at stride 1, which C2 vectorises); the range of output columns that reads real (not padded)
 * input is computed once per kernel column instead of tested per element.
 */
public final class ConvF64 {
  private ConvF64() {
  }

  /** {@code y[o, oh, ow] = sum x[c, ih, iw] * k[o, c, p, q]} (y overwritten). */
  public static void forward(double[] x, int xOff, double[] k, int kOff, double[] y, int yOff,
      int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int oh, int ow) {
    java.util.Arrays.fill(y, yOff, yOff + o * oh * ow, 0d);
    spread(x, xOff, k, kOff, y, yOff, false, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
  }

  /** The input's adjoint {@code dx[c, ih, iw] = sum dy[o, oh, ow] * k[o, c, p, q]} (dx overwritten). */
  public static void inputGrad(double[] dy, int dyOff, double[] k, int kOff, double[] dx, int dxOff,
      int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int oh, int ow) {
    java.util.Arrays.fill(dx, dxOff, dxOff + c * h * w, 0d);
    spread(dx, dxOff, k, kOff, dy, dyOff, true, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
  }

  /**
   * Every term {@code x[c, ih, iw] * k[o, c, p, q]} of the correlation, added into y (the
   * convolution) or, {@code toInput}, the transposed terms {@code y * k} added into x (the input's
   * adjoint, y holding dy).
   */
  private static void spread(double[] x, int xOff, double[] k, int kOff, double[] y, int yOff, boolean toInput,
      int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int oh, int ow) {
    for (int oc = 0; oc < o; oc++) {
      for (int ci = 0; ci < c; ci++) {
        for (int p = 0; p < kh; p++) {
          for (int q = 0; q < kw; q++) {
            double kv = k[kOff + ((oc * c + ci) * kh + p) * kw + q];
            int jFrom = firstInside(pw - q * dw, sw);
            int jTo = endInside(w - 1 + pw - q * dw, sw, ow);
            for (int i = 0; i < oh; i++) {
              int ih = i * sh - ph + p * dh;
              if (ih < 0 || ih >= h) {
                continue;
              }
              int yRow = yOff + (oc * oh + i) * ow;
              int xRow = xOff + (ci * h + ih) * w - pw + q * dw;
              if (toInput) {
                for (int j = jFrom; j < jTo; j++) {
                  x[xRow + j * sw] += kv * y[yRow + j];
                }
              } else {
                for (int j = jFrom; j < jTo; j++) {
                  y[yRow + j] += kv * x[xRow + j * sw];
                }
              }
            }
          }
        }
      }
    }
  }

  /** The kernel's adjoint {@code dk[o, c, p, q] = sum x[c, ih, iw] * dy[o, oh, ow]} (dk overwritten). */
  public static void kernelGrad(double[] x, int xOff, double[] dy, int dyOff, double[] dk, int dkOff,
      int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int oh, int ow) {
    for (int oc = 0; oc < o; oc++) {
      for (int ci = 0; ci < c; ci++) {
        for (int p = 0; p < kh; p++) {
          for (int q = 0; q < kw; q++) {
            int jFrom = firstInside(pw - q * dw, sw);
            int jTo = endInside(w - 1 + pw - q * dw, sw, ow);
            double sum = 0d;
            for (int i = 0; i < oh; i++) {
              int ih = i * sh - ph + p * dh;
              if (ih < 0 || ih >= h) {
                continue;
              }
              int yRow = dyOff + (oc * oh + i) * ow;
              int xRow = xOff + (ci * h + ih) * w - pw + q * dw;
              for (int j = jFrom; j < jTo; j++) {
                sum += x[xRow + j * sw] * dy[yRow + j];
              }
            }
            dk[dkOff + ((oc * c + ci) * kh + p) * kw + q] = sum;
          }
        }
      }
    }
  }

  /** The first output column j with {@code j * stride >= before} (before = padding - offset). */
  static int firstInside(int before, int stride) {
    return before <= 0 ? 0 : (before + stride - 1) / stride;
  }

  /** One past the last output column j (below outCols) with {@code j * stride <= last}. */
  static int endInside(int last, int stride, int outCols) {
    return last < 0 ? 0 : Math.min(outCols, last / stride + 1);
  }
}
