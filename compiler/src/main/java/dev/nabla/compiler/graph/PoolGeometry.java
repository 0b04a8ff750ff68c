package dev.nabla.compiler.graph;

/**
 * The sizes of one pooling, as PyTorch's {@code max_pool2d}/{@code avg_pool2d}: windows of
 * {@code k x k} over an input {@code [c, h, w]} at a stride, max pooling padded with -inf (a pad
 * never wins), giving {@code [c, outH, outW]}. A 1-D pooling is the 2-D one with
 * {@code h = 1} and a window of one row.
 */
public record PoolGeometry(int spatial, int c, int h, int w, int k, int stride, int padding) {
  public int kh() {
    return spatial == 1 ? 1 : k;
  }

  public int strideH() {
    return spatial == 1 ? 1 : stride;
  }

  public int paddingH() {
    return spatial == 1 ? 0 : padding;
  }

  public int outH() {
    return spatial == 1 ? 1 : (h + 2 * padding - k) / stride + 1;
  }

  public int outW() {
    return (w + 2 * padding - k) / stride + 1;
  }

  public Shape input() {
    return spatial == 1 ? Shape.of(c, w) : Shape.of(c, h, w);
  }

  public Shape output() {
    return spatial == 1 ? Shape.of(c, outW()) : Shape.of(c, outH(), outW());
  }

  /** Elements per window (the divisor of the average pooling, which has no padding). */
  public int windowSize() {
    return kh() * k;
  }

  /** The flat input index of the first largest real element of the window of output {@code y}, row-major. */
  int argmax(double[] x, int y) {
    int oh = outH();
    int ow = outW();
    int ch = y / (oh * ow);
    int i = y / ow % oh;
    int j = y % ow;
    int best = -1;
    for (int p = 0; p < kh(); p++) {
      int ih = i * strideH() - paddingH() + p;
      for (int q = 0; q < k && ih >= 0 && ih < h; q++) {
        int iw = j * stride - padding + q;
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
    int ih = (y / ow % oh) * strideH() + e / k;
    int iw = (y % ow) * stride + e % k;
    return (ch * h + ih) * w + iw;
  }
}
