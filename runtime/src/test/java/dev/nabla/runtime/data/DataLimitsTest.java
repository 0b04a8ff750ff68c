package dev.nabla.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The data limit follows the heap (issue 12, item 11: it was 512 MB on any heap). */
class DataLimitsTest {
  @Test
  void aQuarterOfTheHeapAsFloatsAtMost512Mb() {
    assertThat(DataLimits.forHeap(256L << 20).maxValues()).isEqualTo(16L << 20);
    assertThat(DataLimits.forHeap(1L << 30).maxValues()).isEqualTo(64L << 20);
    assertThat(DataLimits.forHeap(16L << 30).maxValues()).isEqualTo(DataLimits.MAX_VALUES);
    assertThat(DataLimits.forHeap(1 << 10).maxValues()).isEqualTo(1 << 10);
    assertThat(DataLimits.DEFAULT).isEqualTo(DataLimits.forHeap(Runtime.getRuntime().maxMemory()));
  }
}
