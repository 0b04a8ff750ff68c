package dev.nabla.spark;

import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.train.Optimizer;
import dev.nabla.runtime.train.Scorer;
import dev.nabla.runtime.train.StepSource;
import dev.nabla.runtime.train.TrainListener;
import dev.nabla.runtime.train.Trainer;
import dev.nabla.runtime.Model;
import dev.nabla.spark.models.Digits;
import dev.nabla.spark.models.Wide;
import java.util.function.Supplier;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The figures of docs/spark.md's cost model: the time of one full-batch gradient step of the
 * Digits model (2,410 params, double; or Wide, 307,210 params, with a fourth argument
 * {@code wide}) over {@code rows} synthetic rows, in this JVM
 * ({@link Trainer}'s runs) and on Spark at {@code master}, and Spark's fixed cost per step (the
 * same step over one row per core). Medians of {@code reps} steps after warm-up. Not a test: run
 * it as docs/spark.md says.
 *
 * <pre>java -Dnabla.threads=1 -cp ... dev.nabla.spark.SparkStepBenchmark local[2] 100000 20</pre>
 */
public final class SparkStepBenchmark {
  private SparkStepBenchmark() {}

  public static void main(String[] args) {
    String master = args[0];
    int rows = Integer.parseInt(args[1]);
    int reps = Integer.parseInt(args[2]);
    Supplier<Model> factory = args.length > 3 && args[3].equals("wide") ? Wide::new : Digits::new;
    Dataset data = TestData.digits(rows, 1);

    Model single = factory.get();
    single.initialize(1);
    double local = median(reps, () -> new Trainer().train(single, Optimizer.sgd(single, 1e-3), data, null,
        Scorer.of(single, Scorer.Task.NONE), new Trainer.Config(1, rows, 1), new TrainListener() {}));

    SparkConf conf = new SparkConf().setMaster(master).setAppName("nabla step benchmark")
        .set("spark.ui.enabled", "false");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      sc.setLogLevel("WARN");
      Model model = factory.get();
      model.initialize(1);
      double spark = sparkStep(sc, model, data, reps);
      double fixed = sparkStep(sc, model, TestData.digits(sc.defaultParallelism(), 2), reps);
      long params = Params.of(model).size();
      System.out.printf(Locale.ROOT,
          "%s %s: %d rows, %d params (%d bytes broadcast per executor); ms per full-batch step: one JVM %.2f, spark %.2f,"
              + " spark fixed cost (1 row per core) %.2f%n",
          model.name(), master, rows, params, params * 8, local, spark, fixed);
    }
  }

  private static double sparkStep(JavaSparkContext sc, Model model, Dataset data, int reps) {
    JavaRDD<Block> blocks = Blocks.parallelize(sc, data, Blocks.DEFAULT_ROWS);
    StepSource steps = new SparkSteps(sc, model, blocks, data.rows(), Scorer.Task.NONE, data.rows(), 1,
        SparkTrainer.DEPTH, null, () -> null);
    steps.startEpoch(1);
    double ms = median(reps, () -> {
      steps.step(0);
      NdArray[] g = steps.gradients();
      if (g.length == 0) {
        throw new AssertionError();
      }
    });
    blocks.unpersist(true);
    return ms;
  }

  private static double median(int reps, Runnable step) {
    for (int i = 0; i < Math.max(3, reps / 4); i++) {
      step.run();
    }
    double[] t = new double[reps];
    for (int i = 0; i < reps; i++) {
      long start = System.nanoTime();
      step.run();
      t[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(t);
    return t[reps / 2];
  }
}
