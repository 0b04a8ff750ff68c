package dev.nabla.runtime.train;

import java.util.List;

/**
 * How training went. After {@link Trainer#train} returns, the model holds the params of
 * {@link #bestEpoch()} (or, when no epoch finished, the params at the stop).
 *
 * @param history one entry per finished epoch
 * @param bestEpoch the finished epoch with the lowest training loss, 0 when none finished
 * @param stopped whether {@link Trainer#requestStop()} ended training early
 * @param stoppedEpoch the epoch that was running when training stopped (0 when it ran to the end)
 * @param stoppedStep the steps of that epoch that had finished
 * @param finalScore the kept params measured on the test data, or on the training data without test data
 * @param finalOnTest whether {@code finalScore} is on test data
 */
public record TrainResult(List<EpochStats> history, int bestEpoch, boolean stopped, int stoppedEpoch,
    int stoppedStep, Score finalScore, boolean finalOnTest) {
  /** Copies the history. */
  public TrainResult {
    history = List.copyOf(history);
  }
}
