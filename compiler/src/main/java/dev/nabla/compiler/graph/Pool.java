package dev.nabla.compiler.graph;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Max and average pooling ({@code maxpool2d}, {@code avgpool2d} and the 1-D forms) and the ops
 * their derivatives need, each printed as a built-in of its own:
 *
 * <ul>
 *   <li>{@code MAX (x)}: the largest element of each window;
 *   <li>{@code MAX_SCATTER (x, dy)}, {@code maxpool2d_grad}: dy sent to the first largest element
 *       of x's window, row-major (the lecture's "max of a subset"), summed where windows overlap;
 *   <li>{@code MAX_GATHER (x, v)}, {@code maxpool2d_pick}: v read at the first largest element of
 *       each of x's windows (the transpose of the scatter; piecewise constant in x);
 *   <li>{@code AVG (x)}: the mean of each window;
 *   <li>{@code AVG_SCATTER (dy)}, {@code avgpool2d_grad}: each dy spread evenly over its window
 *       (the transpose of the mean).
 * </ul>
 */
public record Pool(Kind kind, PoolGeometry geometry) implements Op {
  public enum Kind {
    MAX("maxpool", ""),
    MAX_SCATTER("maxpool", "_grad"),
    MAX_GATHER("maxpool", "_pick"),
    AVG("avgpool", ""),
    AVG_SCATTER("avgpool", "_grad");

    private final String base;
    private final String suffix;

    Kind(String base, String suffix) {
      this.base = base;
      this.suffix = suffix;
    }
  }

  public String name() {
    return name(geometry.spatial(), kind);
  }

  public static String name(int spatial, Kind kind) {
    return kind.base + spatial + "d" + kind.suffix;
  }

  @Override
  public Shape shape(List<Shape> inputs) {
    return switch (kind) {
      case MAX, MAX_GATHER, AVG -> geometry.output();
      case MAX_SCATTER, AVG_SCATTER -> geometry.input();
    };
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    PoolGeometry g = geometry;
    int outputs = g.output().size();
    double[] r = new double[out.size()];
    double[] a = inputs.get(0);
    for (int y = 0; y < outputs; y++) {
      switch (kind) {
        case MAX -> r[y] = a[g.argmax(a, y)];
        case MAX_GATHER -> r[y] = inputs.get(1)[g.argmax(a, y)];
        case MAX_SCATTER -> r[g.argmax(a, y)] += inputs.get(1)[y];
        case AVG -> {
          double sum = 0;
          for (int e = 0; e < g.windowSize(); e++) {
            sum += a[g.windowElement(y, e)];
          }
          r[y] = sum / g.windowSize();
        }
        case AVG_SCATTER -> {
          for (int e = 0; e < g.windowSize(); e++) {
            r[g.windowElement(y, e)] += a[y] / g.windowSize();
          }
        }
      }
    }
    return r;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    Node x = y.input(0);
    return switch (kind) {
      case MAX -> List.of(g.pool(Kind.MAX_SCATTER, geometry, x, dy));
      case MAX_SCATTER -> Arrays.asList(null, g.pool(Kind.MAX_GATHER, geometry, x, dy));
      case MAX_GATHER -> Arrays.asList(null, g.pool(Kind.MAX_SCATTER, geometry, x, dy));
      case AVG -> List.of(g.pool(Kind.AVG_SCATTER, geometry, dy));
      case AVG_SCATTER -> Collections.singletonList(g.pool(Kind.AVG, geometry, dy));
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
