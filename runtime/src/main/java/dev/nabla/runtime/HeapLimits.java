package dev.nabla.runtime;

import java.util.Locale;

/**
 * Checks, before allocating, that large arrays fit: in a Java array ({@link #MAX_ARRAY} elements)
 * and in the JVM's heap ({@link Runtime#maxMemory()}, less what is in use, less a margin of a
 * sixteenth of the heap for everything else). A request that does not fit is a
 * {@link MemoryLimitException} that says what was asked for and what would fit, never an
 * {@link OutOfMemoryError} or an {@code int} that wrapped.
 *
 * <p>Generated code calls {@link #checkParams} before a model allocates its params and
 * {@link #checkRun} before a run allocates its batch buffers; readers call {@link #reserve}
 * before allocating what a file declares.
 *
 * <p>The used figure counts garbage not yet collected, so a request that seems not to fit asks
 * the collector once ({@link System#gc()}) and is measured again before it is refused.
 */
public final class HeapLimits {
  /** The longest array HotSpot allocates ({@code Integer.MAX_VALUE - 8}). */
  public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private HeapLimits() {
  }

  /**
   * The bytes that may still be allocated on a heap of at most {@code maxMemory} bytes of which
   * {@code used} are in use: what is free, less a sixteenth of the heap kept for the rest.
   */
  static long available(long maxMemory, long used) {
    return Math.max(0, maxMemory - used - maxMemory / 16);
  }

  /**
   * Checks that {@code bytes} more may be allocated now.
   *
   * @param what what needs them, for the message, e.g. {@code "params.npz: entry 'W'"}
   * @throws MemoryLimitException if they do not fit, naming {@code what}, the size and the heap
   */
  public static void reserve(String what, long bytes) {
    if (bytes <= available()) {
      return;
    }
    System.gc();
    long available = available();
    if (bytes > available) {
      throw new MemoryLimitException(what + ": " + size(bytes) + " needed, but the JVM's heap has only "
          + size(available) + " to spare (of its maximum " + size(Runtime.getRuntime().maxMemory()) + ")"
          + HOW_TO_RAISE);
    }
  }

  /**
   * Checks that a model's params fit in the heap; generated code calls this before allocating
   * them.
   *
   * @param model the model's name
   * @param elements all params' elements
   * @param elementBytes 4 (float) or 8 (double)
   */
  public static void checkParams(String model, long elements, int elementBytes) {
    reserve("model " + model + "'s params (" + elements + " " + precision(elementBytes) + " values)",
        saturatingMultiply(elements, elementBytes));
  }

  /**
   * Checks that a run of {@code batch} instances can allocate its buffers: that the largest one
   * ({@code batch * largestPerInstance} elements) fits in a Java array and that all of them
   * ({@code batch * perInstance + fixed} elements) fit in the heap. Generated code calls this
   * before allocating a run's buffers (forward and backward).
   *
   * @param model the model's name
   * @param perInstance the elements of every batch buffer per instance
   * @param fixed the elements of the buffers shared by the batch
   * @param largestPerInstance the per-instance elements of the largest single batch buffer
   * @param elementBytes 4 (float) or 8 (double)
   */
  public static void checkRun(String model, int batch, long perInstance, long fixed, long largestPerInstance,
      int elementBytes) {
    String problem = runProblem(model, batch, perInstance, fixed, largestPerInstance, elementBytes, available());
    if (problem != null) {
      System.gc();
      problem = runProblem(model, batch, perInstance, fixed, largestPerInstance, elementBytes, available());
    }
    if (problem != null) {
      throw new MemoryLimitException(problem);
    }
  }

  /** What is wrong with a run of {@code batch} instances when {@code available} bytes may be allocated, or null. */
  static String runProblem(String model, int batch, long perInstance, long fixed, long largestPerInstance,
      int elementBytes, long available) {
    long largest = saturatingMultiply(batch, largestPerInstance);
    long maxByArray = largestPerInstance == 0 ? Integer.MAX_VALUE : MAX_ARRAY / largestPerInstance;
    long maxByHeap = perInstance == 0 ? Integer.MAX_VALUE
        : Math.max(0, available / elementBytes - fixed) / perInstance;
    long maxBatch = Math.min(Integer.MAX_VALUE, Math.min(maxByArray, maxByHeap));
    String advice = maxBatch >= 1 ? "; the largest batch that fits is " + maxBatch
        : "; no batch fits";
    if (largest > MAX_ARRAY) {
      return "model " + model + ": a batch of " + batch + " needs an array of " + batch + " x " + largestPerInstance
          + " = " + largest + " elements, more than a Java array holds (" + MAX_ARRAY + ")" + advice;
    }
    long bytes = saturatingMultiply(saturatingAdd(saturatingMultiply(batch, perInstance), fixed), elementBytes);
    if (bytes > available) {
      return "model " + model + ": a batch of " + batch + " needs " + size(bytes) + " of " + precision(elementBytes)
          + " buffers, but the JVM's heap has only " + size(available) + " to spare (of its maximum "
          + size(Runtime.getRuntime().maxMemory()) + ")" + advice + HOW_TO_RAISE;
    }
    return null;
  }

  private static final String HOW_TO_RAISE = "; give Java more with -Xmx (for ./nabla: NABLA_JAVA_OPTS=-Xmx16g)";

  private static long available() {
    Runtime rt = Runtime.getRuntime();
    return available(rt.maxMemory(), rt.totalMemory() - rt.freeMemory());
  }

  private static String precision(int elementBytes) {
    return elementBytes == 4 ? "float" : "double";
  }

  /** {@code a * b} for non-negative values, or {@code Long.MAX_VALUE} past it. */
  static long saturatingMultiply(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
  }

  private static long saturatingAdd(long a, long b) {
    long s = a + b;
    return s < 0 ? Long.MAX_VALUE : s;
  }

  /** A byte count for people: {@code "8.0 GB"}, {@code "512 MB"}, {@code "12 KB"}. */
  static String size(long bytes) {
    if (bytes == Long.MAX_VALUE) {
      return "more than 8 EB";
    }
    if (bytes >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }
    if (bytes >= 1L << 20) {
      return (bytes >> 20) + " MB";
    }
    return bytes >= 1L << 10 ? (bytes >> 10) + " KB" : bytes + " bytes";
  }
}
