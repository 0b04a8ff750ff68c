package dev.nabla.runtime.train;

import dev.nabla.runtime.Model;
import dev.nabla.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Trains a model, configured step by step; {@link #fit()} runs it and returns the history.
 *
 * <pre>{@code
 * TrainResult result = Training.of(model)
 *     .data(train)                       // required
 *     .testData(test)                    // optional: measured after every epoch
 *     .optimizer(Optimizer.Kind.ADAM)    // the default; .learningRate(0.01), .clipNorm(1) optional
 *     .epochs(50)
 *     .batch(16)
 *     .seed(1)                           // initialisation and shuffling
 *     .onEpoch(e -> System.out.println(e.epoch() + " " + e.trainLoss()))
 *     .fit();
 * }</pre>
 *
 * <p>Defaults: Adam with its default learning rate ({@link Optimizer#defaultLearningRate}), no
 * clipping, 20 epochs, batch 32, seed 1, the params initialised from the seed (turn off with
 * {@link #initialize(boolean)} to continue from the current params), the task (classification or
 * regression) inferred from the targets ({@link Scorer#infer}). Everything about the loop itself
 * (shuffling, the last smaller batch, which params are kept, divergence) is {@link Trainer}'s.
 *
 * <p>After {@code fit()} the model holds the params of the epoch with the lowest training loss;
 * save them with {@link Model#saveParams}. A Training object runs once.
 */
public final class Training {
  private final Model model;
  private Dataset train;
  private Dataset test;
  private Optimizer.Kind kind = Optimizer.Kind.ADAM;
  private Double learningRate;
  private double clipNorm;
  private int epochs = 20;
  private int batch = 32;
  private long seed = 1;
  private boolean initialize = true;
  private Scorer.Task task;
  private final List<TrainListener> listeners = new ArrayList<>();
  private ClusterTraining.Session cluster;
  private final Trainer trainer = new Trainer();
  private Scorer scorer;
  private Optimizer optimizer;
  private boolean ran;

  private Training(Model model) {
    this.model = Objects.requireNonNull(model, "model");
  }

  /** Starts configuring the training of {@code model} (an instance of a generated model class). */
  public static Training of(Model model) {
    return new Training(model);
  }

  /** The training data (required). */
  public Training data(Dataset train) {
    this.train = Objects.requireNonNull(train, "train");
    return changed();
  }

  /** Test data measured after every epoch and at the end (null for none, the default). */
  public Training testData(Dataset test) {
    this.test = test;
    return changed();
  }

  /** The update rule (default {@link Optimizer.Kind#ADAM}). */
  public Training optimizer(Optimizer.Kind kind) {
    this.kind = Objects.requireNonNull(kind, "kind");
    return changed();
  }

  /** The learning rate (default: the rule's {@link Optimizer#defaultLearningRate}). */
  public Training learningRate(double rate) {
    if (!(rate > 0) || !Double.isFinite(rate)) {
      throw new IllegalArgumentException("the learning rate must be positive and finite, got " + rate);
    }
    this.learningRate = rate;
    return changed();
  }

  /** Clips gradients to this global norm (default 0: off); see {@link Optimizer#clipNorm(double)}. */
  public Training clipNorm(double maxNorm) {
    if (!(maxNorm >= 0) || !Double.isFinite(maxNorm)) {
      throw new IllegalArgumentException("the clipping norm must be 0 (off) or positive, got " + maxNorm);
    }
    this.clipNorm = maxNorm;
    return changed();
  }

  /** Passes over the training data (default 20). */
  public Training epochs(int epochs) {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    this.epochs = epochs;
    return changed();
  }

  /** Instances per step (default 32; more than the rows of the data means all of them). */
  public Training batch(int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("the batch size must be at least 1, got " + batch);
    }
    this.batch = batch;
    return changed();
  }

  /** The seed of the params' initialisation and of the shuffling (default 1). */
  public Training seed(long seed) {
    this.seed = seed;
    return changed();
  }

  /** Whether {@link #fit()} first initialises the params from the seed (default true). */
  public Training initialize(boolean initialize) {
    this.initialize = initialize;
    return changed();
  }

  /** Measure accuracy ({@link Scorer.Task#CLASSIFICATION}) or R² ({@link Scorer.Task#REGRESSION}) instead of inferring it. */
  public Training task(Scorer.Task task) {
    this.task = task;
    return changed();
  }

  /**
   * Runs the steps on a cluster (nabla-spark's session, see docs/spark.md) instead of in this JVM;
   * null (the default) trains here. Everything else (the optimizer, the kept params, the
   * measures, the callbacks) stays the same.
   */
  public Training on(ClusterTraining.Session session) {
    if (ran) {
      throw new IllegalStateException("this Training has run; make a new one with Training.of(model)");
    }
    this.cluster = session;
    return this;
  }

  /** Adds a listener for every epoch and step (progress bars, logs). */
  public Training listener(TrainListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** Adds a callback after every epoch, with what the epoch achieved. */
  public Training onEpoch(Consumer<EpochStats> callback) {
    Objects.requireNonNull(callback, "callback");
    return listener(new TrainListener() {
      @Override
      public void epochFinished(EpochStats stats, int epochs) {
        callback.accept(stats);
      }
    });
  }

  /** How the data is measured: the given or inferred task and the measured output. Needs {@link #data}. */
  public Scorer scorer() {
    if (scorer == null) {
      Scorer.Task t = task != null ? task : Scorer.infer(model, train(), test);
      scorer = Scorer.of(model, t);
    }
    return scorer;
  }

  /** The optimizer {@link #fit()} uses (made on first call, with its state at zero). */
  public Optimizer optimizer() {
    if (optimizer == null) {
      double rate = learningRate != null ? learningRate : Optimizer.defaultLearningRate(kind);
      optimizer = Optimizer.of(kind, model, rate).clipNorm(clipNorm);
    }
    return optimizer;
  }

  /** The batch size steps will have: {@link #batch} or, for smaller data, its row count. */
  public int effectiveBatch() {
    return Math.min(batch, train().rows());
  }

  /** Ends a running {@link #fit()} after its current step (from any thread, e.g. a Ctrl-C hook). */
  public void requestStop() {
    trainer.requestStop();
  }

  /**
   * Initialises the params (unless turned off) and trains. Returns the history: one
   * {@link EpochStats} per finished epoch, the kept epoch and the final measure.
   *
   * @throws TrainingDivergedException when the loss or the gradient norm stops being finite
   */
  public TrainResult fit() {
    if (ran) {
      throw new IllegalStateException("this Training has run; make a new one with Training.of(model)");
    }
    Dataset data = train();
    Scorer s = scorer();
    if (initialize) {
      model.initialize(seed);
    }
    Optimizer opt = optimizer();
    ran = true;
    Trainer.Config config = new Trainer.Config(epochs, batch, seed);
    TrainListener all = new TrainListener() {
      @Override
      public void epochStarted(int epoch, int epochs, int steps) {
        listeners.forEach(l -> l.epochStarted(epoch, epochs, steps));
      }

      @Override
      public void stepFinished(int epoch, int step, int steps, double meanLoss) {
        listeners.forEach(l -> l.stepFinished(epoch, step, steps, meanLoss));
      }

      @Override
      public void epochFinished(EpochStats stats, int epochs) {
        listeners.forEach(l -> l.epochFinished(stats, epochs));
      }
    };
    return cluster == null ? trainer.train(model, opt, data, test, s, config, all)
        : trainer.train(model, opt, cluster.steps(model, data, test, s, config), epochs, all);
  }

  private Dataset train() {
    if (train == null) {
      throw new IllegalStateException("no training data: call data(...) before fit()");
    }
    return train;
  }

  /** A setting changed: the scorer and optimizer made from the old settings no longer hold. */
  private Training changed() {
    if (ran) {
      throw new IllegalStateException("this Training has run; make a new one with Training.of(model)");
    }
    scorer = null;
    optimizer = null;
    return this;
  }
}
