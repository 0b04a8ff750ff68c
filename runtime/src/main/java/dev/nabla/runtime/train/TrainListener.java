package dev.nabla.runtime.train;

/** Follows a {@link Trainer}'s progress (progress bars, logs, curves). Every method has an empty default. */
public interface TrainListener {
  /** An epoch of {@code steps} steps begins. */
  default void epochStarted(int epoch, int epochs, int steps) {
  }

  /** A step finished; {@code meanLoss} is the epoch's mean training loss so far. */
  default void stepFinished(int epoch, int step, int steps, double meanLoss) {
  }

  /** An epoch finished and was measured. */
  default void epochFinished(EpochStats stats, int epochs) {
  }
}
