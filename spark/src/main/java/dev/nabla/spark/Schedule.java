package dev.nabla.spark;

import java.io.Serializable;

/**
 * Which step a task computes: step {@code step} (from 0) of {@code steps} in epoch {@code epoch}
 * (from 1), with the run's {@code seed}. A plain class, not a record, for Kryo's sake (see
 * {@link Block}).
 */
final class Schedule implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final int step;
  private final int steps;
  private final long seed;

  Schedule(int epoch, int step, int steps, long seed) {
    this.epoch = epoch;
    this.step = step;
    this.steps = steps;
    this.seed = seed;
  }

  int epoch() {
    return epoch;
  }

  int step() {
    return step;
  }

  int steps() {
    return steps;
  }

  long seed() {
    return seed;
  }
}
