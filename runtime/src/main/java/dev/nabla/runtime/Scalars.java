package dev.nabla.runtime;

/**
 * Elementwise functions that generated code calls inside its fused loops, in float and double.
 * Each evaluates its argument once and follows the language's conventions at the kinks.
 */
public final class Scalars {
  private Scalars() {}

  /** 1 / (1 + e^-x), without overflow for large |x|. */
  public static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  public static float sigmoid(float x) {
    return (float) sigmoid((double) x);
  }

  /** ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|), exact for large |x|. */
  public static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  public static float softplus(float x) {
    return (float) softplus((double) x);
  }

  /** max(x, 0). */
  public static double relu(double x) {
    return x >= 0 ? x : 0;
  }

  public static float relu(float x) {
    return x >= 0 ? x : 0;
  }

  /** 1 where x >= 0, else 0 (so relu'(0) = 1). */
  public static double step(double x) {
    return x >= 0 ? 1 : 0;
  }

  public static float step(float x) {
    return x >= 0 ? 1 : 0;
  }

  /** x for x >= 0, alpha * x below. */
  public static double leakyRelu(double x, double alpha) {
    return x >= 0 ? x : alpha * x;
  }

  public static float leakyRelu(float x, float alpha) {
    return x >= 0 ? x : alpha * x;
  }

  /** x for x > 0, alpha * (e^x - 1) otherwise. */
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

  /** a where a >= b, else b: ties go to a, as the gradient convention does. */
  public static double max(double a, double b) {
    return a >= b ? a : b;
  }

  public static float max(float a, float b) {
    return a >= b ? a : b;
  }

  /** a where a <= b, else b. */
  public static double min(double a, double b) {
    return a <= b ? a : b;
  }

  public static float min(float a, float b) {
    return a <= b ? a : b;
  }

  /** 1 where a >= b, else 0. */
  public static double ge(double a, double b) {
    return a >= b ? 1 : 0;
  }

  public static float ge(float a, float b) {
    return a >= b ? 1 : 0;
  }
}
