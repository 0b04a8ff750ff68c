package dev.nabla.compiler.cli;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How long a cache line takes to go from one core to another and back, measured by two threads
 * handing a counter to each other. {@code nabla bench} prints it because a split training step
 * moves data between its threads' cores (each product's bands, the hand-offs), and on a virtual
 * machine the host decides where the two virtual CPUs run: on cores that share an L3 a round trip
 * took 55-140 ns on this project's machine, on cores in different L3 domains about 400 ns, and
 * the medium MLP's step was 25-35% slower there (BENCHMARKS.md, "Why the medium step was
 * bimodal"). The figure says which of the two a benchmark ran on. The benchmarks' {@code StepAB}
 * takes it after each of its rounds.
 */
public final class CoreRoundTrip {
  /** Round trips per measurement. */
  static final int ROUND_TRIPS = 20_000;
  /** A measurement that has not finished by then (a busy machine, one core) gives up. */
  static final long LIMIT_NANOS = 200_000_000L;

  private CoreRoundTrip() {}

  /**
   * Nanoseconds per round trip (median of three measurements), or NaN when the JVM sees one
   * processor only or the other thread did not keep up within {@link #LIMIT_NANOS}.
   */
  public static double nanos() {
    if (Runtime.getRuntime().availableProcessors() < 2) {
      return Double.NaN;
    }
    double[] runs = new double[3];
    for (int i = 0; i < runs.length; i++) {
      runs[i] = once();
    }
    java.util.Arrays.sort(runs);
    return runs[1];
  }

  /** One measurement: the caller writes odd values, the other thread answers with the next even one. */
  private static double once() {
    AtomicInteger ball = new AtomicInteger();
    long deadline = System.nanoTime() + LIMIT_NANOS;
    Thread partner = new Thread(() -> {
      for (int i = 0; i < ROUND_TRIPS; i++) {
        int mine = 2 * i + 1;
        while (ball.get() != mine) {
          if (ball.get() < 0) {
            return;
          }
          Thread.onSpinWait();
        }
        ball.set(mine + 1);
      }
    }, "nabla-core-round-trip");
    partner.setDaemon(true);
    partner.start();
    long start = System.nanoTime();
    for (int i = 0; i < ROUND_TRIPS; i++) {
      ball.set(2 * i + 1);
      for (int spins = 0; ball.get() != 2 * i + 2; spins++) {
        if ((spins & 1023) == 0 && System.nanoTime() > deadline) {
          ball.set(-1);
          return Double.NaN;
        }
        Thread.onSpinWait();
      }
    }
    double perTrip = (System.nanoTime() - start) / (double) ROUND_TRIPS;
    try {
      partner.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return perTrip;
  }
}
