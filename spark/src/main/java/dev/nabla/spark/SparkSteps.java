package dev.nabla.spark;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import dev.nabla.runtime.train.Score;
import dev.nabla.runtime.train.Scorer;
import dev.nabla.runtime.train.StepSource;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The driver side of a data-parallel training step, as a {@link StepSource} for the runtime's
 * {@link dev.nabla.runtime.train.Trainer} (which keeps the loop and the {@link
 * dev.nabla.runtime.train.Optimizer} step on the driver): broadcast the params, let every block
 * add its share of the batch's gradient sum where it lies ({@link Worker#addStep}), sum the
 * shares with {@code treeAggregate}, divide by the batch's rows.
 *
 * <p>An epoch has {@code ceil(rows / B)} steps, as in {@code Trainer}; each takes about
 * {@code B} rows, a slice of every block (see {@link Worker#addStep}), and every row once per
 * epoch. With {@code B >= rows} (full batch) every step is one gradient over all the data,
 * which is {@code Trainer}'s full-batch step up to rounding.
 */
final class SparkSteps implements StepSource {
  private final JavaSparkContext sc;
  private final Model model;
  private final String className;
  private final JavaRDD<Block> train;
  private final Scorer.Task task;
  private final int rows;
  private final int steps;
  private final long seed;
  private final int depth;
  private final NdArray[] gradients;
  private final Supplier<Score> test;
  private final Supplier<Score> last;
  private int epoch;
  private int stepRows;
  private long stepCorrect;

  /**
   * @param rows the training rows (counted once by the caller)
   * @param test measures on the test data, or null without
   * @param last measures at the end when there is no test data
   */
  SparkSteps(JavaSparkContext sc, Model model, JavaRDD<Block> train, int rows, Scorer.Task task, int batch, long seed,
      int depth, Supplier<Score> test, Supplier<Score> last) {
    this.sc = sc;
    this.model = model;
    this.className = model.getClass().getName();
    this.train = train;
    this.task = task;
    this.rows = rows;
    int b = Math.min(batch, rows);
    this.steps = (rows + b - 1) / b;
    this.seed = seed;
    this.depth = depth;
    List<TensorSpec> specs = model.params();
    gradients = new NdArray[specs.size()];
    DType dtype = model.dtype();
    for (int i = 0; i < gradients.length; i++) {
      gradients[i] = NdArray.zeros(dtype, specs.get(i).shape());
    }
    this.test = test;
    this.last = last;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int steps() {
    return steps;
  }

  @Override
  public Scorer.Task task() {
    return task;
  }

  @Override
  public void startEpoch(int epoch) {
    this.epoch = epoch;
  }

  @Override
  public double step(int step) {
    Broadcast<Params> params = sc.broadcast(Params.of(model));
    try {
      String cls = className;
      Scorer.Task t = task;
      Schedule schedule = new Schedule(epoch, step, steps, seed);
      GradientSum sum = train.treeAggregate(new GradientSum(),
          (acc, block) -> Worker.of(cls).addStep(acc, block, params.value(), t, schedule),
          GradientSum::merge, depth);
      stepRows = Math.toIntExact(sum.rows);
      stepCorrect = sum.correct;
      sum.meanInto(gradients);
      return sum.rows == 0 ? 0 : sum.loss / sum.rows;
    } finally {
      params.destroy();
    }
  }

  @Override
  public int stepRows() {
    return stepRows;
  }

  @Override
  public long stepCorrect() {
    return stepCorrect;
  }

  @Override
  public NdArray[] gradients() {
    return gradients;
  }

  @Override
  public boolean hasTest() {
    return test != null;
  }

  @Override
  public Score evaluateTest() {
    return test.get();
  }

  @Override
  public Score evaluateFinal() {
    return test != null ? test.get() : last.get();
  }

  /** Measures {@code model}'s current params on distributed data, as {@link Scorer#evaluate} does. */
  static Score score(JavaSparkContext sc, Model model, JavaRDD<Block> data, Scorer.Task task, int depth) {
    Broadcast<Params> params = sc.broadcast(Params.of(model));
    try {
      String cls = model.getClass().getName();
      return data.treeAggregate(new ScoreSum(),
          (acc, block) -> Worker.of(cls).addScore(acc, block, params.value(), task),
          ScoreSum::merge, depth).score(task);
    } finally {
      params.destroy();
    }
  }
}
