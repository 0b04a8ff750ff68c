package dev.nabla.compiler.check;

import dev.nabla.compiler.check.Builtins.Param;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Pool;
import dev.nabla.compiler.graph.PoolGeometry;
import dev.nabla.compiler.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The pooling built-ins {@code maxpool2d}, {@code avgpool2d}, {@code maxpool1d},
 * {@code avgpool1d} (PyTorch's semantics, the stride defaulting to the window) and the ops of
 * their derivatives that printed derivative programs call ({@code maxpool2d_grad},
 * {@code maxpool2d_pick}, {@code avgpool2d_grad}, ...), with the shape checks that give the
 * user's errors. Max pooling takes a padding (of -inf, at most half the window); average
 * pooling none.
 */
final class PoolCalls {
  private PoolCalls() {}

  static void defineAll(ConvCalls.Definer table) {
    for (int spatial = 1; spatial <= 2; spatial++) {
      int s = spatial;
      List<Param> window = windowParams(s, true);
      List<Param> max = with(List.of(Param.value("x")), window);
      table.define(Pool.name(s, Pool.Kind.MAX), max, c -> max(c, s, Pool.Kind.MAX, null));
      List<Param> maxGrad = with(List.of(Param.value("x"), Param.value("dy")), window);
      table.define(Pool.name(s, Pool.Kind.MAX_SCATTER), maxGrad, c -> max(c, s, Pool.Kind.MAX_SCATTER, "dy"));
      List<Param> pick = with(List.of(Param.value("x"), Param.value("v")), window);
      table.define(Pool.name(s, Pool.Kind.MAX_GATHER), pick, c -> max(c, s, Pool.Kind.MAX_GATHER, "v"));
      table.define(Pool.name(s, Pool.Kind.AVG), with(List.of(Param.value("x")), windowParams(s, false)),
          c -> avg(c, s));
      List<Param> avgGrad = new ArrayList<>(List.of(Param.value("dy")));
      avgGrad.addAll(s == 1 ? List.of(Param.whole("l")) : List.of(Param.whole("h"), Param.whole("w")));
      table.define(Pool.name(s, Pool.Kind.AVG_SCATTER), with(avgGrad, windowParams(s, false)), c -> avgGrad(c, s));
    }
  }

  private static List<Param> with(List<Param> first, List<Param> then) {
    List<Param> all = new ArrayList<>(first);
    all.addAll(then);
    return all;
  }

  /** k, stride (default k) and, for max pooling, padding: for images each also a pair (rows, columns). */
  private static List<Param> windowParams(int spatial, boolean padding) {
    List<Param> params = new ArrayList<>(spatial == 2
        ? List.of(Param.pair("k", null), Param.optionalPair("stride"))
        : List.of(Param.whole("k"), Param.optionalWhole("stride")));
    if (padding) {
      params.add(spatial == 2 ? Param.pair("padding", 0.0) : new Param("padding", Builtins.Kind.WHOLE, 0.0, true, false));
    }
    return params;
  }

  /** maxpool2d(x, k, ...) and its derivative's maxpool2d_grad(x, dy, ...), maxpool2d_pick(x, v, ...). */
  private static Node max(Call c, int spatial, Pool.Kind kind, String second) {
    if (!rank(c, spatial, "x")) {
      return null;
    }
    PoolGeometry g = geometry(c, spatial, c.shape("x"), c.pair("padding"));
    if (g == null) {
      return null;
    }
    if (second == null) {
      return c.g().pool(kind, g, c.node("x"));
    }
    // the adjoint dy has the output's shape; the values v picked from have x's
    Shape wanted = kind == Pool.Kind.MAX_GATHER ? g.input() : g.output();
    return expect(c, second, wanted) ? c.g().pool(kind, g, c.node("x"), c.node(second)) : null;
  }

  private static Node avg(Call c, int spatial) {
    if (!rank(c, spatial, "x")) {
      return null;
    }
    PoolGeometry g = geometry(c, spatial, c.shape("x"), new int[2]);
    return g == null ? null : c.g().pool(Pool.Kind.AVG, g, c.node("x"));
  }

  /** avgpool2d_grad(dy, h, w, k, stride=): dy spread over the windows of an input [C, h, w]. */
  private static Node avgGrad(Call c, int spatial) {
    if (!rank(c, spatial, "dy")) {
      return null;
    }
    int h = spatial == 1 ? 1 : c.integer("h");
    int w = c.integer(spatial == 1 ? "l" : "w");
    if (h < 1 || w < 1) {
      return c.error("'" + c.function() + "' needs an input size of at least 1, not " + h + " x " + w);
    }
    int channels = c.shape("dy").dim(0);
    Shape x = spatial == 1 ? Shape.of(channels, w) : Shape.of(channels, h, w);
    PoolGeometry g = geometry(c, spatial, x, new int[2]);
    return g == null || !expect(c, "dy", g.output()) ? null : c.g().pool(Pool.Kind.AVG_SCATTER, g, c.node("dy"));
  }

  private static boolean rank(Call c, int spatial, String param) {
    if (c.shape(param).rank() != spatial + 1) {
      c.error("'" + c.function() + "' needs " + (spatial == 1 ? "a signal [C, L]" : "an image [C, H, W]")
          + " for " + param + ", but " + c.is(param));
      return false;
    }
    return true;
  }

  private static boolean expect(Call c, String param, Shape shape) {
    if (!c.shape(param).equals(shape)) {
      c.error("'" + c.function() + "' needs " + param + " of shape " + shape + ", but "
          + c.is(param));
      return false;
    }
    return true;
  }

  /** The geometry after checking k, stride, padding (at most half the window) and the window's fit. */
  private static PoolGeometry geometry(Call c, int spatial, Shape x, int[] padding) {
    int[] k = c.pair("k");
    int[] stride = c.has("stride") ? c.pair("stride") : k;
    if (k[0] < 1 || k[1] < 1) {
      return fail(c.errorAt("k", "'" + c.function() + "' needs k >= 1, not " + Pairs.text(k[0], k[1])));
    }
    if (stride[0] < 1 || stride[1] < 1) {
      return fail(c.errorAt("stride", "'" + c.function() + "' needs stride >= 1, not "
          + Pairs.text(stride[0], stride[1])));
    }
    for (int axis = 0; axis < 2; axis++) {
      if (padding[axis] < 0 || 2 * (long) padding[axis] > k[axis]) {
        return fail(c.errorAt("padding", "'" + c.function() + "' needs 0 <= padding <= k / 2 (max pooling pads"
            + " with -inf, so a window must hold a real element), not padding " + Pairs.text(padding[0], padding[1])
            + " with k " + Pairs.text(k[0], k[1])));
      }
    }
    int h = spatial == 1 ? 1 : x.dim(1);
    int w = x.dim(spatial);
    long paddedH = spatial == 1 ? k[0] : h + 2L * padding[0];
    long paddedW = w + 2L * padding[1];
    if (k[0] > paddedH || k[1] > paddedW) {
      String window = spatial == 1 ? String.valueOf(k[1]) : k[0] + " x " + k[1];
      String input = spatial == 1 ? String.valueOf(paddedW) : paddedH + " x " + paddedW;
      return fail(c.error("'" + c.function() + "': the window (" + window + ") is larger than the padded input ("
          + input + " with padding " + Pairs.text(padding[0], padding[1]) + ")"));
    }
    return spatial == 1
        ? new PoolGeometry(1, x.dim(0), 1, w, 1, k[1], 1, stride[1], 0, padding[1])
        : new PoolGeometry(2, x.dim(0), h, w, k[0], k[1], stride[0], stride[1], padding[0], padding[1]);
  }

  private static PoolGeometry fail(Node reported) {
    return null;
  }
}
