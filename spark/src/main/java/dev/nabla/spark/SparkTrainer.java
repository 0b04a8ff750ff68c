package dev.nabla.spark;

import dev.nabla.runtime.Model;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Layout;
import dev.nabla.runtime.train.Optimizer;
import dev.nabla.runtime.train.Scorer;
import dev.nabla.runtime.train.StepSource;
import dev.nabla.runtime.train.TrainListener;
import dev.nabla.runtime.train.TrainResult;
import dev.nabla.runtime.train.Trainer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * Data-parallel training of a compiled model on Spark: the runtime's {@link Trainer} loop and
 * {@link Optimizer} run on the driver; every step the driver broadcasts the params, each
 * executor computes the gradient sum of its blocks' share of the batch with the generated
 * batched forward and backward, and {@code treeAggregate} sums them (see {@link SparkSteps}).
 *
 * <p>The executors build their own instances of the model class from its name (the class must
 * reach them in the user's jar, e.g. {@code spark-submit --jars model.jar}); no live model
 * object is sent. Everything else about training is {@link Trainer}'s: the kept params of the
 * best epoch, stopping ({@link #requestStop()}), divergence, the {@link TrainResult}.
 *
 * <pre>{@code
 * JavaSparkContext sc = new JavaSparkContext(spark.sparkContext());
 * Digits model = new Digits();
 * model.initialize(1);
 * JavaRDD<Block> data = Blocks.csv(spark, "hdfs:///data/digits.csv", Layout.of(model), Blocks.DEFAULT_ROWS);
 * TrainResult r = new SparkTrainer(sc).train(model, Optimizer.of(Optimizer.Kind.ADAM, model, 0.001), data, null,
 *     Scorer.Task.CLASSIFICATION, new Trainer.Config(20, 1024, 1), new TrainListener() {});
 * model.saveParams(Path.of("digits.npz"));
 * }</pre>
 */
public final class SparkTrainer {
  /** The depth of the {@code treeAggregate} of gradients (Spark's default). */
  public static final int DEPTH = 2;

  private final JavaSparkContext sc;
  private final Trainer trainer = new Trainer();

  /** A trainer on {@code sc}'s cluster. */
  public SparkTrainer(JavaSparkContext sc) {
    this.sc = sc;
  }

  /** Asks the running (or next) training to stop after its current step. Thread-safe. */
  public void requestStop() {
    trainer.requestStop();
  }

  /**
   * Trains {@code model} (from its current params) on distributed data, measuring on
   * {@code test} (may be null) after every epoch and at the end (on {@code train} without test
   * data). {@code task} is what the measures are ({@link Scorer#of} may turn it into
   * {@link Scorer.Task#NONE}). Blocks the caller did not persist are read once, then cached
   * (memory, then disk) and checkpointed on the executors while training, so a step reads no
   * file again; an executor lost then fails the training (its blocks cannot be read again).
   */
  public TrainResult train(Model model, Optimizer optimizer, JavaRDD<Block> train, JavaRDD<Block> test,
      Scorer.Task task, Trainer.Config config, TrainListener listener) {
    Scorer.Task measured = Scorer.of(model, task).task();
    boolean cacheTrain = train.getStorageLevel().equals(StorageLevel.NONE());
    boolean cacheTest = test != null && test != train && test.getStorageLevel().equals(StorageLevel.NONE());
    if (cacheTrain) {
      train.rdd().localCheckpoint();           // cached, and later tasks carry no lineage (files, SQL plans)
    }
    if (cacheTest) {
      test.rdd().localCheckpoint();
    }
    try {
      return trainer.train(model, optimizer, steps(model, train, test, measured, config), config.epochs(), listener);
    } finally {
      if (cacheTrain) {
        train.unpersist(false);
      }
      if (cacheTest) {
        test.unpersist(false);
      }
    }
  }

  /**
   * Trains on data held by the driver, computed on the cluster: {@code train} is sent once in
   * blocks of at most {@code blockRows} rows (and cached there); the measures are taken on the
   * driver with {@code scorer}, exactly as {@link Trainer} takes them.
   */
  public TrainResult train(Model model, Optimizer optimizer, Dataset train, Dataset test, Scorer scorer,
      Trainer.Config config, int blockRows, TrainListener listener) {
    JavaRDD<Block> blocks = parallelize(model, train, blockRows);
    try {
      return trainer.train(model, optimizer, steps(model, blocks, train, test, scorer, config), config.epochs(), listener);
    } finally {
      blocks.unpersist(false);
    }
  }

  /** {@code train} (which must have targets if the model has) as cached blocks on the cluster. */
  JavaRDD<Block> parallelize(Model model, Dataset train, int blockRows) {
    if (!train.hasTargets() && !model.targets().isEmpty()) {
      throw new IllegalArgumentException(train.source() + " has no targets to train on");
    }
    return Blocks.parallelize(sc, train, blockRows);
  }

  /** The steps over {@code blocks} of the driver's {@code train}, measured on the driver. */
  StepSource steps(Model model, JavaRDD<Block> blocks, Dataset train, Dataset test, Scorer scorer,
      Trainer.Config config) {
    return new SparkSteps(sc, model, blocks, train.rows(), scorer.task(), config.batchSize(), config.seed(), DEPTH,
        test == null ? null : () -> scorer.evaluate(test), () -> scorer.evaluate(train));
  }

  /**
   * The steps over distributed blocks, measured on the executors as {@code measured}: on
   * {@code test} (may be null) after every epoch, on {@code train} at the end without it. Counts
   * (so reads) both now, which fails on data that does not fit the model.
   */
  StepSource steps(Model model, JavaRDD<Block> train, JavaRDD<Block> test, Scorer.Task measured,
      Trainer.Config config) {
    int rows = countRows(train, Layout.of(model), "training");
    if (test != null) {
      countRows(test, Layout.of(model), "test");
    }
    return new SparkSteps(sc, model, train, rows, measured, config.batchSize(), config.seed(), DEPTH,
        test == null ? null : () -> SparkSteps.score(sc, model, test, measured, DEPTH),
        () -> SparkSteps.score(sc, model, train, measured, DEPTH));
  }

  /** Counts the rows of {@code data} (a Spark job), checking every block has the model's columns. */
  static int countRows(JavaRDD<Block> data, Layout layout, String what) {
    int f = layout.features();
    int t = layout.targets();
    String description = layout.description();
    long rows = data.map(b -> {
      Dataset d = b.asDataset();
      if (d.features() != f || d.targets() != t) {
        throw new IllegalArgumentException(b + " has " + d.features() + " features and " + d.targets()
            + " target values per row but " + description + " needs " + f + " and " + t);
      }
      return (long) b.rows();
    }).fold(0L, Long::sum);
    if (rows == 0) {
      throw new IllegalArgumentException("the " + what + " data has no rows");
    }
    if (rows > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("the " + what + " data has " + rows + " rows; an epoch takes at most "
          + Integer.MAX_VALUE + " (train on a sample per epoch)");
    }
    return (int) rows;
  }
}
