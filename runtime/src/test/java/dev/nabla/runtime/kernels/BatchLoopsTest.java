package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Loops over a batch: each instance run exactly once, small loops whole on the calling thread. */
class BatchLoopsTest {
  /** Records which ranges ran on which thread; marks each instance. */
  static final class Recorder implements BatchLoops.Body {
    final AtomicIntegerArray seen;
    final ConcurrentLinkedQueue<String> ranges = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Thread> threads = new ConcurrentLinkedQueue<>();

    Recorder(int batch) {
      seen = new AtomicIntegerArray(batch);
    }

    @Override
    public void rows(int loop, int from, int to) {
      assertThat(loop).isEqualTo(7);
      ranges.add(from + ".." + to);
      threads.add(Thread.currentThread());
      for (int b = from; b < to; b++) {
        seen.incrementAndGet(b);
      }
    }

    void assertEachOnce() {
      for (int b = 0; b < seen.length(); b++) {
        assertThat(seen.get(b)).as("instance %d", b).isEqualTo(1);
      }
    }
  }

  @Test
  void smallLoopsRunWholeOnTheCallingThread() {
    Recorder r = new Recorder(100);
    BatchLoops.run(r, 7, 100, (BatchLoops.PARALLEL_MIN_WORK - 1) / 100);
    assertThat(r.ranges).containsExactly("0..100");
    assertThat(r.threads).containsOnly(Thread.currentThread());
    r.assertEachOnce();
  }

  @Test
  void largeLoopsAreSplitIntoRangesCoveringTheBatchOnce() {
    Recorder r = new Recorder(101);
    BatchLoops.run(r, 7, 101, BatchLoops.PARALLEL_MIN_WORK);
    r.assertEachOnce();
    assertThat(r.ranges).hasSize(Parallel.THREADS);
    assertThat(r.threads).contains(Thread.currentThread());
  }

  @Test
  void withThePoolOffLargeLoopsRunWhole() {
    Parallel.enabled = false;
    try {
      Recorder r = new Recorder(64);
      BatchLoops.run(r, 7, 64, BatchLoops.PARALLEL_MIN_WORK);
      assertThat(r.ranges).containsExactly("0..64");
    } finally {
      Parallel.enabled = true;
    }
  }

  @Test
  void aLoopInsideALoopRunsOnItsOwnThread() {
    // A nested split finds the job (or the pool) taken and runs whole where it is.
    Recorder inner = new Recorder(1000);
    BatchLoops.Body outer = (loop, from, to) -> BatchLoops.run(inner, 7, 1000, BatchLoops.PARALLEL_MIN_WORK);
    BatchLoops.run(outer, 0, Parallel.THREADS, BatchLoops.PARALLEL_MIN_WORK);
    for (int b = 0; b < 1000; b++) {
      assertThat(inner.seen.get(b)).isEqualTo(Parallel.THREADS);
    }
  }
}
