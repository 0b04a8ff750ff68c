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
      List<Param> max = List.of(Param.value("x"), Param.whole("k"), Param.optionalWhole("stride"), padding());
      table.define(Pool.name(s, Pool.Kind.MAX), max, c -> max(c, s, Pool.Kind.MAX, null));
      List<Param> maxGrad = List.of(Param.value("x"), Param.value("dy"), Param.whole("k"), Param.optionalWhole("stride"), padding());
      table.define(Pool.name(s, Pool.Kind.MAX_SCATTER), maxGrad, c -> max(c, s, Pool.Kind.MAX_SCATTER, "dy"));
      List<Param> pick = List.of(Param.value("x"), Param.value("v"), Param.whole("k"), Param.optionalWhole("stride"), padding());
      table.define(Pool.name(s, Pool.Kind.MAX_GATHER), pick, c -> max(c, s, Pool.Kind.MAX_GATHER, "v"));
      table.define(Pool.name(s, Pool.Kind.AVG), List.of(Param.value("x"), Param.whole("k"), Param.optionalWhole("stride")),
          c -> avg(c, s));
      List<Param> avgGrad = new ArrayList<>(List.of(Param.value("dy")));
      avgGrad.addAll(s == 1 ? List.of(Param.whole("l")) : List.of(Param.whole("h"), Param.whole("w")));
      avgGrad.addAll(List.of(Param.whole("k"), Param.optionalWhole("stride")));
      table.define(Pool.name(s, Pool.Kind.AVG_SCATTER), avgGrad, c -> avgGrad(c, s));
    }
  }

  private static Param padding() {
    return new Param("padding", Builtins.Kind.WHOLE, 0.0, true, false);
  }

  /** maxpool2d(x, k, ...) and its derivative's maxpool2d_grad(x, dy, ...), maxpool2d_pick(x, v, ...). */
  private static Node max(Call c, int spatial, Pool.Kind kind, String second) {
    if (!rank(c, spatial, "x")) {
      return null;
    }
    PoolGeometry g = geometry(c, spatial, c.shape("x"), c.integer("padding"));
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
    PoolGeometry g = geometry(c, spatial, c.shape("x"), 0);
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
    PoolGeometry g = geometry(c, spatial, x, 0);
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
  private static PoolGeometry geometry(Call c, int spatial, Shape x, int padding) {
    int k = c.integer("k");
    int stride = c.has("stride") ? c.integer("stride") : k;
    if (k < 1) {
      return fail(c.errorAt("k", "'" + c.function() + "' needs k >= 1, not " + k));
    }
    if (stride < 1) {
      return fail(c.errorAt("stride", "'" + c.function() + "' needs stride >= 1, not " + stride));
    }
    if (padding < 0 || 2 * (long) padding > k) {
      return fail(c.errorAt("padding", "'" + c.function() + "' needs 0 <= padding <= k / 2 (max pooling pads"
          + " with -inf, so a window must hold a real element), not padding " + padding + " with k " + k));
    }
    int h = spatial == 1 ? 1 : x.dim(1);
    int w = x.dim(spatial);
    long paddedH = spatial == 1 ? k : h + 2L * padding;
    long paddedW = w + 2L * padding;
    if (k > paddedH || k > paddedW) {
      String window = spatial == 1 ? String.valueOf(k) : k + " x " + k;
      String input = spatial == 1 ? String.valueOf(paddedW) : paddedH + " x " + paddedW;
      return fail(c.error("'" + c.function() + "': the window (" + window + ") is larger than the padded input ("
          + input + " with padding " + padding + ")"));
    }
    return PoolGeometry.square(spatial, x.dim(0), h, w, k, stride, padding);
  }

  private static PoolGeometry fail(Node reported) {
    return null;
  }
}
