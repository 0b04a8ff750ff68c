package dev.nabla.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.runtime.Model;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Layout;
import dev.nabla.runtime.train.EpochStats;
import dev.nabla.runtime.train.Optimizer;
import dev.nabla.runtime.train.Score;
import dev.nabla.runtime.train.Scorer;
import dev.nabla.runtime.train.TrainListener;
import dev.nabla.runtime.train.TrainResult;
import dev.nabla.runtime.train.Trainer;
import dev.nabla.spark.models.Digits;
import dev.nabla.spark.models.Iris;
import dev.nabla.spark.models.Regression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark trainer in {@code local[2]} against the single-JVM {@link Trainer}: full-batch steps
 * give the same losses and params up to rounding (the order of the sums differs, and task results
 * merge in completion order); mini-batch training learns as well.
 */
class SparkTrainerTest {
  private static final double CLOSE = 1e-9;

  private final JavaSparkContext sc = LocalSpark.context();

  @Test
  void fullBatchStepsMatchTheSingleMachineTrainerForEveryOptimizer() {
    Dataset train = TestData.blobs(300, 1);
    Dataset test = TestData.blobs(90, 2);
    for (Optimizer.Kind kind : Optimizer.Kind.values()) {
      Trainer.Config config = new Trainer.Config(4, 1000, 7);     // batch >= rows: one full-batch step per epoch
      Iris local = new Iris();
      local.initialize(7);
      Scorer scorer = Scorer.of(local, Scorer.Task.CLASSIFICATION);
      TrainResult expected = new Trainer().train(local, Optimizer.of(kind, local, 0.05).clipNorm(5), train, test, scorer,
          config, new TrainListener() {});

      Iris distributed = new Iris();
      distributed.initialize(7);
      // blocks of 64 rows: 5 blocks over 2 partitions, merged in whatever order they finish
      JavaRDD<Block> blocks = sc.parallelize(Blocks.of(train, 64), 2);
      JavaRDD<Block> testBlocks = sc.parallelize(Blocks.of(test, 64), 2);
      TrainResult actual = new SparkTrainer(sc).train(distributed, Optimizer.of(kind, distributed, 0.05).clipNorm(5),
          blocks, testBlocks, Scorer.Task.CLASSIFICATION, config, new TrainListener() {});

      assertSameHistory(actual, expected);
      assertSameParams(distributed, local);
      assertThat(actual.finalScore().metric()).as(kind.cliName()).isEqualTo(expected.finalScore().metric());
      assertThat(actual.finalScore().loss()).isCloseTo(expected.finalScore().loss(), within(CLOSE));
    }
  }

  @Test
  void theDriversHyperparametersAndParamOnlyLossTermsReachTheExecutors() {
    Dataset train = TestData.digits(150, 4);
    Trainer.Config config = new Trainer.Config(3, 150, 2);
    Digits local = new Digits();
    local.initialize(2);
    local.setHyper("lambda", 0.5);                               // far from its default 1e-4
    TrainResult expected = new Trainer().train(local, Optimizer.sgd(local, 0.1), train, null,
        Scorer.of(local, Scorer.Task.CLASSIFICATION), config, new TrainListener() {});
    Digits distributed = new Digits();
    distributed.initialize(2);
    distributed.setHyper("lambda", 0.5);
    TrainResult actual = new SparkTrainer(sc).train(distributed, Optimizer.sgd(distributed, 0.1),
        sc.parallelize(Blocks.of(train, 40), 2), null, Scorer.Task.CLASSIFICATION, config, new TrainListener() {});
    assertSameHistory(actual, expected);
    assertSameParams(distributed, local);
  }

  @Test
  void dataOnTheDriverGivesTheTrainersMeasuresExactly() {
    Dataset train = TestData.line(200, 3);
    Dataset test = TestData.line(50, 4);
    Trainer.Config config = new Trainer.Config(5, 500, 1);
    Regression local = new Regression();
    local.initialize(1);
    Scorer scorer = Scorer.of(local, Scorer.Task.REGRESSION);
    TrainResult expected = new Trainer().train(local, Optimizer.sgd(local, 0.1), train, test, scorer, config,
        new TrainListener() {});
    Regression distributed = new Regression();
    distributed.initialize(1);
    List<String> progress = new ArrayList<>();
    TrainResult actual = new SparkTrainer(sc).train(distributed, Optimizer.sgd(distributed, 0.1), train, test,
        Scorer.of(distributed, Scorer.Task.REGRESSION), config, 32, new TrainListener() {
          @Override
          public void stepFinished(int epoch, int step, int steps, double meanLoss) {
            progress.add(epoch + "/" + step + "/" + steps);
          }
        });
    assertSameHistory(actual, expected);
    assertSameParams(distributed, local);
    assertThat(progress).containsExactly("1/1/1", "2/1/1", "3/1/1", "4/1/1", "5/1/1");
    assertThat(actual.finalScore().metric()).isCloseTo(expected.finalScore().metric(), within(CLOSE));
  }

