package dev.nabla.runtime.data;

/**
 * Bounds that keep a reader's memory in check on absurd files.
 *
 * <p>Defaults ({@link #DEFAULT}): a line of at most 1,048,576 characters, at most 2^27
 * (134,217,728) values in a data set (features plus targets over all rows, stored as float:
 * 512 MB), and IDX dimensions whose product stays within the same bound. A file beyond a limit is
 * a {@link dev.nabla.runtime.NablaDataException} naming the file, the line and the limit; the
 * reader never allocates more than the limit allows (the storage grows with what was read,
 * by doubling, capped at the limit).
 *
 * @param maxLineChars the longest line a CSV reader accepts, in characters
 * @param maxValues the most values (floats) a data set may hold
 */
public record DataLimits(int maxLineChars, long maxValues) {
  /** 1 MiB characters per line, 2^27 values. */
  public static final DataLimits DEFAULT = new DataLimits(1 << 20, 1L << 27);

  /** Validates. */
  public DataLimits {
    if (maxLineChars < 16) {
      throw new IllegalArgumentException("maxLineChars must be at least 16, got " + maxLineChars);
    }
    if (maxValues < 1 || maxValues > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("maxValues must be in 1.." + (Integer.MAX_VALUE - 16) + ", got " + maxValues);
    }
  }
}
