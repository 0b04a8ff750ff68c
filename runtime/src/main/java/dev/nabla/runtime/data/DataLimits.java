package dev.nabla.runtime.data;

/**
 * Bounds that keep a reader's memory in check on absurd files.
 *
 * <p>Defaults ({@link #DEFAULT}): a line of at most 1,048,576 characters, and at most 2^27
 * (134,217,728) values in a data set (features plus targets over all rows, one-hot targets
 * expanded, stored as float: 512 MB), or a quarter of the JVM's maximum heap in bytes when that
 * is less ({@link #forHeap}). A file beyond a limit is a
 * {@link dev.nabla.runtime.NablaDataException} naming the file, the line and the limit; the
 * reader never allocates more than the limit allows (the storage grows with what was read,
 * by doubling, capped at the limit; an IDX header is checked before anything is allocated).
 *
 * @param maxLineChars the longest line a CSV reader accepts, in characters
 * @param maxValues the most values (floats) a data set may hold
 */
public record DataLimits(int maxLineChars, long maxValues) {
  /** The most values a data set may hold on any heap: 2^27 floats, 512 MB. */
  public static final long MAX_VALUES = 1L << 27;

  /** 1 MiB characters per line; values as {@link #forHeap} allows for this JVM's maximum heap. */
  public static final DataLimits DEFAULT = forHeap(Runtime.getRuntime().maxMemory());

  /** Validates. */
  public DataLimits {
    if (maxLineChars < 16) {
      throw new IllegalArgumentException("maxLineChars must be at least 16, got " + maxLineChars);
    }
    if (maxValues < 1 || maxValues > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("maxValues must be in 1.." + (Integer.MAX_VALUE - 16) + ", got " + maxValues);
    }
  }

  /**
   * The default limits for a JVM whose maximum heap is {@code maxHeapBytes}: the data may take a
   * quarter of the heap as floats ({@code maxHeapBytes / 16} values), at most {@link #MAX_VALUES}.
   * A quarter because reading a CSV briefly holds up to twice the data (the storage doubles as
   * it grows), and training needs room besides the data for the model, its runs and the split.
   */
  public static DataLimits forHeap(long maxHeapBytes) {
    return new DataLimits(1 << 20, Math.max(1 << 10, Math.min(MAX_VALUES, maxHeapBytes / 16)));
  }

  /**
   * What a limit of {@code values} means, for messages: {@code "about 512 MB as float"}, and
   * when it is the heap's share (below {@link #MAX_VALUES}), how to raise it.
   */
  static String describe(long values) {
    String size = "about " + mb(values * Float.BYTES) + " as float";
    long heap = Runtime.getRuntime().maxMemory();
    if (values >= MAX_VALUES || values != forHeap(heap).maxValues()) {
      return size;
    }
    return size + ", a quarter of the JVM's maximum heap of " + mb(heap)
        + "; give Java more with -Xmx, e.g. NABLA_JAVA_OPTS=-Xmx4g";
  }

  private static String mb(long bytes) {
    return (bytes >> 20) + " MB";
  }
}
