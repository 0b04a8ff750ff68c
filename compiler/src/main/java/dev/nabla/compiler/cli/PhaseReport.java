package dev.nabla.compiler.cli;

import dev.nabla.runtime.PhaseTimes;
import dev.nabla.runtime.kernels.BatchLoops;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The table {@code nabla bench --profile} prints: each phase's time per step and share of the
 * step, in the order the step runs them (the SGD update is in the backward pass's phases: a
 * weight gradient's product takes its weights' step, the last phase the other params'), what
 * no timer saw, and the measured
 * cost of one hand-off to the pool's threads (which every phase marked "batch loop" or a large
 * product pays when it is split).
 */
final class PhaseReport {
  private PhaseReport() {}

  static void print(PrintWriter out, List<PhaseTimes> passes, long steps, double elapsedSeconds) {
    double stepUs = elapsedSeconds / steps * 1e6;
    out.printf(Locale.ROOT, "%nprofile: time per step by phase (%.1f us per step, timers included)%n", stepUs);
    out.printf(Locale.ROOT, "%10s %6s  %s%n", "us/step", "share", "phase");
    double timed = 0;
    for (PhaseTimes pass : passes) {
      for (int i = 0; i < pass.names().size(); i++) {
        double us = pass.nanos(i) / 1e3 / steps;
        timed += us;
        row(out, us, stepUs, pass.names().get(i));
      }
    }
    row(out, Math.max(0, stepUs - timed), stepUs, "between the timed phases (calls, the timers)");
    out.printf(Locale.ROOT, "one hand-off to the pool and back (an empty split job): %.2f us%n", handOffMicros());
  }

  private static void row(PrintWriter out, double us, double stepUs, String name) {
    out.printf(Locale.ROOT, "%10.1f %5.1f%%  %s%n", us, 100 * us / stepUs, name);
  }

  /**
   * The time of splitting an empty loop across the pool: waking the workers, running nothing,
   * waiting for them. 0 when the pool is off (one thread).
   */
  static double handOffMicros() {
    BatchLoops.Body empty = (loop, from, to) -> { };
    int rounds = 20_000;
    for (int i = 0; i < rounds; i++) {
      BatchLoops.run(empty, 0, 2, BatchLoops.PARALLEL_MIN_WORK);
    }
    long start = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      BatchLoops.run(empty, 0, 2, BatchLoops.PARALLEL_MIN_WORK);
    }
    return (System.nanoTime() - start) / 1e3 / rounds;
  }
}
