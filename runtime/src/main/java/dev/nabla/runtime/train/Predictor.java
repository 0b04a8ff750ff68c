package dev.nabla.runtime.train;

import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import dev.nabla.runtime.data.Data;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Splits;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a model forward on data with its current params: outputs, predicted classes, measures.
 *
 * <pre>{@code
 * Predictor predictor = new Predictor(model);
 * double[][] y = predictor.predict(data);          // the first output, one row per instance
 * int[] classes = predictor.classes(data);         // a classifier's predicted classes
 * double[] one = predictor.predict(5.1, 3.5, 1.4, 0.2);
 * Score score = predictor.evaluate(test);          // loss, and accuracy or R²
 * }</pre>
 *
 * Data is fed {@value Scorer#EVAL_BATCH} rows at a time; targets in the data are never fed to the
 * outputs (they only matter for {@link #evaluate}). Standardise the data as the training data was
 * before predicting. Not thread-safe: use one Predictor per thread.
 */
public final class Predictor {
  /** Receives the run of each batch after its forward pass. */
  @FunctionalInterface
  public interface BatchConsumer<E extends Exception> {
    /**
     * Rows {@code first .. first + run.batchSize()} of the data went through {@code run}; read
     * its outputs with {@link ModelRun#output(String)}.
     */
    void accept(ModelRun run, int first) throws E;
  }

  private final Model model;
  private final Feeder feeder;
  private final Map<Integer, ModelRun> runs = new HashMap<>();

  /** A predictor for {@code model} (an instance of a generated model class). */
  public Predictor(Model model) {
    this.model = Objects.requireNonNull(model, "model");
    this.feeder = new Feeder(model);
  }

  /** Runs every row of {@code data} forward, in batches, in row order, handing each batch's run to {@code consumer}. */
  public <E extends Exception> void forEachBatch(Dataset data, BatchConsumer<E> consumer) throws E {
    int n = data.rows();
    int[] order = Splits.identity(n);
    for (int from = 0; from < n; from += Scorer.EVAL_BATCH) {
      int size = Math.min(Scorer.EVAL_BATCH, n - from);
      ModelRun run = runs.computeIfAbsent(size, model::newRun);
      feeder.fill(run, data, order, from);
      run.forward();
      consumer.accept(run, from);
    }
  }

  /** The model's first output for every row: {@code [rows][output size]}. */
  public double[][] predict(Dataset data) {
    return predict(data, model.outputs().getFirst().name());
  }

  /** The named output for every row: {@code [rows][output size]}. */
  public double[][] predict(Dataset data, String output) {
    TensorSpec spec = model.outputs().stream().filter(o -> o.name().equals(output)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("model " + model.name() + " has no output '" + output + "'"));
    int width = spec.size();
    double[][] out = new double[data.rows()][width];
    forEachBatch(data, (run, first) -> {
      NdArray a = run.output(output);
      for (int i = 0; i < run.batchSize(); i++) {
        for (int j = 0; j < width; j++) {
          out[first + i][j] = a.getDouble(i * width + j);
        }
      }
    });
    return out;
  }

  /** The first output for one row of input values (the inputs flattened in declaration order). */
  public double[] predict(double... features) {
    return predict(Data.of(model, new double[][] {features}))[0];
  }

  /**
   * A classifier's predicted class for every row: the index of the largest value of the output
   * the targets are measured on (or {@code output >= 0.5} for a width-1 output); see
   * {@link Scorer}.
   */
  public int[] classes(Dataset data) {
    String output = Scorer.outputFor(model);
    if (output == null) {
      throw new IllegalStateException("model " + model.name() + " has no output of its targets' width to classify by");
    }
    int k = model.targets().stream().mapToInt(TensorSpec::size).sum();
    int[] classes = new int[data.rows()];
    forEachBatch(data, (run, first) -> {
      NdArray a = run.output(output);
      for (int i = 0; i < run.batchSize(); i++) {
        classes[first + i] = Scorer.predictedClass(a, i, k);
      }
    });
    return classes;
  }

  /** The mean loss, and accuracy or R² (inferred from the targets, see {@link Scorer#infer}), on {@code data}. */
  public Score evaluate(Dataset data) {
    return Scorer.of(model, Scorer.infer(model, data)).evaluate(data);
  }
}
