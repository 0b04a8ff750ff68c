package dev.nabla.runtime.train;

import dev.nabla.runtime.NdArray;

/**
 * Where {@link Trainer}'s epoch loop gets its steps from: the mean loss, the number of rightly
 * classified instances and the gradients of one mini-batch at the model's current params, and
 * the measures after an epoch. The loop itself (stopping, divergence, the kept params, the
 * history) and the {@link Optimizer} are the same whatever the source: this JVM's runs
 * ({@link Trainer#train(dev.nabla.runtime.Model, Optimizer, dev.nabla.runtime.data.Dataset,
 * dev.nabla.runtime.data.Dataset, Scorer, Trainer.Config, TrainListener)}) or a cluster (the
 * nabla-spark module).
 *
 * <p>Calls come from one thread, in this order: {@link #startEpoch}, then {@link #step} for
 * {@code s = 0 .. steps() - 1} (each followed by reading {@link #gradients()}), then
 * {@link #evaluateTest()}; at the end {@link #evaluateFinal()}.
 */
public interface StepSource {
  /** The training instances of an epoch (the denominator of the epoch's mean loss). */
  int rows();

  /** The steps of an epoch. */
  int steps();

  /** What the measured output is for ({@link Scorer.Task#CLASSIFICATION} counts right answers). */
  Scorer.Task task();

  /** Epoch {@code epoch} (from 1) begins: e.g. shuffle. */
  void startEpoch(int epoch);

  /**
   * Computes step {@code step} (from 0) of the running epoch at the model's current params and
   * returns its mean loss; when that is finite, {@link #gradients()} then holds the gradient of
   * the mean loss and {@link #stepRows()} and {@link #stepCorrect()} describe the batch.
   */
  double step(int step);

  /** The instances of the last step. */
  int stepRows();

  /** For a classifier: the instances of the last step classified right (before its update). */
  long stepCorrect();

  /** The gradients of the last step, one per param in declaration order, with the model's dtype. */
  NdArray[] gradients();

  /** True when there is test data to measure after every epoch. */
  boolean hasTest();

  /** Measures the model's current params on the test data (only called when {@link #hasTest()}). */
  Score evaluateTest();

  /** Measures the kept params at the end: on the test data, or on the training data without it. */
  Score evaluateFinal();
}
