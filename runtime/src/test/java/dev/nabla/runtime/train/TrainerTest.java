package dev.nabla.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.Rng;
import dev.nabla.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The epoch loop: learning, determinism, the last partial batch, stopping, divergence, kept params. */
class TrainerTest {
  /** d = 2 x0 - x1 + 0.5, rows with x uniform in [-1, 1). */
  static Dataset line(int rows, long seed) {
    Rng rng = new Rng(seed);
    float[] x = new float[rows * 2];
    float[] y = new float[rows];
    for (int r = 0; r < rows; r++) {
      x[2 * r] = (float) (2 * rng.nextDouble() - 1);
      x[2 * r + 1] = (float) (2 * rng.nextDouble() - 1);
      y[r] = 2 * x[2 * r] - x[2 * r + 1] + 0.5f;
    }
    return new Dataset("line", rows, 2, 1, x, y, null, false);
  }

  static TrainResult train(Linear m, Optimizer opt, Dataset data, Dataset test, int epochs, int batch, long seed,
      TrainListener listener) {
    return new Trainer().train(m, opt, data, test, Scorer.of(m, Scorer.Task.REGRESSION),
        new Trainer.Config(epochs, batch, seed), listener);
  }

  @Test
  void learnsALine() {
    Linear m = new Linear(2, 1, DType.F32);
    m.initialize(1);
    TrainResult r = train(m, Optimizer.sgd(m, 0.1), line(200, 1), line(50, 2), 30, 16, 1, new TrainListener() {});
    assertThat(r.finalOnTest()).isTrue();
    assertThat(r.finalScore().metric()).isGreaterThan(0.999);
    assertThat(m.w.getDouble(0)).isCloseTo(2, org.assertj.core.data.Offset.offset(0.01));
    assertThat(r.history()).hasSize(30);
    assertThat(r.history().getLast().testMetric()).isGreaterThan(0.999);
  }

  @Test
  void oneSeedGivesIdenticalParamsAnotherSeedOthers() {
    NdArray[] w = new NdArray[3];
    long[] seeds = {5, 5, 6};
    for (int i = 0; i < 3; i++) {
      Linear m = new Linear(2, 1, DType.F32);
      m.initialize(1);
      train(m, Optimizer.adam(m, 0.01, 0.9, 0.999, 1e-8), line(100, 1), null, 3, 7, seeds[i], new TrainListener() {});
      w[i] = m.w.copy();
    }
    assertThat(w[0]).isEqualTo(w[1]);
    assertThat(w[0]).isNotEqualTo(w[2]);
  }

  @Test
  void theLastPartialBatchIsASmallerStep() {
    Linear m = new Linear(2, 1, DType.F64);
    List<Integer> steps = new ArrayList<>();
    train(m, Optimizer.sgd(m, 0.1), line(10, 1), null, 2, 4, 1, new TrainListener() {
      @Override
      public void epochStarted(int epoch, int epochs, int count) {
        steps.add(count);
      }
    });
    assertThat(steps).containsExactly(3, 3);
  }

  @Test
  void aBatchLargerThanTheDataIsTheWholeData() {
    Linear m = new Linear(2, 1, DType.F64);
    List<Integer> steps = new ArrayList<>();
    train(m, Optimizer.sgd(m, 0.1), line(10, 1), null, 1, 64, 1, new TrainListener() {
      @Override
      public void epochStarted(int epoch, int epochs, int count) {
        steps.add(count);
      }
    });
    assertThat(steps).containsExactly(1);
  }

  @Test
  void stoppingKeepsTheBestFinishedEpoch() {
    Linear m = new Linear(2, 1, DType.F64);
    m.initialize(1);
    Trainer trainer = new Trainer();
    NdArray[] afterEpoch2 = new NdArray[1];
    TrainResult r = trainer.train(m, Optimizer.sgd(m, 0.05), line(100, 1), line(20, 2),
        Scorer.of(m, Scorer.Task.REGRESSION), new Trainer.Config(50, 10, 1), new TrainListener() {
          @Override
          public void epochFinished(EpochStats stats, int epochs) {
            if (stats.epoch() == 2) {
              afterEpoch2[0] = m.w.copy();
            }
          }

          @Override
          public void stepFinished(int epoch, int step, int steps, double meanLoss) {
            if (epoch == 3 && step == 4) {
              trainer.requestStop();
            }
          }
        });
    assertThat(r.stopped()).isTrue();
    assertThat(r.stoppedEpoch()).isEqualTo(3);
    assertThat(r.stoppedStep()).isEqualTo(4);
    assertThat(r.history()).hasSize(2);
    assertThat(r.bestEpoch()).isEqualTo(2);
    assertThat(m.w).isEqualTo(afterEpoch2[0]);
    assertThat(r.finalScore().rows()).isEqualTo(20);
  }

  @Test
  void divergenceNamesEpochAndStepAndLeavesFiniteParams() {
    Linear m = new Linear(2, 1, DType.F32);
    m.initialize(1);
    Dataset big = line(64, 1);
    for (int i = 0; i < big.x().length; i++) {
      big.x()[i] *= 1e4f;
    }
    assertThatThrownBy(() -> train(m, Optimizer.sgd(m, 10), big, null, 5, 8, 1, new TrainListener() {}))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageMatching("the (loss|gradient norm) became (NaN|Infinity) in epoch 1, step \\d of 8; training stopped\\. "
            + "Try a smaller learning rate than 10\\.0.*");
    for (int i = 0; i < m.w.size(); i++) {
      assertThat(Float.isFinite(m.w.floats()[i])).isTrue();
    }
  }

  @Test
  void withoutTestDataTheFinalScoreIsOnTheTrainingData() {
    Linear m = new Linear(2, 1, DType.F64);
    TrainResult r = train(m, Optimizer.sgd(m, 0.1), line(30, 1), null, 2, 8, 1, new TrainListener() {});
    assertThat(r.finalOnTest()).isFalse();
    assertThat(r.finalScore().rows()).isEqualTo(30);
    assertThat(r.history().getFirst().testLoss()).isNaN();
  }
}
