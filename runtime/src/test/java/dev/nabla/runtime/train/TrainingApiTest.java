package dev.nabla.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.data.Data;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Splits;
import dev.nabla.runtime.data.Standardizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user-facing API: {@link Data}, {@link Training}, {@link Predictor}. */
class TrainingApiTest {
  /** Rows of y = 2 x0 - x1 + 0.5, x uniform in [-1, 1). */
  static Dataset line(Linear model, int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[rows][2];
    double[][] y = new double[rows][1];
    for (int i = 0; i < rows; i++) {
      x[i][0] = r.nextDouble(-1, 1);
      x[i][1] = r.nextDouble(-1, 1);
      y[i][0] = 2 * x[i][0] - x[i][1] + 0.5;
    }
    return Data.of(model, x, y);
  }

  @Test
  void fitTrainsWithTheConfiguredSettingsCallsBackEveryEpochAndPredicts() {
    Linear model = new Linear(2, 1, DType.F64);
    Splits.Split parts = Data.split(line(model, 200, 5), 0.25, 1);
    List<EpochStats> seen = new ArrayList<>();
    TrainResult result = Training.of(model).data(parts.train()).testData(parts.test())
        .optimizer(Optimizer.Kind.SGD).learningRate(0.1).epochs(40).batch(8).seed(3)
        .onEpoch(seen::add).fit();
    assertThat(result.history()).hasSize(40).isEqualTo(seen);
    assertThat(result.finalOnTest()).isTrue();
    assertThat(result.finalScore().metric()).as("R2 on the test part").isGreaterThan(0.999);
    Predictor predictor = new Predictor(model);
    assertThat(predictor.predict(0.5, -0.5)[0]).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.02));
    double[][] all = predictor.predict(parts.test());
    assertThat(all).hasNumberOfRows(parts.test().rows());
    assertThat(all[0]).hasSize(1);
    assertThat(predictor.evaluate(parts.test()).metric()).isEqualTo(result.finalScore().metric());
  }

  @Test
  void fitIsTheTrainerUnderneathBitForBit() {
    Linear a = new Linear(2, 1, DType.F32);
    Linear b = new Linear(2, 1, DType.F32);
    Dataset data = line(a, 50, 9);
    Training.of(a).data(data).optimizer(Optimizer.Kind.ADAM).learningRate(0.05).epochs(5).batch(7).seed(11).fit();
    b.initialize(11);
    new Trainer().train(b, Optimizer.adam(b, 0.05, Optimizer.BETA1, Optimizer.BETA2, Optimizer.EPSILON), data, null,
        Scorer.of(b, Scorer.Task.REGRESSION), new Trainer.Config(5, 7, 11), new TrainListener() {});
    assertThat(a.w.toDoubles()).isEqualTo(b.w.toDoubles());
    assertThat(a.b.toDoubles()).isEqualTo(b.b.toDoubles());
  }

  @Test
  void labelsBecomeOneHotTargetsAndClassesArePredicted() {
    Linear model = new Linear(2, 2, DType.F64);
    double[][] x = new double[90][2];
    int[] labels = new int[90];
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < 90; i++) {
      labels[i] = i % 2;
      x[i][0] = (labels[i] == 1 ? 1 : -1) * r.nextDouble(0.5, 1);   // the class is the sign of x0
      x[i][1] = r.nextDouble(-1, 1);
    }
    Dataset data = Data.of(model, x, labels);
    assertThat(data.fromLabels()).isTrue();
    assertThat(data.y()).startsWith(1f, 0f, 0f, 1f);
    TrainResult result = Training.of(model).data(data).learningRate(0.05).epochs(60).batch(10).fit();
    assertThat(Training.of(model).data(data).scorer().task()).isEqualTo(Scorer.Task.CLASSIFICATION);
    assertThat(result.finalScore().metric()).isGreaterThan(0.9);
    int[] predicted = new Predictor(model).classes(data);
    int right = 0;
    for (int i = 0; i < predicted.length; i++) {
      right += predicted[i] == labels[i] ? 1 : 0;
    }
    assertThat((double) right / predicted.length).isEqualTo(result.finalScore().metric());
  }

  @Test
  void filesAreReadForTheModelAndStandardisedWithTheTrainingPart(@TempDir Path dir) throws IOException {
    Linear model = new Linear(2, 1, DType.F64);
    Path csv = dir.resolve("line.csv");
    Files.writeString(csv, "a,b,y\n1,10,1\n2,20,2\n3,30,3\n4,40,4\n");
    Dataset data = Data.read(csv, model);
    assertThat(data.rows()).isEqualTo(4);
    assertThat(data.header()).isEqualTo("a,b,y");
    Splits.Split parts = Data.split(data, 0.25, 1);
    Standardizer s = Data.standardize(parts.train(), parts.test());
    assertThat(s.mean()).hasSize(2);
    double sum = 0;
    for (int r = 0; r < parts.train().rows(); r++) {
      sum += parts.train().x()[r * 2];
    }
    assertThat(sum).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-5));
    assertThatThrownBy(() -> Data.read(dir.resolve("missing.csv"), model))
        .hasMessage(dir.resolve("missing.csv") + ": no such file or directory");
  }

  @Test
  void badArraysAndMisuseAreClearErrors() {
    Linear model = new Linear(2, 1, DType.F64);
    assertThatThrownBy(() -> Data.of(model, new double[][] {{1, 2, 3}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 0 has 3 features, but")
        .hasMessageContaining("needs 2");
    assertThatThrownBy(() -> Data.of(model, new double[][] {{1, 2}}, new int[] {0}))
        .hasMessageContaining("no single target of width > 1");
    assertThatThrownBy(() -> Training.of(model).fit()).hasMessageContaining("call data(...) before fit()");
    assertThatThrownBy(() -> Training.of(model).epochs(0)).hasMessage("epochs must be at least 1, got 0");
    Training once = Training.of(model).data(line(model, 10, 1)).epochs(1);
    once.fit();
    assertThatThrownBy(once::fit).hasMessageContaining("has run");
  }
}
