package dev.nabla.compiler.graph;

/**
 * The sizes of one pooling, as PyTorch's {@code max_pool2d}/{@code avg_pool2d}: windows of
 * {@code kh x kw} over an input {@code [c, h, w]} at a stride, max pooling padded with -inf (a pad
 * never wins), giving {@code [c, outH, outW]}. Window, stride and padding have a row and a column
 * value each (a pair {@code (sh, sw)} in the language; a whole number is both). A 1-D pooling is
 * the 2-D one with {@code h = 1} and a window of one row, stride 1 and padding 0 along it (the
 * constructor enforces it).
 */
public record PoolGeometry(int spatial, int c, int h, int w, int kh, int kw,
    int strideH, int strideW, int paddingH, int paddingW) {

  public PoolGeometry {
    if (spatial == 1 && (h != 1 || kh != 1 || strideH != 1 || paddingH != 0)) {
      throw new IllegalArgumentException("a 1-D pooling has one row, window 1, stride 1, padding 0 along it");
    }
  }

  /** A pooling with the same window, stride and padding along both axes of an image. */
  public static PoolGeometry square(int spatial, int c, int h, int w, int k, int stride, int padding) {
    return spatial == 1
        ? new PoolGeometry(1, c, 1, w, 1, k, 1, stride, 0, padding)
        : new PoolGeometry(2, c, h, w, k, k, stride, stride, padding, padding);
  }

  public int outH() {
    return (h + 2 * paddingH - kh) / strideH + 1;
  }

  public int outW() {
    return (w + 2 * paddingW - kw) / strideW + 1;
  }

  public Shape input() {
    return spatial == 1 ? Shape.of(c, w) : Shape.of(c, h, w);
  }

  public Shape output() {
    return spatial == 1 ? Shape.of(c, outW()) : Shape.of(c, outH(), outW());
  }

  /** Elements per window (the divisor of the average pooling, which has no padding). */
  public int windowSize() {
    return kh * kw;
  }

  /** The flat input index of the first largest real element of the window of output {@code y}, row-major. */
  int argmax(double[] x, int y) {
    int oh = outH();
    int ow = outW();
    int ch = y / (oh * ow);
    int i = y / ow % oh;
    int j = y % ow;
    int best = -1;
    for (int p = 0; p < kh; p++) {
      int ih = i * strideH - paddingH + p;
      for (int q = 0; q < kw && ih >= 0 && ih < h; q++) {
        int iw = j * strideW - paddingW + q;
        int at = (ch * h + ih) * w + iw;
        if (iw >= 0 && iw < w && (best < 0 || x[at] > x[best])) {
          best = at;
        }
      }
    }
    return best;
  }

  /** The flat input index of element {@code e} (row-major) of the unpadded window of output {@code y}. */
  int windowElement(int y, int e) {
    int oh = outH();
    int ow = outW();
    int ch = y / (oh * ow);
    int ih = (y / ow % oh) * strideH + e / kw;
    int iw = (y % ow) * strideW + e % kw;
    return (ch * h + ih) * w + iw;
  }
}
