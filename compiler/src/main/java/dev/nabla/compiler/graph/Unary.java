package dev.nabla.compiler.graph;

import java.util.List;

/**
 * An elementwise function of one value, {@code y = f(x)}. Its Jacobian is diagonal, so its
 * derivative rule is an elementwise product {@code dx = dy * f'(x)}: never a matrix.
 *
 * @param parameter the function's constant ({@code alpha} of leaky_relu/elu, the exponent of a
 *     constant power); 0 when the function has none
 */
public record Unary(UnaryFn fn, double parameter) implements Op {
  public Unary(UnaryFn fn) {
    this(fn, 0);
  }

  @Override
  public Shape shape(List<Shape> inputs) {
    return inputs.get(0);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] x = inputs.get(0);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = fn.apply(x[i], parameter);
    }
    return y;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return java.util.Collections.singletonList(fn.vjp(g, y.input(0), y, dy, parameter));
  }

  @Override
  public Traits traits() {
    return new Traits(true, fn.isMask(), fn.cost(parameter));
  }

  @Override
  public String toString() {
    return fn.name().toLowerCase(java.util.Locale.ROOT) + (fn.hasParameter() ? "(" + parameter + ")" : "");
  }
}
