package dev.nabla.runtime.kernels;

/**
 * Elementwise functions that generated code calls inside its fused loops, in float and double.
 * Each evaluates its argument once and follows the language's conventions at the kinks. The
 * float versions of the transcendental ones compute in double and round once. The stable forms
 * ({@link #sigmoid}, {@link #softplus}, {@link #logSigmoid}) never overflow or take
 * {@code log(0)} for a finite argument.
 */
public final class Scalars {
  private Scalars() {}

  /**
   * {@code sigmoid(x) = 1 / (1 + e^-x)}, evaluated as {@code 1 / (1 + e^-x)} for {@code x >= 0}
   * and {@code e^x / (1 + e^x)} below, so {@code exp} never overflows and tiny results keep
   * their relative precision.
   */
  public static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  /** {@link #sigmoid(double)} in float. */
  public static float sigmoid(float x) {
    return (float) sigmoid((double) x);
  }

  /** {@code softplus(x) = ln(1 + e^x)}, evaluated as {@code max(x, 0) + log1p(e^-|x|)}. */
  public static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** {@link #softplus(double)} in float. */
  public static float softplus(float x) {
    return (float) softplus((double) x);
  }

  /** {@code ln(sigmoid(x)) = -softplus(-x)}, stable for any finite {@code x}. */
  public static double logSigmoid(double x) {
    return -softplus(-x);
  }

  /** {@link #logSigmoid(double)} in float. */
  public static float logSigmoid(float x) {
    return (float) logSigmoid((double) x);
  }

  /**
   * {@code max(x, 0)}, as {@link Math#max}: a NaN stays NaN and {@code -0.0} gives {@code +0.0}.
   * Written without a branch so that C2 vectorizes the loops that call it (a ternary became a
   * branch that mispredicts on the half-negative inputs of a hidden layer: about 30 times slower
   * over a batch).
   */
  public static double relu(double x) {
    return Math.max(x, 0.0);
  }

  /** {@link #relu(double)} in float. */
  public static float relu(float x) {
    return Math.max(x, 0f);
  }

  /**
   * 1 where {@code x >= 0} (so {@code relu'(0) = 1}, also at {@code -0.0}), else 0 (also for
   * NaN). Computed without a branch, so that C2 vectorizes it: {@code signum(x) + 1} is 2, 1, 0
   * or NaN; converted to int (NaN gives 0) and capped at 1 it is exactly the step.
   */
  public static double step(double x) {
    return Math.min((int) (Math.signum(x) + 1.0), 1);
  }

  /** {@link #step(double)} in float. */
  public static float step(float x) {
    return Math.min((int) (Math.signum(x) + 1f), 1);
  }

  /** {@code x} for {@code x >= 0}, {@code alpha * x} below. */
  public static double leakyRelu(double x, double alpha) {
    return x >= 0 ? x : alpha * x;
  }

  public static float leakyRelu(float x, float alpha) {
    return x >= 0 ? x : alpha * x;
  }

  /** {@code x} for {@code x > 0}, {@code alpha * (e^x - 1)} otherwise. */
  public static double elu(double x, double alpha) {
    return x > 0 ? x : alpha * Math.expm1(x);
  }

  public static float elu(float x, float alpha) {
    return x > 0 ? x : (float) (alpha * Math.expm1(x));
  }

  /** x * x. */
  public static double square(double x) {
    return x * x;
  }

  public static float square(float x) {
    return x * x;
  }

  /** {@code a} where {@code a >= b}, else {@code b}: ties go to {@code a}, as the gradient convention does. */
  public static double max(double a, double b) {
    return a >= b ? a : b;
  }

  public static float max(float a, float b) {
    return a >= b ? a : b;
  }

  /** {@code a} where {@code a <= b}, else {@code b}: ties go to {@code a}. */
  public static double min(double a, double b) {
    return a <= b ? a : b;
  }

  public static float min(float a, float b) {
    return a <= b ? a : b;
  }

  /** 1 where {@code a >= b}, else 0. */
  public static double ge(double a, double b) {
    return a >= b ? 1 : 0;
  }

  public static float ge(float a, float b) {
    return a >= b ? 1 : 0;
  }
}
