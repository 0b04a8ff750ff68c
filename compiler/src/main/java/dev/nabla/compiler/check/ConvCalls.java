package dev.nabla.compiler.check;

import dev.nabla.compiler.check.Builtins.Kind;
import dev.nabla.compiler.check.Builtins.Param;
import dev.nabla.compiler.diag.Limits;
import dev.nabla.compiler.graph.Conv;
import dev.nabla.compiler.graph.ConvGeometry;
import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The convolution built-ins {@code conv2d} and {@code conv1d} (PyTorch's semantics: channels
 * first, cross-correlation, zero padding) and the two adjoints of each that printed derivative
 * programs call ({@code conv2d_input_grad}, {@code conv2d_kernel_grad}, ...): their parameters
 * and the shape checks that give the user's errors.
 */
final class ConvCalls {
  private ConvCalls() {}

  /** Registers a built-in ({@code Builtins.define}). */
  interface Definer {
    void define(String name, List<Param> params, Function<Call, Node> rule);
  }

  static void defineAll(Definer table) {
    for (int spatial = 1; spatial <= 2; spatial++) {
      int s = spatial;
      List<Param> forward = new ArrayList<>(List.of(Param.value("x"), Param.value("K"), Param.optionalValue("b")));
      forward.addAll(options(s));
      table.define(Conv.name(s, Conv.Kind.FORWARD), forward, c -> forward(c, s));

      List<Param> inputGrad = new ArrayList<>(List.of(Param.value("dy"), Param.value("K")));
      inputGrad.addAll(sizes(s, "h", "w", "l"));
      inputGrad.addAll(options(s));
      table.define(Conv.name(s, Conv.Kind.INPUT_GRAD), inputGrad, c -> inputGrad(c, s));

      List<Param> kernelGrad = new ArrayList<>(List.of(Param.value("x"), Param.value("dy")));
      kernelGrad.addAll(sizes(s, "kh", "kw", "k"));
      kernelGrad.addAll(options(s));
      table.define(Conv.name(s, Conv.Kind.KERNEL_GRAD), kernelGrad, c -> kernelGrad(c, s));
    }
  }

  private static List<Param> sizes(int spatial, String rows, String cols, String length) {
    return spatial == 1 ? List.of(Param.whole(length)) : List.of(Param.whole(rows), Param.whole(cols));
  }

  /** stride, padding, dilation: one whole number, or for images also a pair (rows, columns). */
  private static List<Param> options(int spatial) {
    return List.of(option(spatial, "stride", 1), option(spatial, "padding", 0), option(spatial, "dilation", 1));
  }

  private static Param option(int spatial, String name, double defaultValue) {
    return spatial == 2 ? Param.pair(name, defaultValue) : new Param(name, Kind.WHOLE, defaultValue, true, false);
  }

  /** conv2d(x, K, b?, stride, padding, dilation) = correlation of x and K, plus b per output channel. */
  private static Node forward(Call c, int spatial) {
    Shape x = c.shape("x");
    Shape k = c.shape("K");
    if (!ranks(c, spatial, "x", "K")) {
      return null;
    }
    if (x.dim(0) != k.dim(1)) {
      return c.error("'" + c.function() + "' needs K's second dim to be x's channel count " + x.dim(0) + ", but "
          + c.is("x") + " and " + c.is("K"));
    }
    ConvGeometry geometry = geometry(c, spatial, x, k.dim(0), kernelRows(k, spatial), k.dim(k.rank() - 1));
    if (geometry == null) {
      return null;
    }
    Graph g = c.g();
    Node y = g.conv(Conv.Kind.FORWARD, geometry, c.node("x"), c.node("K"));
    if (!c.has("b")) {
      return y;
    }
    if (!c.shape("b").equals(Shape.of(geometry.o()))) {
      return c.errorAt("b", "'" + c.function() + "' needs a bias of one value per output channel, "
          + Shape.of(geometry.o()) + ", but " + c.is("b"));
    }
    // b[o] copied along every output position: expand(b, ..., axis=1), then axis=2 for images
    Shape out = geometry.output();
    Node bias = g.expandAxis(c.node("b"), Shape.of(out.dim(0), out.dim(1)), 1);
    if (spatial == 2) {
      bias = g.expandAxis(bias, out, 2);
    }
    return g.add(y, bias);
  }

  /** conv2d_input_grad(dy, K, h, w, ...): the adjoint of x of [C, h, w] (a transposed convolution). */
  private static Node inputGrad(Call c, int spatial) {
    if (!ranks(c, spatial, "dy", "K")) {
      return null;
    }
    Shape k = c.shape("K");
    int h = spatial == 1 ? 1 : c.integer("h");
    int w = c.integer(spatial == 1 ? "l" : "w");
    Shape x = spatial == 1 ? Shape.of(k.dim(1), w) : Shape.of(k.dim(1), h, w);
    if (h < 1 || w < 1) {
      return c.error("'" + c.function() + "' needs an input size of at least 1, not " + x);
    }
    ConvGeometry geometry = geometry(c, spatial, x, k.dim(0), kernelRows(k, spatial), k.dim(k.rank() - 1));
    return geometry == null || !expect(c, "dy", geometry.output())
        ? null
        : c.g().conv(Conv.Kind.INPUT_GRAD, geometry, c.node("dy"), c.node("K"));
  }

