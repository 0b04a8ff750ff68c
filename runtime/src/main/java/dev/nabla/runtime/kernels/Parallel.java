package dev.nabla.runtime.kernels;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed pool for splitting large work across the machine's cores: one worker thread per core
 * but one, the calling thread doing its own share, so the machine is never oversubscribed. One
 * job runs at a time; a caller that finds the pool busy (another thread's job, or a job inside a
 * job) runs its work itself. Starting a job allocates nothing: workers are woken with
 * {@link LockSupport#unpark} and the job is a reusable object the caller fills in.
 *
 * <p>Set {@code -Dnabla.threads=N} to use N threads in all (1 turns the pool off).
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
  private static final ReentrantLock LOCK = new ReentrantLock();
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
   * Runs {@code job} in {@link #THREADS} parts, the calling thread taking part 0, and returns
   * true; or returns false at once (nothing run) when the pool is off or busy.
   */
  static boolean run(Job job) {
    if (WORKERS.length == 0 || !enabled || !LOCK.tryLock()) {
      return false;
    }
    try {
      int parts = WORKERS.length + 1;
      for (int w = 0; w < WORKERS.length; w++) {
        WORKERS[w].start(job, w + 1, parts);
      }
      Throwable failure = null;
      try {
        job.run(0, parts);
      } catch (RuntimeException | Error e) {
        failure = e;
      }
      for (Worker w : WORKERS) {
        Throwable f = w.await();
        failure = failure == null ? f : failure;
      }
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

  /** One pool thread: parks until given a part, runs it, reports done. */
  private static final class Worker implements Runnable {
    Thread thread;
    private volatile Job job;
    private volatile boolean busy;
    private int part;
    private int parts;
    private Throwable failure;

    void start(Job job, int part, int parts) {
      this.part = part;
      this.parts = parts;
      this.failure = null;
      this.job = job;
      this.busy = true;
      LockSupport.unpark(thread);
    }

    /** Waits for the part to finish (spinning: parts are balanced) and returns its failure. */
    Throwable await() {
      while (busy) {
        Thread.onSpinWait();
      }
      job = null;
      return failure;
    }

    @Override
    public void run() {
      while (true) {
        while (!busy) {
          LockSupport.park(this);
        }
        try {
          job.run(part, parts);
        } catch (Throwable t) {
          failure = t;
        }
        busy = false;
      }
    }
  }
}
