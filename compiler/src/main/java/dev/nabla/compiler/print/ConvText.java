package dev.nabla.compiler.print;

import dev.nabla.compiler.graph.Conv;
import dev.nabla.compiler.graph.ConvGeometry;

/**
 * How a convolution op is written in {@code .nn}, in the form its built-in parses back:
 * {@code conv2d(x, K, stride=2)}, {@code conv2d_input_grad(dy, K, 8, 8, padding=1)} (the input's
 * size, which the output's rounded-down size does not determine), {@code conv2d_kernel_grad(x,
 * dy, 3, 3)} (the kernel's size), {@code conv2d(x, K, stride=(2, 1))} (rows and columns differ).
 * Options at their defaults are left out.
 */
final class ConvText {
  private ConvText() {}

  static String of(Conv conv, String first, String second) {
    ConvGeometry g = conv.geometry();
    StringBuilder text = new StringBuilder(conv.name()).append('(').append(first).append(", ").append(second);
    switch (conv.kind()) {
      case FORWARD -> {}
      case INPUT_GRAD -> text.append(g.spatial() == 2 ? ", " + g.h() + ", " + g.w() : ", " + g.w());
      case KERNEL_GRAD -> text.append(g.spatial() == 2 ? ", " + g.kh() + ", " + g.kw() : ", " + g.kw());
    }
    boolean image = g.spatial() == 2;
    option(text, "stride", image ? g.strideH() : g.strideW(), g.strideW(), 1);
    option(text, "padding", image ? g.paddingH() : g.paddingW(), g.paddingW(), 0);
    option(text, "dilation", image ? g.dilationH() : g.dilationW(), g.dilationW(), 1);
    return text.append(')').toString();
  }

  private static void option(StringBuilder text, String name, int rows, int cols, int defaultValue) {
    if (rows != cols || cols != defaultValue) {
      text.append(", ").append(name).append('=').append(pair(rows, cols));
    }
  }

  /**
   * A whole-number option of a 2-D form as written: one number when rows and columns agree, else
   * the pair {@code (rows, cols)}. A 1-D form has no row value of its own (it is fixed), so its
   * callers pass the column value twice.
   */
  static String pair(int rows, int cols) {
    return rows == cols ? String.valueOf(cols) : "(" + rows + ", " + cols + ")";
  }
}
