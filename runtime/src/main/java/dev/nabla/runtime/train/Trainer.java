package dev.nabla.runtime.train;

import dev.nabla.runtime.HeapLimits;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import dev.nabla.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop: epochs of mini-batch steps (forward, backward, optimizer update) over the
 * training data in a fresh seeded order each epoch.
 *
 * <ul>
 *   <li><b>Order.</b> Before every epoch the row order is shuffled (Fisher–Yates) by
 *       {@code Rng.forStream(seed, "shuffle")}, one stream for the whole run. The same seed,
 *       data, model and optimizer give the same params, bit for bit.</li>
 *   <li><b>Batches.</b> {@code rows / B} full batches; the remaining {@code rows % B} rows form
 *       one smaller last batch (a second run of that size), so every row is used every epoch. A
 *       batch size above the number of rows is reduced to it.</li>
 *   <li><b>Measures.</b> The training loss and accuracy of an epoch are the means over its steps,
 *       each taken before its update (no extra pass over the training data); the test loss and
 *       accuracy or R² are measured after the epoch ({@link Scorer}).</li>
 *   <li><b>Kept params.</b> The params at the end of the epoch with the lowest training loss are
 *       kept (a copy) and restored at the end, also when training stops early. The choice never
 *       looks at the test data, so the final test measure stays an honest estimate.</li>
 *   <li><b>Stopping.</b> {@link #requestStop()} (from any thread, e.g. a Ctrl-C hook) ends
 *       training after the running step; a step that fails once a stop was requested (a
 *       cluster shutting down with the JVM) ends it too, without its update.</li>
 *   <li><b>Divergence.</b> A non-finite loss or gradient norm throws
 *       {@link TrainingDivergedException} naming the epoch and step; that step changes no
 *       param.</li>
 * </ul>
 * A training step allocates nothing once the runs exist.
 */
public final class Trainer {
  /**
   * What to train for.
   *
   * @param epochs passes over the training data (at least 1)
   * @param batchSize instances per step (at least 1)
   * @param seed the seed of the shuffling
   */
  public record Config(int epochs, int batchSize, long seed) {
    /** Validates. */
    public Config {
      if (epochs < 1 || batchSize < 1) {
        throw new IllegalArgumentException("epochs and batch size must be at least 1, got " + epochs + " and "
            + batchSize);
      }
    }
  }

  private volatile boolean stopRequested;

  /** Asks the running (or next) training to stop after its current step. Thread-safe. */
  public void requestStop() {
    stopRequested = true;
  }

  /** Whether a stop was requested. */
  public boolean stopRequested() {
    return stopRequested;
  }

  /**
   * Trains {@code model} (from its current params) on {@code train}, measuring on {@code test}
   * (may be null) after every epoch.
   */
  public TrainResult train(Model model, Optimizer optimizer, Dataset train, Dataset test, Scorer scorer, Config config,
      TrainListener listener) {
    if (!train.hasTargets() && !model.targets().isEmpty()) {
      throw new IllegalArgumentException(train.source() + " has no targets to train on");
    }
    return train(model, optimizer, new LocalSteps(model, train, test, scorer, config), config.epochs(), listener);
  }

  /**
   * Trains {@code model} for {@code epochs} epochs on the steps of {@code source} (a cluster's,
   * for example), with every rule of the class comment but the order and batches, which are the
   * source's. {@code optimizer} must be made for {@code model}.
   */
  public TrainResult train(Model model, Optimizer optimizer, StepSource source, int epochs, TrainListener listener) {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    int n = source.rows();
    int steps = source.steps();
    Map<String, NdArray> best = new LinkedHashMap<>();
    long paramValues = model.params().stream().mapToLong(TensorSpec::size).sum();
    HeapLimits.reserve("the copy of model " + model.name() + "'s best params (" + paramValues + " values)",
        paramValues * model.dtype().byteSize());
    model.paramMap().forEach((name, p) -> best.put(name, p.copy()));
    double bestLoss = Double.POSITIVE_INFINITY;
    int bestEpoch = 0;
    List<EpochStats> history = new ArrayList<>();
    boolean classifier = source.task() == Scorer.Task.CLASSIFICATION;
    int stoppedEpoch = 0;
    int stoppedStep = 0;
    boolean stopped = false;
    epochs:
    for (int epoch = 1; epoch <= epochs; epoch++) {
      source.startEpoch(epoch);
      listener.epochStarted(epoch, epochs, steps);
      double lossSum = 0;
      long correct = 0;
      int seen = 0;
      for (int s = 0; s < steps; s++) {
        if (stopRequested) {
          stopped = true;
          stoppedEpoch = epoch;
          stoppedStep = s;
          break epochs;
        }
        double loss;
        try {
          loss = source.step(s);
        } catch (Exception e) {                // a cluster's step may fail with an undeclared checked exception
          if (!stopRequested) {
            throw e;
          }
          // the stop (Ctrl-C) shut the source's cluster down under this step: stop as asked
          stopped = true;
          stoppedEpoch = epoch;
          stoppedStep = s;
          break epochs;
        }
        int size = source.stepRows();
        if (size == 0) {
          continue;                            // a cluster's step can get no rows (a batch below the blocks)
        }
        if (!Double.isFinite(loss)) {
          throw new TrainingDivergedException(epoch, s + 1, steps, "loss", loss, optimizer.learningRate());
        }
        if (classifier) {
          correct += source.stepCorrect();
        }
        double norm = optimizer.step(source.gradients());
        if (!Double.isFinite(norm)) {
          throw new TrainingDivergedException(epoch, s + 1, steps, "gradient norm", norm, optimizer.learningRate());
        }
        lossSum += loss * size;
        seen += size;
        listener.stepFinished(epoch, s + 1, steps, lossSum / seen);
      }
      double trainLoss = lossSum / n;
      double trainMetric = classifier ? (double) correct / n : Double.NaN;
      Score t = source.hasTest() ? source.evaluateTest() : null;
      boolean isBest = trainLoss < bestLoss;
      if (isBest) {
        bestLoss = trainLoss;
        bestEpoch = epoch;
        for (Map.Entry<String, NdArray> e : best.entrySet()) {
          e.getValue().copyFrom(model.param(e.getKey()));
        }
      }
      EpochStats stats = new EpochStats(epoch, trainLoss, trainMetric, t != null ? t.loss() : Double.NaN,
          t != null ? t.metric() : Double.NaN, isBest);
      history.add(stats);
      listener.epochFinished(stats, epochs);
    }
    if (bestEpoch > 0) {
      for (Map.Entry<String, NdArray> e : best.entrySet()) {
        model.param(e.getKey()).copyFrom(e.getValue());
      }
    }
    Score finalScore = source.evaluateFinal();
    return new TrainResult(history, bestEpoch, stopped, stoppedEpoch, stoppedStep, finalScore, source.hasTest());
  }
}
