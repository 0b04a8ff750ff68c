package dev.nabla.compiler.pipeline;

import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The check {@code nabla check} and the Maven plugin's {@code check} goal make: a model's
 * generated gradients (in double precision) against central finite differences, on freshly
 * initialised params and a random batch.
 */
public final class GradientChecks {
  private GradientChecks() {}

  /** Initialises {@code model} with {@code seed}, fills a random batch of {@code batch} and checks every gradient. */
  public static List<GradientCheck.Result> run(Model model, long seed, int batch) {
    return run(model, seed, batch, (name, done, total) -> { });
  }

  /** {@link #run(Model, long, int)}, telling {@code progress} after each checked entry. */
  public static List<GradientCheck.Result> run(Model model, long seed, int batch, GradientCheck.Progress progress) {
    model.initialize(seed);
    ModelRun run = model.newRun(Math.max(1, batch));
    randomBatch(model, run, seed);
    return GradientCheck.check(model, run, GradientCheck.DEFAULT_STEP, GradientCheck.DEFAULT_FLOOR, progress);
  }

  /**
   * A random batch: inputs uniform in [-1, 1]; a target of width > 1 one-hot (a classifier's
   * label), a scalar or width-1 target uniform in (0, 1) (a probability).
   */
  public static void randomBatch(Model model, ModelRun run, long seed) {
    SplittableRandom random = new SplittableRandom(seed * 31 + 7);
    for (TensorSpec in : model.inputs()) {
      NdArray a = run.input(in.name());
      for (int i = 0; i < a.size(); i++) {
        a.setDouble(i, random.nextDouble(-1, 1));
      }
    }
    for (TensorSpec t : model.targets()) {
      NdArray a = run.input(t.name());
      int width = a.size() / run.batchSize();
      for (int b = 0; b < run.batchSize(); b++) {
        int hot = random.nextInt(width);
        for (int j = 0; j < width; j++) {
          a.setDouble(b * width + j, width > 1 ? (j == hot ? 1 : 0) : random.nextDouble(0.05, 0.95));
        }
      }
    }
  }
}
