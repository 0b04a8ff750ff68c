package dev.nabla.compiler.print;

import dev.nabla.compiler.graph.Pool;
import dev.nabla.compiler.graph.PoolGeometry;
import java.util.List;

/**
 * How a pooling op is written in {@code .nn}, in the form its built-in parses back:
 * {@code maxpool2d(x, 2)}, {@code maxpool2d_grad(x, dy, 3, stride=2, padding=1)},
 * {@code avgpool2d_grad(dy, 8, 8, 2)} (the input's size, which the output's rounded-down size
 * does not determine), {@code maxpool2d(x, (2, 1))} (rows and columns differ). A stride equal to
 * the window and a padding of 0 are left out.
 */
final class PoolText {
  private PoolText() {}

  static String of(Pool pool, List<String> inputs) {
    PoolGeometry g = pool.geometry();
    boolean image = g.spatial() == 2;
    StringBuilder text = new StringBuilder(pool.name()).append('(').append(String.join(", ", inputs));
    if (pool.kind() == Pool.Kind.AVG_SCATTER) {
      text.append(image ? ", " + g.h() + ", " + g.w() : ", " + g.w());
    }
    int kh = image ? g.kh() : g.kw();
    int sh = image ? g.strideH() : g.strideW();
    int ph = image ? g.paddingH() : g.paddingW();
    text.append(", ").append(ConvText.pair(kh, g.kw()));
    if (sh != kh || g.strideW() != g.kw()) {
      text.append(", stride=").append(ConvText.pair(sh, g.strideW()));
    }
    if (ph != 0 || g.paddingW() != 0) {
      text.append(", padding=").append(ConvText.pair(ph, g.paddingW()));
    }
    return text.append(')').toString();
  }
}
