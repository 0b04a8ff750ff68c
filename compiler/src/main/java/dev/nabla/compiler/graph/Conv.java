package dev.nabla.compiler.graph;

import java.util.List;

/**
 * A convolution ({@code conv2d}, {@code conv1d}: cross-correlation with zero padding, as
 * PyTorch) and its two adjoints, each an op of its own so that printed derivative programs name
 * them: {@code conv2d_input_grad(dy, K, ...)} is the transposed convolution that gives the
 * input's adjoint, {@code conv2d_kernel_grad(x, dy, ...)} the correlation of input and output
 * adjoint that gives the kernel's. All three are bilinear in their two inputs and sum the same
 * terms {@code x[c, ih, iw] * K[o, c, p, q]} into {@code y[o, i, j]} (see
 * {@link ConvGeometry#forEachTerm}); they differ in which of x, K, y is the result. So each one's
 * adjoints are the other two. A bias is added by the caller as a broadcast.
 */
public record Conv(Kind kind, ConvGeometry geometry) implements Op {
  /** Which of the three tensors of the correlation this op computes from the other two. */
  public enum Kind {
    /** y from (x, K). */
    FORWARD(""),
    /** x's adjoint from (dy, K). */
    INPUT_GRAD("_input_grad"),
    /** K's adjoint from (x, dy). */
    KERNEL_GRAD("_kernel_grad");

    private final String suffix;

    Kind(String suffix) {
      this.suffix = suffix;
    }
  }

  /** Its name in the language, such as {@code conv2d_input_grad}. */
  public String name() {
    return name(geometry.spatial(), kind);
  }

  public static String name(int spatial, Kind kind) {
    return "conv" + spatial + "d" + kind.suffix;
  }

  @Override
  public Shape shape(List<Shape> inputs) {
    return switch (kind) {
      case FORWARD -> geometry.output();
      case INPUT_GRAD -> geometry.input();
      case KERNEL_GRAD -> geometry.kernel();
    };
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] a = inputs.get(0);
    double[] b = inputs.get(1);
    double[] r = new double[out.size()];
    switch (kind) {
      case FORWARD -> geometry.forEachTerm((x, k, y) -> r[y] += a[x] * b[k]);
      case INPUT_GRAD -> geometry.forEachTerm((x, k, y) -> r[x] += a[y] * b[k]);
      case KERNEL_GRAD -> geometry.forEachTerm((x, k, y) -> r[k] += a[x] * b[y]);
    }
    return r;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    Node a = y.input(0);
    Node b = y.input(1);
    return switch (kind) {
      // y = conv(x, K)
      case FORWARD -> List.of(g.conv(Kind.INPUT_GRAD, geometry, dy, b), g.conv(Kind.KERNEL_GRAD, geometry, a, dy));
      // r = input_grad(dy, K): linear in dy as conv's transpose, in K as kernel_grad(r's adjoint, dy)
      case INPUT_GRAD -> List.of(g.conv(Kind.FORWARD, geometry, dy, b), g.conv(Kind.KERNEL_GRAD, geometry, dy, a));
      // r = kernel_grad(x, dy)
      case KERNEL_GRAD -> List.of(g.conv(Kind.INPUT_GRAD, geometry, b, dy), g.conv(Kind.FORWARD, geometry, a, dy));
    };
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return name() + " " + geometry;
  }
}
