package dev.nabla.compiler.graph;

/**
 * What computing one element of an op costs, counted in simple element operations (an add, a
 * compare, a multiply). Code generation sums it over a fused expression to estimate a loop's
 * work, and only whether the loop is split across threads depends on that estimate.
 */
public final class Cost {
  private Cost() {}

  /** An add, a multiply, a compare, a select. */
  public static final int SIMPLE = 1;

  /** One call of a transcendental function ({@code exp}, {@code log}, {@code tanh}, ...). */
  public static final int TRANSCENDENTAL = 10;
}
