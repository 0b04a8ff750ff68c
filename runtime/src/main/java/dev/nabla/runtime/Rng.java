package dev.nabla.runtime;

import java.nio.charset.StandardCharsets;

/**
 * A small deterministic random number generator whose output is fixed forever: the same seed
 * gives the same numbers on every JDK and platform (it uses only integer arithmetic and
 * {@link StrictMath}).
 *
 * <p>Algorithm: SplitMix64 (Steele, Lea, Flood 2014) with the "variant 13" finalizer:
 * {@code state += 0x9E3779B97F4A7C15; z = state; z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9;
 * z = (z ^ (z >>> 27)) * 0x94D049BB133111EB; return z ^ (z >>> 31)}.
 * <ul>
 *   <li>{@link #nextDouble()}: {@code (nextLong() >>> 11) * 2^-53}, uniform in {@code [0, 1)};</li>
 *   <li>{@link #nextGaussian()}: Box–Muller on two doubles {@code u1 = 1 - nextDouble()},
 *       {@code u2 = nextDouble()}: {@code r = sqrt(-2 ln u1)}, returns {@code r cos(2 pi u2)} and
 *       keeps {@code r sin(2 pi u2)} for the next call;</li>
 *   <li>{@link #forStream(long, String)}: an independent stream per name, seeded with
 *       {@code mix(mix(seed) ^ fnv1a64(UTF-8 bytes of name))}, where {@code mix} is the finalizer
 *       above and {@code fnv1a64} is 64-bit FNV-1a.</li>
 * </ul>
 * Not thread-safe and not cryptographic.
 */
public final class Rng {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private long state;
  private double spareGaussian;
  private boolean hasSpare;

  /** A generator whose first output is {@code mix(seed + 0x9E3779B97F4A7C15)}. */
  public Rng(long seed) {
    this.state = seed;
  }

  /** The generator for the named stream of {@code seed} (see the class comment for the rule). */
  public static Rng forStream(long seed, String name) {
    return new Rng(mix(mix(seed) ^ fnv1a64(name)));
  }

  /** The next 64 random bits. */
  public long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** Uniform in {@code [0, 1)}, a multiple of {@code 2^-53}. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in {@code [0, bound)} for {@code bound > 0} (Lemire's unbiased multiply-shift). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    long threshold = (1L << 32) % bound;
    while (true) {
      long x = nextLong() >>> 32;
      long product = x * bound;
      if ((product & 0xFFFFFFFFL) >= threshold) {
        return (int) (product >>> 32);
      }
    }
  }

  /** Standard normal (mean 0, standard deviation 1), by Box–Muller. */
  public double nextGaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spareGaussian;
    }
    double u1 = 1.0 - nextDouble();
    double u2 = nextDouble();
    double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
    double theta = 2.0 * StrictMath.PI * u2;
    spareGaussian = r * StrictMath.sin(theta);
    hasSpare = true;
    return r * StrictMath.cos(theta);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static long fnv1a64(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
