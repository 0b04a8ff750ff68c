package dev.nabla.runtime.train;

import dev.nabla.runtime.NablaDataException;

/**
 * Training stopped because the loss (or the gradient) stopped being a finite number. The params
 * were not updated by the failing step, so they are the finite params before it.
 */
public class TrainingDivergedException extends NablaDataException {
  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final int step;
  private final int steps;
  private final String what;
  private final double value;

  /** {@code what} is {@code "loss"} or {@code "gradient norm"}. */
  public TrainingDivergedException(int epoch, int step, int steps, String what, double value, double learningRate) {
    super("the " + what + " became " + value + " in epoch " + epoch + ", step " + step + " of " + steps
        + "; training stopped. Try a smaller learning rate than " + learningRate
        + " (or standardised features, or gradient clipping)");
    this.epoch = epoch;
    this.step = step;
    this.steps = steps;
    this.what = what;
    this.value = value;
  }

  /** The epoch, from 1. */
  public int epoch() {
    return epoch;
  }

  /** The step in the epoch, from 1. */
  public int step() {
    return step;
  }

  /** The steps per epoch. */
  public int steps() {
    return steps;
  }

  /** {@code "loss"} or {@code "gradient norm"}. */
  public String what() {
    return what;
  }

  /** The non-finite value. */
  public double value() {
    return value;
  }
}
