package dev.nabla.runtime.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed pool for splitting large work across the machine's cores: one worker thread per core
 * but one, the calling thread doing its own share, so the machine is never oversubscribed. One
 * job runs at a time; a caller that finds the pool busy (another thread's job, or a job inside a
 * job) runs its work itself. Starting a job allocates nothing: the job is a reusable object the
 * caller fills in.
 *
 * <p><b>Parts are claimed, not assigned.</b> The caller runs part 0 (so that consecutive jobs
 * split alike keep their rows on the same core: a product's band of C and the loop over the same
 * instances after it); the other parts are taken from one counter by the workers and, once done
 * with part 0, the caller. A worker that is slow to start (descheduled on a busy machine, or
 * still waking) therefore does not hold the caller up: the caller runs the parts nobody took, and
 * waits only for parts a worker has actually begun. A worker offered a job it never got to is
 * withdrawn from it. Which thread runs a part changes no result (every job computes each part the
 * same way wherever it runs).
 *
 * <p><b>Hand-offs.</b> A worker that finishes spins for {@link #SPIN_NANOS} before it parks, so
 * the next job of a training step (usually microseconds away) finds it awake instead of paying a
 * wake-up through the operating system; the caller waiting for a worker's part spins, yielding
 * the core now and then so that on a machine with more threads than cores the worker gets to run.
 *
 * <p>Set {@code -Dnabla.threads=N} to use N threads in all (1 turns the pool off), and
 * {@code -Dnabla.spin.micros=N} for the spin.
 */
final class Parallel {
  /** A job split into {@code parts}: {@link #run(int, int)} does part {@code part}. */
  interface Job {
    void run(int part, int parts);
  }

  /**
   * A job object made once and reused, so that starting a job allocates nothing: a caller
   * {@link #claim()}s it, fills in its fields, runs it and {@link #release()}s it. A caller that
   * cannot claim it (another thread's job is using it) runs its work itself.
   */
  abstract static class ReusableJob implements Job {
    private final java.util.concurrent.atomic.AtomicBoolean taken = new java.util.concurrent.atomic.AtomicBoolean();

    final boolean claim() {
      return taken.compareAndSet(false, true);
    }

    /** Drops the job's references to the caller's arrays, then frees it. */
    final void release() {
      clear();
      taken.set(false);
    }

    /** Clears the fields that refer to the caller's data. */
    abstract void clear();
  }

  static final int THREADS = threads();

  /**
   * How long an idle worker spins before it parks: longer than most serial gaps between the
   * parallel loops and products of a training step, short enough not to burn a core between
   * calls (as OpenMP runtimes spin before they sleep). {@code -Dnabla.spin.micros=N} sets it; 0
   * parks at once.
   */
  static final long SPIN_NANOS = 1000L * Long.getLong("nabla.spin.micros", 50);

  private static final ReentrantLock LOCK = new ReentrantLock();
  /** The job on offer and its part count: written under {@link #LOCK} before any offer. */
  private static volatile Job current;
  private static volatile int currentParts;
  /** The next part to claim (part 0 is the caller's). */
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static final Worker[] WORKERS = startWorkers(THREADS - 1);

  /**
   * Test hook: false makes {@link #run} decline every job, as {@code -Dnabla.threads=1} does, so
   * that one JVM can compare threaded and single-threaded results.
   */
  static volatile boolean enabled = true;

  private Parallel() {}

  private static int threads() {
    int cores = Runtime.getRuntime().availableProcessors();
    try {
      return Math.max(1, Integer.parseInt(System.getProperty("nabla.threads", String.valueOf(cores))));
    } catch (NumberFormatException e) {
      return cores;
    }
  }

  /**
   * Runs {@code job} in {@link #THREADS} parts, the calling thread running part 0 and any part
   * no worker has claimed, and returns true; or returns false at once (nothing run) when the pool is
   * off or busy.
   */
  static boolean run(Job job) {
    // A job inside a job on the caller's own thread would find the lock its own (reentrant).
    if (WORKERS.length == 0 || !enabled || LOCK.isHeldByCurrentThread() || !LOCK.tryLock()) {
      return false;
    }
    try {
      int parts = THREADS;
      current = job;
      currentParts = parts;
      NEXT.set(1);
      for (Worker w : WORKERS) {
        w.offer();
      }
      Throwable failure = null;
      try {
        job.run(0, parts);
      } catch (Throwable t) {
        failure = t;
      }
      Throwable left = claimParts(job, parts);
      failure = failure == null ? left : failure;
      for (Worker w : WORKERS) {
        Throwable f = w.finish();
        failure = failure == null ? f : failure;
      }
      current = null;
      if (failure instanceof RuntimeException r) {
        throw r;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      return true;
    } finally {
      LOCK.unlock();
    }
  }

  /** Runs parts of {@code job} until none is left; the first failure, or null. */
  private static Throwable claimParts(Job job, int parts) {
    Throwable failure = null;
    for (int part; (part = NEXT.getAndIncrement()) < parts; ) {
      try {
        job.run(part, parts);
      } catch (Throwable t) {
        failure = failure == null ? t : failure;
      }
    }
    return failure;
  }

  private static Worker[] startWorkers(int count) {
    Worker[] workers = new Worker[count];
    for (int i = 0; i < count; i++) {
      workers[i] = new Worker();
      Thread t = new Thread(workers[i], "nabla-worker-" + (i + 1));
      t.setDaemon(true);
      workers[i].thread = t;
      t.start();
    }
    return workers;
  }

  /** One pool thread: waits for an offer (spinning, then parked), claims parts, reports done. */
  private static final class Worker implements Runnable {
    private static final int IDLE = 0;
    private static final int OFFERED = 1;
    private static final int RUNNING = 2;

    Thread thread;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private volatile boolean parked;
    private Throwable failure;

    /** Offers the current job; wakes the worker if it is parked. */
    void offer() {
      state.set(OFFERED);
      if (parked) {
        LockSupport.unpark(thread);
      }
    }

    /**
     * Withdraws the offer if the worker has not taken it up, else waits for its parts to end;
     * returns its failure, or null.
     */
    Throwable finish() {
      if (state.compareAndSet(OFFERED, IDLE)) {
        return null;
      }
      for (int spins = 1; state.get() == RUNNING; spins++) {
        if ((spins & 1023) == 0) {
          Thread.yield();
        } else {
          Thread.onSpinWait();
        }
      }
      Throwable f = failure;
      failure = null;
      return f;
    }

    @Override
    public void run() {
      while (true) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (state.get() != OFFERED) {
          if (System.nanoTime() - spinUntil < 0) {
            Thread.onSpinWait();
          } else {
            // parked is set before the state is read again: an offer made after that read sees
            // parked and unparks this thread
            parked = true;
            if (state.get() != OFFERED) {
              LockSupport.park(this);
            }
            parked = false;
          }
        }
        if (state.compareAndSet(OFFERED, RUNNING)) {
          failure = claimParts(current, currentParts);
          state.set(IDLE);
        }
      }
    }
  }
}
