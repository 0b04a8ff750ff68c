package dev.nabla.runtime.kernels;

/**
 * Convolutions as PyTorch's {@code conv2d} (channels first, cross-correlation, zero padding) for
 * one instance, on flat row-major arrays with offsets, in float and double: the input
 * {@code x[c, h, w]}, the kernel {@code k[o, c, kh, kw]}, the output {@code y[o, oh, ow]}, with
 * stride {@code (sh, sw)}, padding {@code (ph, pw)} and dilation {@code (dh, dw)}; a 1-D
 * convolution passes {@code h = kh = oh = 1}, {@code sh = dh = 1}, {@code ph = 0}. The result is
 * overwritten, never accumulated; nothing is allocated. The loops are {@link ConvF64}'s. Generated
 * code calls these for a convolution shared by the batch (of two params); a batched one goes
 * through {@link ConvBatchF64}/{@code ConvBatchF32}, which is far faster (see {@link ConvPlan}).
 */
public final class Convolutions {
  private Convolutions() {
  }

  public static void forward(double[] x, int xOff, double[] k, int kOff, double[] y, int yOff,
      int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int oh, int ow) {
    ConvF64.forward(x, xOff, k, kOff, y, yOff, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
  }

  public static void inputGrad(double[] dy, int dyOff, double[] k, int kOff, double[] dx, int dxOff,
      int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int oh, int ow) {
    ConvF64.inputGrad(dy, dyOff, k, kOff, dx, dxOff, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
  }

  public static void kernelGrad(double[] x, int xOff, double[] dy, int dyOff, double[] dk, int dkOff,
      int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int oh, int ow) {
    ConvF64.kernelGrad(x, xOff, dy, dyOff, dk, dkOff, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
  }

  public static void forward(float[] x, int xOff, float[] k, int kOff, float[] y, int yOff,
      int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int oh, int ow) {
    ConvF32.forward(x, xOff, k, kOff, y, yOff, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
  }

  public static void inputGrad(float[] dy, int dyOff, float[] k, int kOff, float[] dx, int dxOff,
      int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int oh, int ow) {
    ConvF32.inputGrad(dy, dyOff, k, kOff, dx, dxOff, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
  }

  public static void kernelGrad(float[] x, int xOff, float[] dy, int dyOff, float[] dk, int dkOff,
      int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int oh, int ow) {
    ConvF32.kernelGrad(x, xOff, dy, dyOff, dk, dkOff, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
  }
}
