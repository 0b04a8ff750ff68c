package dev.nabla.runtime;

import java.util.Arrays;

/** Small helpers on shapes ({@code int[]} dimension lists). */
public final class Shapes {
  private Shapes() {
  }

  /** {@code "[32, 64]"}; a scalar (rank 0) is {@code "[]"}. */
  public static String toString(int... shape) {
    return Arrays.toString(shape);
  }

  /**
   * The number of elements of {@code shape}: the product of its dimensions (1 for a scalar).
   *
   * @throws IllegalArgumentException if a dimension is negative or the product exceeds
   *     {@link Integer#MAX_VALUE}
   */
  public static int size(int... shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + toString(shape));
      }
      n *= d;
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("shape " + toString(shape) + " has more than "
            + Integer.MAX_VALUE + " elements");
      }
    }
    return (int) n;
  }
}
