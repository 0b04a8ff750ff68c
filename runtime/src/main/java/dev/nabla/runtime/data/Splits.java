package dev.nabla.runtime.data;

import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.Rng;

/**
 * Seeded shuffling and the train/test split.
 *
 * <p>The split shuffles the row indices with a Fisher–Yates shuffle driven by
 * {@code Rng.forStream(seed, "split")}; the first {@code round(rows * fraction)} shuffled rows
 * (at least 1 when the fraction is positive) are the test part, the rest the training part, both
 * in shuffled order. The same seed gives the same split on every machine.
 */
public final class Splits {
  private Splits() {
  }

  /** The two parts of a split. */
  public record Split(Dataset train, Dataset test) {}

  /** Splits {@code data}; {@code fraction} in {@code [0, 1)} goes to the test part (0: no test part, test null). */
  public static Split split(Dataset data, double fraction, long seed) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("the test fraction must be in [0, 1), got " + fraction);
    }
    int n = data.rows();
    int[] order = identity(n);
    shuffle(order, Rng.forStream(seed, "split"));
    int nTest = fraction == 0 ? 0 : (int) Math.max(1, Math.round(n * fraction));
    if (nTest >= n) {
      throw new NablaDataException(data.source() + ": " + n + (n == 1 ? " row is" : " rows are")
          + " too few to hold out a test part of " + fraction + " and still train");
    }
    Dataset test = nTest == 0 ? null : data.subset(order, 0, nTest, data.source() + " (test part)");
    Dataset train = data.subset(order, nTest, n - nTest, data.source() + (nTest == 0 ? "" : " (training part)"));
    return new Split(train, test);
  }

  /** {@code [0, 1, ..., n-1]}. */
  public static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  /** Shuffles {@code order} in place (Fisher–Yates, {@code j = rng.nextInt(i + 1)} for i from the end). Allocates nothing. */
  public static void shuffle(int[] order, Rng rng) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
}