  /** conv2d_kernel_grad(x, dy, kh, kw, ...): the adjoint of K of [O, C, kh, kw]. */
  private static Node kernelGrad(Call c, int spatial) {
    if (!ranks(c, spatial, "x", "dy")) {
      return null;
    }
    int kh = spatial == 1 ? 1 : c.integer("kh");
    int kw = c.integer(spatial == 1 ? "k" : "kw");
    if (kh < 1 || kw < 1) {
      return c.error("'" + c.function() + "' needs a kernel size of at least 1, not " + kh + " x " + kw);
    }
    ConvGeometry geometry = geometry(c, spatial, c.shape("x"), c.shape("dy").dim(0), kh, kw);
    return geometry == null || !expect(c, "dy", geometry.output())
        ? null
        : c.g().conv(Conv.Kind.KERNEL_GRAD, geometry, c.node("x"), c.node("dy"));
  }

  /** Whether both arguments have the rank of an image (signal) and of a kernel or an image. */
  private static boolean ranks(Call c, int spatial, String first, String second) {
    String what = spatial == 1 ? "a signal [C, L]" : "an image [C, H, W]";
    String kernel = spatial == 1 ? "a kernel [O, C, k]" : "a kernel [O, C, kh, kw]";
    for (String p : List.of(first, second)) {
      boolean isKernel = p.equals("K");
      int rank = isKernel ? spatial + 2 : spatial + 1;
      if (c.shape(p).rank() != rank) {
        c.error("'" + c.function() + "' needs " + (isKernel ? kernel : what) + " for " + p + ", but " + c.is(p));
        return false;
      }
    }
    return true;
  }

  private static boolean expect(Call c, String param, Shape shape) {
    if (!c.shape(param).equals(shape)) {
      c.error("'" + c.function() + "' needs " + param + " of the convolution's output shape " + shape + ", but "
          + c.is(param));
      return false;
    }
    return true;
  }

  /** The geometry, after checking stride, padding, dilation and that the window fits the padded input. */
  private static ConvGeometry geometry(Call c, int spatial, Shape x, int o, int kh, int kw) {
    int[] stride = c.pair("stride");
    int[] padding = c.pair("padding");
    int[] dilation = c.pair("dilation");
    for (String p : List.of("stride", "dilation")) {
      int[] v = c.pair(p);
      if (v[0] < 1 || v[1] < 1) {
        return fail(c.errorAt(p, "'" + c.function() + "' needs " + p + " >= 1, not " + Pairs.text(v[0], v[1])));
      }
    }
    if (padding[0] < 0 || padding[1] < 0) {
      return fail(c.errorAt("padding", "'" + c.function() + "' needs padding >= 0, not "
          + Pairs.text(padding[0], padding[1])));
    }
    int h = spatial == 1 ? 1 : x.dim(1);
    int w = x.dim(spatial);
    long spanH = spatial == 1 ? 1 : (long) dilation[0] * (kh - 1) + 1;
    long spanW = (long) dilation[1] * (kw - 1) + 1;
    long paddedH = spatial == 1 ? 1 : h + 2L * padding[0];
    long paddedW = w + 2L * padding[1];
    if (spanH > paddedH || spanW > paddedW) {
      String window = spatial == 1 ? String.valueOf(spanW) : spanH + " x " + spanW;
      String input = spatial == 1 ? String.valueOf(paddedW) : paddedH + " x " + paddedW;
      return fail(c.error("'" + c.function() + "': the window (" + window + " with dilation "
          + Pairs.text(dilation[0], dilation[1]) + ") is larger than the padded input (" + input + " with padding "
          + Pairs.text(padding[0], padding[1]) + ")"));
    }
    ConvGeometry geometry = spatial == 1
        ? new ConvGeometry(1, x.dim(0), 1, w, o, 1, kw, 1, stride[1], 0, padding[1], 1, dilation[1])
        : new ConvGeometry(2, x.dim(0), h, w, o, kh, kw, stride[0], stride[1], padding[0], padding[1],
            dilation[0], dilation[1]);
    long out = (long) o * geometry.outH() * geometry.outW();
    if (out > Limits.MAX_ELEMENTS) {
      return fail(c.error("'" + c.function() + "' would make " + out + " elements per instance; the limit is "
          + Limits.MAX_ELEMENTS + " (2^28) per value"));
    }
    return geometry;
  }

  /** A kernel's rows: kh of [O, C, kh, kw], 1 for [O, C, k]. */
  private static int kernelRows(Shape k, int spatial) {
    return spatial == 1 ? 1 : k.dim(2);
  }

  private static ConvGeometry fail(Node reported) {
    return null;
  }
}
