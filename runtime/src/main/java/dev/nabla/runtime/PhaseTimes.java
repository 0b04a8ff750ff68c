package dev.nabla.runtime;

import java.util.List;

/**
 * Wall-clock time per phase of a generated pass, for {@code nabla bench --profile}: a model
 * compiled with profiling calls {@link #start()} as a pass begins and {@link #lap(int)} after
 * each of its statements (a product, a loop over the batch, a reduction), which charges the time
 * since the previous lap to that phase. A model compiled without profiling has none of these
 * calls, so profiling costs nothing when it is off.
 *
 * <p>A phase's time includes the hand-off to the pool's threads when its loop or product is
 * split across them (waking the workers and waiting for the slowest). Laps allocate nothing.
 * One pass is timed by one thread at a time.
 */
public final class PhaseTimes {
  private final String pass;
  private final List<String> names;
  private final long[] nanos;
  private long last;
  private long runs;

  /**
   * @param pass the pass's name ("forward", "backward")
   * @param names one label per phase, in the order the pass runs them
   */
  public PhaseTimes(String pass, String... names) {
    this.pass = pass;
    this.names = List.of(names);
    this.nanos = new long[names.length];
  }

  /** Marks the start of one run of the pass. */
  public void start() {
    runs++;
    last = System.nanoTime();
  }

  /** Charges the time since the previous lap (or the start) to {@code phase}. */
  public void lap(int phase) {
    long now = System.nanoTime();
    nanos[phase] += now - last;
    last = now;
  }

  /** Forgets the times so far (after a warm-up). */
  public void reset() {
    java.util.Arrays.fill(nanos, 0);
    runs = 0;
  }

  public String pass() {
    return pass;
  }

  /** The phases' labels, in the order the pass runs them. */
  public List<String> names() {
    return names;
  }

  /** Total nanoseconds charged to a phase since the last {@link #reset()}. */
  public long nanos(int phase) {
    return nanos[phase];
  }

  /** Runs of the pass since the last {@link #reset()}. */
  public long runs() {
    return runs;
  }
}
