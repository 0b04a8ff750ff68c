package dev.nabla.runtime.kernels;

/**
 * Max and average pooling as PyTorch's {@code max_pool2d}/{@code avg_pool2d} for one instance, on
 * flat row-major arrays with offsets, in float and double: the input {@code x[c, h, w]}, windows
 * of {@code kh x kw} at stride {@code (sh, sw)}, max pooling padded by {@code (ph, pw)} with -inf,
 * the output {@code [c, oh, ow]}; a 1-D pooling passes {@code h = kh = oh = sh = 1},
 * {@code ph = 0}. Results are overwritten; nothing is allocated. The loops are {@link PoolF64}'s, the max's adjoint {@link MaxPoolGradF64}'s.
 */
public final class Pools {
  private Pools() {
  }

  public static void max(double[] x, int xOff, double[] y, int yOff, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
    PoolF64.max(x, xOff, y, yOff, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
  }

  public static void maxScatter(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
    MaxPoolGradF64.maxScatter(x, xOff, dy, dyOff, dx, dxOff, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
  }

  /** {@link #maxScatter} times {@code Scalars.step(z)}: the adjoint of {@code maxpool(relu(z))} up to z, x being {@code relu(z)}. */
  public static void maxScatterStep(double[] x, int xOff, double[] dy, int dyOff, double[] z, int zOff, double[] dx, int dxOff, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
    MaxPoolGradF64.maxScatterStep(x, xOff, dy, dyOff, z, zOff, dx, dxOff, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
  }

  public static void maxGather(double[] x, int xOff, double[] v, int vOff, double[] y, int yOff, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
    PoolF64.maxGather(x, xOff, v, vOff, y, yOff, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
  }

  public static void avg(double[] x, int xOff, double[] y, int yOff, int c, int h, int w, int kh, int kw, int sh, int sw, int oh, int ow) {
    PoolF64.avg(x, xOff, y, yOff, c, h, w, kh, kw, sh, sw, oh, ow);
  }

  public static void avgScatter(double[] dy, int dyOff, double[] dx, int dxOff, int c, int h, int w, int kh, int kw, int sh, int sw, int oh, int ow) {
    PoolF64.avgScatter(dy, dyOff, dx, dxOff, c, h, w, kh, kw, sh, sw, oh, ow);
  }

  public static void max(float[] x, int xOff, float[] y, int yOff, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
    PoolF32.max(x, xOff, y, yOff, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
  }

  public static void maxScatter(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
    MaxPoolGradF32.maxScatter(x, xOff, dy, dyOff, dx, dxOff, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
  }

  /** {@link #maxScatter} times {@code Scalars.step(z)}: the adjoint of {@code maxpool(relu(z))} up to z, x being {@code relu(z)}. */
  public static void maxScatterStep(float[] x, int xOff, float[] dy, int dyOff, float[] z, int zOff, float[] dx, int dxOff, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
    MaxPoolGradF32.maxScatterStep(x, xOff, dy, dyOff, z, zOff, dx, dxOff, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
  }

  public static void maxGather(float[] x, int xOff, float[] v, int vOff, float[] y, int yOff, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
    PoolF32.maxGather(x, xOff, v, vOff, y, yOff, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
  }

  public static void avg(float[] x, int xOff, float[] y, int yOff, int c, int h, int w, int kh, int kw, int sh, int sw, int oh, int ow) {
    PoolF32.avg(x, xOff, y, yOff, c, h, w, kh, kw, sh, sw, oh, ow);
  }

  public static void avgScatter(float[] dy, int dyOff, float[] dx, int dxOff, int c, int h, int w, int kh, int kw, int sh, int sw, int oh, int ow) {
    PoolF32.avgScatter(dy, dyOff, dx, dxOff, c, h, w, kh, kw, sh, sw, oh, ow);
  }
}
