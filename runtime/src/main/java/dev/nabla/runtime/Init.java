package dev.nabla.runtime;

import java.util.Objects;

/**
 * Seeded, reproducible initialisation of parameter arrays, one method per initializer of the
 * language ({@code zeros, ones, const(c), uniform(lo, hi), normal(mean, std), xavier, he}).
 *
 * <p><b>Reproducibility rule.</b> Every random initializer draws from its own stream
 * {@link Rng#forStream(long, String) Rng.forStream(seed, name)}, where {@code name} is the
 * param's name in the model, so adding, removing or reordering params never changes the values
 * of the others, and the same (seed, name, shape, initializer) gives the same values forever.
 * Elements are filled in row-major order, one draw per element ({@code uniform}: one
 * {@link Rng#nextDouble()}; {@code normal}: one {@link Rng#nextGaussian()}). Values are computed
 * in double and rounded to float for an F32 array, so a float and a double model built from the
 * same seed agree up to that rounding.
 *
 * <p><b>Fans.</b> For a param of shape {@code [out, in]}, {@code fan_in = in} and
 * {@code fan_out = out}. A vector {@code [n]} uses {@code fan_in = fan_out = n}, a scalar
 * {@code fan_in = fan_out = 1}. For rank 3 and more (not yet in the language) the PyTorch rule:
 * {@code fan_in = shape[1] * r}, {@code fan_out = shape[0] * r} with {@code r} the product of
 * {@code shape[2..]}. A fan of 0 (an empty array) counts as 1.
 * <ul>
 *   <li>{@code xavier} (Glorot uniform): {@code U(-a, a)}, {@code a = sqrt(6 / (fan_in + fan_out))};</li>
 *   <li>{@code he} (Kaiming normal, fan-in): {@code N(0, s^2)}, {@code s = sqrt(2 / fan_in)}.</li>
 * </ul>
 */
public final class Init {
  private Init() {
  }

  /** Every element 0. */
  public static void zeros(NdArray a) {
    a.fill(0.0);
  }

  /** Every element 1. */
  public static void ones(NdArray a) {
    a.fill(1.0);
  }

  /** Every element {@code c}. */
  public static void constant(NdArray a, double c) {
    a.fill(c);
  }

  /** Each element {@code lo + (hi - lo) * u}, {@code u} uniform in [0, 1) from stream (seed, name). */
  public static void uniform(NdArray a, long seed, String name, double lo, double hi) {
    if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
      throw new IllegalArgumentException("uniform(" + lo + ", " + hi + ") for '" + name
          + "': needs finite bounds with lo <= hi");
    }
    Rng rng = stream(seed, name);
    int n = a.size();
    double width = hi - lo;
    for (int i = 0; i < n; i++) {
      a.setDouble(i, lo + width * rng.nextDouble());
    }
  }

  /** Each element {@code mean + std * g}, {@code g} standard normal from stream (seed, name). */
  public static void normal(NdArray a, long seed, String name, double mean, double std) {
    if (!(std >= 0) || !Double.isFinite(std) || !Double.isFinite(mean)) {
      throw new IllegalArgumentException("normal(" + mean + ", " + std + ") for '" + name
          + "': needs a finite mean and a finite std >= 0");
    }
    Rng rng = stream(seed, name);
    int n = a.size();
    for (int i = 0; i < n; i++) {
      a.setDouble(i, mean + std * rng.nextGaussian());
    }
  }

  /** Glorot uniform: {@code U(-a, a)} with {@code a = sqrt(6 / (fan_in + fan_out))}. */
  public static void xavier(NdArray a, long seed, String name) {
    int[] shape = a.shape();
    double limit = Math.sqrt(6.0 / ((double) fanIn(shape) + fanOut(shape)));
    uniform(a, seed, name, -limit, limit);
  }

  /** Kaiming normal (fan-in): {@code N(0, 2 / fan_in)}. */
  public static void he(NdArray a, long seed, String name) {
    normal(a, seed, name, 0.0, Math.sqrt(2.0 / fanIn(a.shape())));
  }

  /** The random stream for a param: {@link Rng#forStream(long, String)}. */
  public static Rng stream(long seed, String name) {
    return Rng.forStream(seed, Objects.requireNonNull(name, "name"));
  }

  /** {@code fan_in} of a param shape (see the class comment); at least 1. */
  public static int fanIn(int[] shape) {
    return switch (shape.length) {
      case 0 -> 1;
      case 1 -> Math.max(1, shape[0]);
      default -> Math.max(1, Math.multiplyExact(shape[1], receptive(shape)));
    };
  }

  /** {@code fan_out} of a param shape (see the class comment); at least 1. */
  public static int fanOut(int[] shape) {
    return switch (shape.length) {
      case 0 -> 1;
      case 1 -> Math.max(1, shape[0]);
      default -> Math.max(1, Math.multiplyExact(shape[0], receptive(shape)));
    };
  }

  private static int receptive(int[] shape) {
    int r = 1;
    for (int i = 2; i < shape.length; i++) {
      r = Math.multiplyExact(r, shape[i]);
    }
    return r;
  }
}
