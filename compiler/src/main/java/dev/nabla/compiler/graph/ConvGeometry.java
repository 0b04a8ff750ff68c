package dev.nabla.compiler.graph;

/**
 * The sizes of one convolution, as PyTorch's {@code conv2d}/{@code conv1d}: an input
 * {@code [c, h, w]} correlated with a kernel {@code [o, c, kh, kw]} at a stride, with zero padding
 * and dilation, gives {@code [o, outH, outW]}. A 1-D convolution is the 2-D one with
 * {@code h = kh = 1} and no stride, padding or dilation along that axis; {@code spatial} (1 or 2)
 * only says which shapes the values have.
 */
public record ConvGeometry(
    int spatial, int c, int h, int w, int o, int kh, int kw, int stride, int padding, int dilation) {

  /** The rows of the output; along a 1-D signal 1. */
  public int outH() {
    return spatial == 1 ? 1 : (h + 2 * padding - dilation * (kh - 1) - 1) / stride + 1;
  }

  public int outW() {
    return (w + 2 * padding - dilation * (kw - 1) - 1) / stride + 1;
  }

  public int strideH() {
    return spatial == 1 ? 1 : stride;
  }

  public int paddingH() {
    return spatial == 1 ? 0 : padding;
  }

  public int dilationH() {
    return spatial == 1 ? 1 : dilation;
  }

  public Shape input() {
    return spatial == 1 ? Shape.of(c, w) : Shape.of(c, h, w);
  }

  public Shape kernel() {
    return spatial == 1 ? Shape.of(o, c, kw) : Shape.of(o, c, kh, kw);
  }

  public Shape output() {
    return spatial == 1 ? Shape.of(o, outW()) : Shape.of(o, outH(), outW());
  }

  /** The language's name of the convolution: {@code conv1d} or {@code conv2d}. */
  public String name() {
    return "conv" + spatial + "d";
  }

  /** One product {@code x[ci, ih, iw] * k[oc, ci, p, q]} summed into {@code y[oc, i, j]}, by flat indices. */
  interface Term {
    void add(int x, int k, int y);
  }

  /**
   * Every term of the correlation that reads a real (not padded) input element, in the order
   * output channel, input channel, output row and column, kernel row and column. The reference
   * evaluator of the three convolution ops walks these; the generated code does not.
   */
  void forEachTerm(Term term) {
    int oh = outH();
    int ow = outW();
    for (int oc = 0; oc < o; oc++) {
      for (int ci = 0; ci < c; ci++) {
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++) {
            for (int p = 0; p < kh; p++) {
              int ih = i * strideH() - paddingH() + p * dilationH();
              if (ih < 0 || ih >= h) {
                continue;
              }
              for (int q = 0; q < kw; q++) {
                int iw = j * stride - padding + q * dilation;
                if (iw >= 0 && iw < w) {
                  term.add((ci * h + ih) * w + iw, ((oc * c + ci) * kh + p) * kw + q, (oc * oh + i) * ow + j);
                }
              }
            }
          }
        }
      }
    }
  }
}
