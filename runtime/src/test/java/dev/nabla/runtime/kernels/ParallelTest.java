package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The pool: every part of a job runs exactly once (part 0 on the caller), failures reach the caller, no job nests. */
class ParallelTest {
  @Test
  void everyPartRunsOnceInEveryJob() {
    // many back-to-back jobs: workers spinning, parked, withdrawn and claiming all take turns
    for (int job = 0; job < 20_000; job++) {
      AtomicIntegerArray runs = new AtomicIntegerArray(Parallel.THREADS);
      Thread caller = Thread.currentThread();
      boolean split = Parallel.run((part, parts) -> {
        assertThat(parts).isEqualTo(Parallel.THREADS);
        if (part == 0) {
          assertThat(Thread.currentThread()).isSameAs(caller); // the caller's rows stay on its core
        }
        runs.incrementAndGet(part);
      });
      if (Parallel.THREADS > 1) {
        assertThat(split).isTrue();
      }
      for (int p = 0; split && p < Parallel.THREADS; p++) {
        assertThat(runs.get(p)).as("job %d part %d", job, p).isEqualTo(1);
      }
    }
  }

  @Test
  void aFailingPartFailsTheJobAfterTheOtherPartsEnd() {
    if (Parallel.THREADS == 1) {
      return;
    }
    AtomicIntegerArray runs = new AtomicIntegerArray(Parallel.THREADS);
    assertThatThrownBy(() -> Parallel.run((part, parts) -> {
      runs.incrementAndGet(part);
      if (part == parts - 1) {
        throw new IllegalStateException("part " + part);
      }
    })).isInstanceOf(IllegalStateException.class).hasMessage("part " + (Parallel.THREADS - 1));
    for (int p = 0; p < Parallel.THREADS; p++) {
      assertThat(runs.get(p)).isEqualTo(1);
    }
    // the pool still works
    assertThat(Parallel.run((part, parts) -> { })).isTrue();
  }

  /**
   * A job started inside a part is declined on every thread, the caller's included: the lock is
   * reentrant, and the caller's nested job used to be offered to a worker that was still busy
   * with the outer one.
   */
  @Test
  void aJobInsideAJobIsDeclinedOnEveryThread() {
    if (Parallel.THREADS == 1) {
      return;
    }
    ConcurrentLinkedQueue<Boolean> nested = new ConcurrentLinkedQueue<>();
    assertThat(Parallel.run((part, parts) -> nested.add(Parallel.run((p, n) -> { })))).isTrue();
    assertThat(nested).hasSize(Parallel.THREADS).containsOnly(false);
  }
}
