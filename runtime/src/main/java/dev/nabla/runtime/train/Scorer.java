package dev.nabla.runtime.train;

import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Splits;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Measures a model on data: the mean loss, and accuracy for a classifier or R² for a
 * regression.
 *
 * <p><b>Which output.</b> The measured output is the first output (in declaration order) whose
 * per-instance size equals the targets' total width; without one only the loss is measured.
 *
 * <p><b>Classifier or regression</b> ({@link #infer}): a model with a single target is a
 * classifier when every target row of the data is one-hot (width {@code K > 1}: 0s and exactly
 * one 1) or, for a target of width 1 (or a scalar), every target value is 0 or 1; otherwise it is
 * a regression. Data without targets counts as a classifier for {@code K > 1} and as a
 * regression for width 1. Callers may override the inference.
 *
 * <p><b>Measures.</b> The predicted class is the index of the largest output ({@code K > 1}, the
 * first on ties) or {@code output >= 0.5} (width 1); the true class is the index of the target's
 * 1 (or {@code target >= 0.5}). Accuracy is the fraction of instances where they agree. R² is
 * {@code 1 - sum (d - y)² / sum (d - mean d)²} per target column, averaged over the columns whose
 * targets are not constant (as scikit-learn's {@code r2_score} does), with the mean of the
 * measured data.
 */
public final class Scorer {
  /** What the model's output is measured as. */
  public enum Task {
    /** Accuracy. */
    CLASSIFICATION,
    /** R². */
    REGRESSION,
    /** Loss only. */
    NONE;

    /** {@code "accuracy"}, {@code "R2"}, or {@code "loss"}. */
    public String metricName() {
      return switch (this) {
        case CLASSIFICATION -> "accuracy";
        case REGRESSION -> "R2";
        case NONE -> "loss";
      };
    }

    /** The name on the command line. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Instances per forward pass when measuring. */
  public static final int EVAL_BATCH = 256;

  private final Model model;
  private final Task task;
  private final String output;
  private final String target;
  private final int width;
  private final Feeder feeder;
  private final Map<Integer, ModelRun> runs = new HashMap<>();
  private final Views outputView;
  private final Views targetView;

  private Scorer(Model model, Task task, String output) {
    this.model = model;
    this.task = output == null ? Task.NONE : task;
    this.output = output;
    this.target = model.targets().isEmpty() ? null : model.targets().getFirst().name();
    this.width = model.targets().stream().mapToInt(TensorSpec::size).sum();
    this.feeder = new Feeder(model);
    this.outputView = new Views(Views.Kind.OUTPUT, output == null ? new String[0] : new String[] {output});
    this.targetView = new Views(Views.Kind.INPUT, target == null ? new String[0] : new String[] {target});
  }

  /**
   * A scorer for {@code task}. A classifier needs a single target; without an output of the
   * targets' width, or for a classifier with several targets, the task becomes {@link Task#NONE}.
   */
  public static Scorer of(Model model, Task task) {
    String out = outputFor(model);
    if (task == Task.CLASSIFICATION && model.targets().size() != 1) {
      out = null;
    }
    return new Scorer(model, task, out);
  }

  /** The first output whose size is the targets' total width, or null. */
  public static String outputFor(Model model) {
    int t = model.targets().stream().mapToInt(TensorSpec::size).sum();
    if (t == 0) {
      return null;
    }
    for (TensorSpec o : model.outputs()) {
      if (o.size() == t) {
        return o.name();
      }
    }
    return null;
  }

  /** The task the data suggests (see the class comment). */
  public static Task infer(Model model, Dataset... parts) {
    int t = model.targets().stream().mapToInt(TensorSpec::size).sum();
    if (t == 0 || outputFor(model) == null) {
      return Task.NONE;
    }
    if (model.targets().size() != 1) {
      return Task.REGRESSION;
    }
    boolean any = false;
    for (Dataset d : parts) {
      if (d == null || !d.hasTargets()) {
        continue;
      }
      any = true;
      float[] y = d.y();
      for (int r = 0; r < d.rows(); r++) {
        int ones = 0;
        for (int j = 0; j < t; j++) {
          float v = y[r * t + j];
          if (v == 1f) {
            ones++;
          } else if (v != 0f) {
            return Task.REGRESSION;
          }
        }
        if (t > 1 && ones != 1) {
          return Task.REGRESSION;
        }
      }
    }
    return any || t > 1 ? Task.CLASSIFICATION : Task.REGRESSION;
  }

  /** The task measured. */
  public Task task() {
    return task;
  }

  /** The measured output, or null. */
  public String output() {
    return output;
  }

  /** The predicted class of instance {@code i} of an output buffer {@code [B, K]} (or {@code [B]} / {@code [B, 1]}). */
  public static int predictedClass(NdArray out, int i, int k) {
    if (k == 1) {
      return out.getDouble(i) >= 0.5 ? 1 : 0;
    }
    int best = 0;
    double max = out.getDouble(i * k);
    for (int j = 1; j < k; j++) {
      double v = out.getDouble(i * k + j);
      if (v > max) {
        max = v;
        best = j;
      }
    }
    return best;
  }

  /** For a classifier after {@code run.forward()}: how many of the run's instances are classified right. */
  public int correct(ModelRun run) {
    if (task != Task.CLASSIFICATION) {
      return 0;
    }
    return correct(run, outputView.of(run)[0], targetView.of(run)[0]);
  }

  private int correct(ModelRun run, NdArray out, NdArray d) {
    int n = 0;
    for (int i = 0; i < run.batchSize(); i++) {
      if (predictedClass(out, i, width) == predictedClass(d, i, width)) {
        n++;
      }
    }
    return n;
  }

  /** Measures the model's current params on {@code data}. */
  public Score evaluate(Dataset data) {
    int n = data.rows();
    if (n == 0) {
      return new Score(Double.NaN, Double.NaN, 0);
    }
    int[] order = Splits.identity(n);
    int e = Math.min(EVAL_BATCH, n);
    // The loss needs every target of the model: a model without targets (a language model whose
    // loss compares each step's prediction with the next input) always has them.
    boolean targets = data.hasTargets() || model.targets().isEmpty();
    double lossSum = 0;
    long correct = 0;
    double[] mean = new double[width];
    double[] ssTot = new double[width];
    double[] ssRes = new double[width];
    if (targets && task == Task.REGRESSION) {
      float[] y = data.y();
      for (int r = 0; r < n; r++) {
        for (int j = 0; j < width; j++) {
          mean[j] += y[r * width + j];
        }
      }
      for (int j = 0; j < width; j++) {
        mean[j] /= n;
      }
      for (int r = 0; r < n; r++) {
        for (int j = 0; j < width; j++) {
          double dv = y[r * width + j] - mean[j];
          ssTot[j] += dv * dv;
        }
      }
    }
    for (int from = 0; from < n; from += e) {
      int size = Math.min(e, n - from);
      ModelRun run = runs.computeIfAbsent(size, model::newRun);
      feeder.fill(run, data, order, from);
      double loss = run.forward();
      lossSum += loss * size;
      if (!targets) {
        continue;
      }
      if (task == Task.CLASSIFICATION) {
        correct += correct(run, run.output(output), run.input(target));
      } else if (task == Task.REGRESSION) {
        NdArray out = run.output(output);
        float[] y = data.y();
        for (int i = 0; i < size; i++) {
          for (int j = 0; j < width; j++) {
            double dv = y[(from + i) * width + j] - out.getDouble(i * width + j);
            ssRes[j] += dv * dv;
          }
        }
      }
    }
    double metric = Double.NaN;
    if (targets && task == Task.CLASSIFICATION) {
      metric = (double) correct / n;
    } else if (targets && task == Task.REGRESSION) {
      double sum = 0;
      int cols = 0;
      for (int j = 0; j < width; j++) {
        if (ssTot[j] > 0) {
          sum += 1 - ssRes[j] / ssTot[j];
          cols++;
        }
      }
      metric = cols == 0 ? Double.NaN : sum / cols;
    }
    return new Score(targets ? lossSum / n : Double.NaN, metric, n);
  }
}
