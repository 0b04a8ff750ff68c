package dev.nabla.runtime.kernels;

/**
 * Runs a generated loop over the instances of a batch, split by ranges of instances across the
 * {@link Parallel} pool when it is large enough to gain from it, on the calling thread otherwise.
 *
 * <p>Generated code hands over its loops as a {@link Body}: {@code rows(loop, from, to)} runs
 * loop number {@code loop} for the instances {@code b} in {@code [from, to)}. Every instance is
 * computed by one thread with the same code, whatever the split, so the results do not depend on
 * the thread count; a loop may therefore only write the elements of its own instances (a sum over
 * the batch is never handed over).
 *
 * <p>Starting a split allocates nothing (one reusable job); a loop that is small, or that finds
 * the pool busy or off ({@code -Dnabla.threads=1}), runs whole on the calling thread.
 */
public final class BatchLoops {
  /** The loops of a generated pass. */
  public interface Body {
    /** Runs loop {@code loop} for the instances {@code [from, to)} of the batch. */
    void rows(int loop, int from, int to);
  }

  /**
   * Loops doing less work than this (instances times element operations per instance, an
   * estimate the generated code passes) stay on the calling thread. A hand-off to a worker that
   * is still spinning costs well under a microsecond, one to a parked worker several (and the
   * caller then runs the part itself, {@link Parallel}). Splitting a loop also keeps each range
   * of instances on the core that computed the products before it, rather than bringing the
   * other core's rows over and back. The 784-256-128-10 MLP's softmax loop at batch 256
   * (2^16 operations) gained from it, with its n = 10 products split too (BENCHMARKS.md, "Why the
   * medium step was bimodal"). The small models' loops (a few thousand operations) stay whole.
   */
  public static final long PARALLEL_MIN_WORK = 1L << 15;

  private static final RangeJob JOB = new RangeJob();

  private BatchLoops() {}

  /**
   * Runs {@code body.rows(loop, 0, batch)}, split into ranges of instances across the pool when
   * {@code batch * workPerInstance >= }{@link #PARALLEL_MIN_WORK}.
   *
   * @param workPerInstance the loop's element operations per instance (an estimate: only the
   *     choice between one thread and several depends on it, never the results)
   */
  public static void run(Body body, int loop, int batch, long workPerInstance) {
    if (batch * workPerInstance >= PARALLEL_MIN_WORK && batch > 1 && JOB.claim()) {
      try {
        JOB.body = body;
        JOB.loop = loop;
        JOB.batch = batch;
        if (Parallel.run(JOB)) {
          return;
        }
      } finally {
        JOB.release();
      }
    }
    body.rows(loop, 0, batch);
  }

  /** The reusable job: part p runs the p-th of {@code parts} equal ranges of instances. */
  private static final class RangeJob extends Parallel.ReusableJob {
    Body body;
    int loop;
    int batch;

    @Override
    void clear() {
      body = null;
    }

    @Override
    public void run(int part, int parts) {
      int from = (int) ((long) batch * part / parts);
      int to = (int) ((long) batch * (part + 1) / parts);
      if (from < to) {
        body.rows(loop, from, to);
      }
    }
  }
}
