package dev.nabla.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The checks before large allocations, computed against given heap sizes (nothing large is allocated). */
class HeapLimitsTest {
  static final long MB = 1L << 20;
  static final long GB = 1L << 30;

  @Test
  void availableIsWhatIsFreeLessASixteenthOfTheHeap() {
    assertThat(HeapLimits.available(256 * MB, 100 * MB)).isEqualTo(140 * MB);
    assertThat(HeapLimits.available(256 * MB, 250 * MB)).isZero();
  }

  @Test
  void aBatchWhoseBufferPassesTheLargestArrayIsRefusedWithTheLargestBatchThatFits() {
    // Issue 12, item 12: bench --batch 67108865 of a model with a 64-wide buffer: 2^32 + 64 elements.
    assertThat(HeapLimits.runProblem("Digits", 67108865, 200, 3000, 64, 4, 1000 * GB))
        .isEqualTo("model Digits: a batch of 67108865 needs an array of 67108865 x 64 = 4294967360 elements, "
            + "more than a Java array holds (2147483639); the largest batch that fits is 33554431");
    // eval of a batch of 40,000 for an input of 65,536 values per instance.
    assertThat(HeapLimits.runProblem("Wide", 40000, 65536, 0, 65536, 4, 1000 * GB))
        .startsWith("model Wide: a batch of 40000 needs an array of 40000 x 65536 = 2621440000 elements");
  }

  @Test
  void aBatchWhoseBuffersPassTheHeapIsRefused() {
    // check --batch 100000000: double buffers of 21 values per instance on a 6 GB heap.
    String problem = HeapLimits.runProblem("Iris", 100_000_000, 21, 30, 4, 8, 5 * GB);
    assertThat(problem).startsWith("model Iris: a batch of 100000000 needs 15.6 GB of double buffers, "
        + "but the JVM's heap has only 5.0 GB to spare").contains("; the largest batch that fits is 31956600;")
        .contains("-Xmx");
    assertThat(HeapLimits.runProblem("Iris", 31956600, 21, 30, 4, 8, 5 * GB)).isNull();
    assertThat(HeapLimits.runProblem("Iris", 31956601, 21, 30, 4, 8, 5 * GB)).isNotNull();
  }

  @Test
  void sizesThatOverflowALongSaturate() {
    assertThat(HeapLimits.saturatingMultiply(1L << 40, 1L << 30)).isEqualTo(Long.MAX_VALUE);
    assertThat(HeapLimits.saturatingMultiply(3, 5)).isEqualTo(15);
    assertThat(HeapLimits.runProblem("M", 1 << 30, 1L << 40, 0, 1, 8, 5 * GB))
        .contains("needs more than 8 EB of double buffers");
  }

  @Test
  void aReservationPastTheHeapIsAClearError() {
    long max = Runtime.getRuntime().maxMemory();
    assertThatThrownBy(() -> HeapLimits.reserve("model Big's params", max))
        .isInstanceOf(MemoryLimitException.class)
        .hasMessageStartingWith("model Big's params: " + HeapLimits.size(max) + " needed, but the JVM's heap has only ")
        .hasMessageContaining("-Xmx");
    HeapLimits.reserve("a small array", 1024);
  }
}
