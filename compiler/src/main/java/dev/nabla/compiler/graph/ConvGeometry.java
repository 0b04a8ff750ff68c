package dev.nabla.compiler.graph;

/**
 * The sizes of one convolution, as PyTorch's {@code conv2d}/{@code conv1d}: an input
 * {@code [c, h, w]} correlated with a kernel {@code [o, c, kh, kw]} at a stride, with zero padding
 * and dilation, gives {@code [o, outH, outW]}. Stride, padding and dilation have a row and a
 * column value each (a pair {@code (sh, sw)} in the language; a whole number is both). A 1-D
 * convolution is the 2-D one with {@code h = kh = 1}, stride and dilation 1 and padding 0 along
 * that axis (the constructor enforces it); {@code spatial} (1 or 2) only says which shapes the
 * values have.
 */
public record ConvGeometry(int spatial, int c, int h, int w, int o, int kh, int kw,
    int strideH, int strideW, int paddingH, int paddingW, int dilationH, int dilationW) {

  public ConvGeometry {
    if (spatial == 1 && (h != 1 || kh != 1 || strideH != 1 || paddingH != 0 || dilationH != 1)) {
      throw new IllegalArgumentException("a 1-D convolution has one row, stride 1, padding 0, dilation 1 along it");
    }
  }

  /** A convolution with the same stride, padding and dilation along both axes of an image. */
  public static ConvGeometry square(int spatial, int c, int h, int w, int o, int kh, int kw,
      int stride, int padding, int dilation) {
    return spatial == 1
        ? new ConvGeometry(1, c, 1, w, o, 1, kw, 1, stride, 0, padding, 1, dilation)
        : new ConvGeometry(2, c, h, w, o, kh, kw, stride, stride, padding, padding, dilation, dilation);
  }

  /** The rows of the output; along a 1-D signal 1. */
  public int outH() {
    return (h + 2 * paddingH - dilationH * (kh - 1) - 1) / strideH + 1;
  }

  public int outW() {
    return (w + 2 * paddingW - dilationW * (kw - 1) - 1) / strideW + 1;
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
              int ih = i * strideH - paddingH + p * dilationH;
              if (ih < 0 || ih >= h) {
                continue;
              }
              for (int q = 0; q < kw; q++) {
                int iw = j * strideW - paddingW + q * dilationW;
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
