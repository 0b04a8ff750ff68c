package dev.nabla.compiler.print;

import dev.nabla.compiler.graph.Pool;
import dev.nabla.compiler.graph.PoolGeometry;
import java.util.List;

/**
 * How a pooling op is written in {@code .nn}, in the form its built-in parses back:
 * {@code maxpool2d(x, 2)}, {@code maxpool2d_grad(x, dy, 3, stride=2, padding=1)},
 * {@code avgpool2d_grad(dy, 8, 8, 2)} (the input's size, which the output's rounded-down size
 * does not determine). A stride equal to the window and a padding of 0 are left out.
 */
final class PoolText {
  private PoolText() {}

  static String of(Pool pool, List<String> inputs) {
    PoolGeometry g = pool.geometry();
    StringBuilder text = new StringBuilder(pool.name()).append('(').append(String.join(", ", inputs));
    if (pool.kind() == Pool.Kind.AVG_SCATTER) {
      text.append(g.spatial() == 2 ? ", " + g.h() + ", " + g.w() : ", " + g.w());
    }
    text.append(", ").append(g.k());
    if (g.stride() != g.k()) {
      text.append(", stride=").append(g.stride());
    }
    if (g.padding() != 0) {
      text.append(", padding=").append(g.padding());
    }
    return text.append(')').toString();
  }
}