  @Test
  void distributedMeasuresAreTheScorersOnRegressionAndClassification() {
    Regression r = new Regression();
    r.initialize(2);
    r.param("W").fill(0.3);
    Dataset line = TestData.line(301, 5);
    Score expected = Scorer.of(r, Scorer.Task.REGRESSION).evaluate(line);
    Score actual = SparkSteps.score(sc, r, sc.parallelize(Blocks.of(line, 40), 3), Scorer.Task.REGRESSION, 2);
    assertThat(actual.rows()).isEqualTo(301);
    assertThat(actual.loss()).isCloseTo(expected.loss(), within(CLOSE));
    assertThat(actual.metric()).isCloseTo(expected.metric(), within(CLOSE));

    Iris iris = new Iris();
    iris.initialize(3);
    Dataset blobs = TestData.blobs(301, 6);
    Score c = Scorer.of(iris, Scorer.Task.CLASSIFICATION).evaluate(blobs);
    Score d = SparkSteps.score(sc, iris, sc.parallelize(Blocks.of(blobs, 40), 3), Scorer.Task.CLASSIFICATION, 2);
    assertThat(d.metric()).isEqualTo(c.metric());
    assertThat(d.loss()).isCloseTo(c.loss(), within(CLOSE));
  }

  @Test
  void miniBatchesLearnAsWellAsOnOneMachine() {
    Dataset train = TestData.blobs(600, 8);
    Dataset test = TestData.blobs(150, 9);
    Trainer.Config config = new Trainer.Config(8, 32, 1);
    Iris local = new Iris();
    local.initialize(1);
    TrainResult single = new Trainer().train(local, Optimizer.adam(local, 0.05, 0.9, 0.999, 1e-8), train, test,
        Scorer.of(local, Scorer.Task.CLASSIFICATION), config, new TrainListener() {});

    Iris distributed = new Iris();
    distributed.initialize(1);
    List<Integer> rowsPerEpoch = new ArrayList<>();
    TrainResult spark = new SparkTrainer(sc).train(distributed, Optimizer.adam(distributed, 0.05, 0.9, 0.999, 1e-8),
        Blocks.parallelize(sc, train, 128), Blocks.parallelize(sc, test, 128), Scorer.Task.CLASSIFICATION, config,
        new TrainListener() {
          @Override
          public void epochStarted(int epoch, int epochs, int steps) {
            rowsPerEpoch.add(steps);
          }
        });
    assertThat(rowsPerEpoch).containsOnly(19);                    // ceil(600 / 32) steps, as on one machine
    List<EpochStats> h = spark.history();
    assertThat(h.getLast().trainLoss()).isLessThan(h.getFirst().trainLoss() * 0.8);
    assertThat(spark.finalScore().metric()).isGreaterThan(0.8)
        .isCloseTo(single.finalScore().metric(), within(0.03));
  }

  @Test
  void aSparkJobTrainsOnCsvFilesReadByTheExecutors(@TempDir Path dir) throws IOException {
    // the Java API as docs/spark.md shows it: CSV (any Hadoop file system) -> blocks -> SparkTrainer
    writeCsv(dir.resolve("train.csv"), TestData.blobs(400, 11));
    writeCsv(dir.resolve("test.csv"), TestData.blobs(100, 12));
    Iris model = new Iris();
    model.initialize(1);
    SparkSession spark = LocalSpark.session();
    JavaRDD<Block> train = Blocks.csv(spark, dir.resolve("train.csv").toUri().toString(), Layout.of(model), 64);
    JavaRDD<Block> test = Blocks.csv(spark, dir.resolve("test.csv").toUri().toString(), Layout.of(model), 64);
    TrainResult r = new SparkTrainer(sc).train(model, Optimizer.adam(model, 0.05, 0.9, 0.999, 1e-8), train, test,
        Scorer.Task.CLASSIFICATION, new Trainer.Config(4, 100, 1), new TrainListener() {});
    assertThat(r.finalOnTest()).isTrue();
    assertThat(r.finalScore().rows()).isEqualTo(100);
    assertThat(r.history().getLast().trainLoss()).isLessThan(r.history().getFirst().trainLoss());
    assertThat(r.finalScore().metric()).isGreaterThan(0.8);
  }

  /** The rows as CSV lines: the features, then the class label (the index of the one-hot 1). */
  private static void writeCsv(Path file, Dataset d) throws IOException {
    StringBuilder sb = new StringBuilder("x1,x2,x3,x4,class\n");
    for (int r = 0; r < d.rows(); r++) {
      for (int j = 0; j < d.features(); j++) {
        sb.append(d.x()[r * d.features() + j]).append(',');
      }
      int label = 0;
      while (d.y()[r * d.targets() + label] != 1) {
        label++;
      }
      sb.append(label).append('\n');
    }
    Files.writeString(file, sb);
  }

  static void assertSameHistory(TrainResult actual, TrainResult expected) {
    assertThat(actual.history()).hasSameSizeAs(expected.history());
    for (int i = 0; i < expected.history().size(); i++) {
      EpochStats a = actual.history().get(i);
      EpochStats e = expected.history().get(i);
      assertThat(a.trainLoss()).as("epoch %d train loss", i + 1).isCloseTo(e.trainLoss(), within(CLOSE));
      assertThat(a.testLoss()).as("epoch %d test loss", i + 1).isCloseTo(e.testLoss(), within(CLOSE));
      if (Double.isNaN(e.trainMetric())) {
        assertThat(a.trainMetric()).isNaN();
      } else {
        assertThat(a.trainMetric()).isCloseTo(e.trainMetric(), within(CLOSE));
      }
      assertThat(a.testMetric()).isCloseTo(e.testMetric(), within(CLOSE));
    }
    assertThat(actual.bestEpoch()).isEqualTo(expected.bestEpoch());
  }

  static void assertSameParams(Model actual, Model expected) {
    for (TensorSpec p : expected.params()) {
      NdArray e = expected.param(p.name());
      NdArray a = actual.param(p.name());
      for (int i = 0; i < e.size(); i++) {
        assertThat(a.getDouble(i)).as("%s[%d]", p.name(), i).isCloseTo(e.getDouble(i), within(CLOSE));
      }
    }
  }
}
