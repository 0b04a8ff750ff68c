package dev.nabla.runtime.kernels;

/**
 * Test access to the runtime's thread pool switch ({@code Parallel.enabled}, package-private),
 * so that one JVM can run the same model threaded and single-threaded.
 */
public final class ParallelSwitch {
  private ParallelSwitch() {}

  /** The pool's threads, {@code -Dnabla.threads} or the cores. */
  public static int threads() {
    return Parallel.THREADS;
  }

  /** Runs {@code action} with the pool off (every job on the calling thread). */
  public static void singleThreaded(Runnable action) {
    Parallel.enabled = false;
    try {
      action.run();
    } finally {
      Parallel.enabled = true;
    }
  }
}
