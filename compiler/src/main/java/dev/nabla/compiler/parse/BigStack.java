package dev.nabla.compiler.parse;

import java.util.concurrent.Callable;

/**
 * Runs a task on a fresh thread with a 512 MB stack. The parser, the AST builder and the later
 * recursive phases use a few stack frames per nesting level of an expression; a big stack lets
 * them take deeply nested expressions and very long chains without StackOverflowError. The
 * memory is only reserved, not committed, until it is used.
 */
public final class BigStack {
  /** Stack size of the worker thread. */
  public static final long STACK_BYTES = 512L * 1024 * 1024;

  private BigStack() {}

  /**
   * Runs {@code task} and returns its result. Unchecked exceptions and errors of the task are
   * rethrown as they are; a checked one is wrapped in a RuntimeException.
   */
  public static <T> T run(Callable<T> task) {
    Object[] result = new Object[1];
    Throwable[] failure = new Throwable[1];
    Thread worker =
        Thread.ofPlatform()
            .name("nabla-big-stack")
            .stackSize(STACK_BYTES)
            .unstarted(
                () -> {
                  try {
                    result[0] = task.call();
                  } catch (Throwable t) {
                    failure[0] = t;
                  }
                });
    worker.start();
    boolean interrupted = false;
    while (true) {
      try {
        worker.join();
        break;
      } catch (InterruptedException e) {
        // The task cannot be abandoned halfway; wait for it and keep the interrupt for the caller.
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    // join() makes the worker's writes visible here.
    Throwable t = failure[0];
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error err) {
      throw err;
    }
    if (t != null) {
      throw new RuntimeException(t);
    }
    @SuppressWarnings("unchecked")
    T value = (T) result[0];
    return value;
  }
}
