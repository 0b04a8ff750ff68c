package dev.nabla.runtime.train;

import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.Rng;
import dev.nabla.runtime.TensorSpec;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Splits;

/**
 * The steps of {@link Trainer} in this JVM: batches of {@code B} rows in a fresh seeded order each
 * epoch (see the rules in {@link Trainer}), run forward and backward on runs allocated once.
 */
final class LocalSteps implements StepSource {
  private final Dataset train;
  private final Dataset test;
  private final Scorer scorer;
  private final int rows;
  private final int batch;
  private final int full;
  private final int steps;
  private final ModelRun run;
  private final ModelRun last;
  private final Feeder feeder;
  private final int[] order;
  private final Rng shuffle;
  private final Views gradients;
  private final boolean classifier;
  private ModelRun current;
  private long correct;

  LocalSteps(Model model, Dataset train, Dataset test, Scorer scorer, Trainer.Config config) {
    this.train = train;
    this.test = test;
    this.scorer = scorer;
    rows = train.rows();
    batch = Math.min(config.batchSize(), rows);
    full = rows / batch;
    int rest = rows % batch;
    steps = full + (rest > 0 ? 1 : 0);
    run = model.newRun(batch);
    last = rest > 0 ? model.newRun(rest) : null;
    feeder = new Feeder(model);
    order = Splits.identity(rows);
    shuffle = Rng.forStream(config.seed(), "shuffle");
    gradients = new Views(Views.Kind.GRADIENT, model.params().stream().map(TensorSpec::name).toArray(String[]::new));
    classifier = scorer.task() == Scorer.Task.CLASSIFICATION;
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
    return scorer.task();
  }

  @Override
  public void startEpoch(int epoch) {
    Splits.shuffle(order, shuffle);
  }

  @Override
  public double step(int s) {
    current = s < full ? run : last;
    feeder.fill(current, train, order, s * batch);
    double loss = current.forward();
    if (!Double.isFinite(loss)) {
      return loss;
    }
    correct = classifier ? scorer.correct(current) : 0;
    current.backward();
    return loss;
  }

  @Override
  public int stepRows() {
    return current.batchSize();
  }

  @Override
  public long stepCorrect() {
    return correct;
  }

  @Override
  public NdArray[] gradients() {
    return gradients.of(current);
  }

  @Override
  public boolean hasTest() {
    return test != null;
  }

  @Override
  public Score evaluateTest() {
    return scorer.evaluate(test);
  }

  @Override
  public Score evaluateFinal() {
    return scorer.evaluate(test != null ? test : train);
  }
}
