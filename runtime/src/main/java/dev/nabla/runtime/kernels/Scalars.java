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

  // ---- functions the JDK's Math lacks (the compiler's reference evaluator calls these too)

  private static final double LN2 = Math.log(2);
  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

  /**
   * {@code asinh(x) = ln(x + sqrt(x^2 + 1))}, as {@code log1p(|x| + x^2 / (1 + sqrt(1 + x^2)))}
   * with the sign of x: exact near 0 (no cancellation) and, past 1e8, {@code ln(2|x|)} before
   * {@code x^2} overflows.
   */
  public static double asinh(double x) {
    double a = Math.abs(x);
    double r = a > 1e8 ? Math.log(a) + LN2 : Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
    return Math.copySign(r, x);
  }

  public static float asinh(float x) {
    return (float) asinh((double) x);
  }

  /**
   * {@code acosh(x) = ln(x + sqrt(x^2 - 1))} for {@code x >= 1} (NaN below), as
   * {@code log1p(t + sqrt(t (x + 1)))} with {@code t = x - 1}: exact near 1.
   */
  public static double acosh(double x) {
    if (!(x >= 1)) {
      return Double.NaN;
    }
    if (x > 1e8) {
      return Math.log(x) + LN2;
    }
    double t = x - 1;
    return Math.log1p(t + Math.sqrt(t * (x + 1)));
  }

  public static float acosh(float x) {
    return (float) acosh((double) x);
  }

  /**
   * {@code atanh(x) = ln((1 + x) / (1 - x)) / 2}, as {@code log1p(2|x| / (1 - |x|)) / 2} with the
   * sign of x: exact near 0, infinite at {@code |x| = 1}, NaN beyond.
   */
  public static double atanh(double x) {
    double a = Math.abs(x);
    return Math.copySign(0.5 * Math.log1p(2 * a / (1 - a)), x);
  }

  public static float atanh(float x) {
    return (float) atanh((double) x);
  }

  /**
   * The error function, to about 1e-15 relative. Below 3 the series
   * {@code 2/sqrt(pi) e^(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1))}, whose terms are all
   * positive (no cancellation, unlike the Taylor series); from 3 to 6 one minus the continued
   * fraction of {@code erfc}; past 6, where erfc is below 1e-16, exactly 1. Odd in x.
   */
  public static double erf(double x) {
    double a = Math.abs(x);
    double r;
    if (Double.isNaN(x)) {
      return x;
    } else if (a < 3) {
      double twoA2 = 2 * a * a;
      double term = a;
      double sum = a;
      for (int n = 1; term > sum * 1e-17; n++) {
        term *= twoA2 / (2 * n + 1);
        sum += term;
      }
      r = TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum;
    } else if (a < 6) {
      // erfc(a) = e^(-a^2) / sqrt(pi) / (a + (1/2) / (a + 1 / (a + (3/2) / (a + ...)))), from the tail
      double f = a;
      for (int k = 80; k >= 1; k--) {
        f = a + (k / 2.0) / f;
      }
      r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
    } else {
      r = 1;
    }
    return Math.copySign(r, x);
  }

  public static float erf(float x) {
    return (float) erf((double) x);
  }
}
