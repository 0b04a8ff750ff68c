package dev.nabla.compiler.graph;

import java.util.List;

/** {@code argmax_mask(v)}: 1 at the first largest element, 0 elsewhere; piecewise constant. */
public record ArgMaxMask() implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "argmax_mask";

  @Override
  public Shape shape(List<Shape> inputs) {
    return inputs.get(0);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] v = inputs.get(0);
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    double[] m = new double[v.length];
    m[best] = 1;
    return m;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return java.util.Collections.singletonList(null);
  }

  @Override
  public Traits traits() {
    return new Traits(false, true, Cost.SIMPLE);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
