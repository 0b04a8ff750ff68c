package dev.nabla.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.NdArray;
import org.junit.jupiter.api.Test;

/**
 * Trainer's loop over a step source other than its own (a cluster's): the optimizer gets the
 * source's gradients, steps without rows change nothing, and a step that fails after a stop
 * request (a cluster shut down by Ctrl-C) ends training as a stop, keeping the params.
 */
class StepSourceTest {
  /**
   * Step k (counted over the run from 1) has loss 1 / k (so every epoch is the best so far) and
   * gradient 1 for every param, over {@code rows} rows; call {@code failAt} throws.
   */
  static final class Fixed implements StepSource {
    final Linear model;
    final int rows;
    final int failAt;
    final Runnable beforeFailing;
    int calls;

    Fixed(Linear model, int rows, int failAt, Runnable beforeFailing) {
      this.model = model;
      this.rows = rows;
      this.failAt = failAt;
      this.beforeFailing = beforeFailing;
    }

    @Override public int rows() { return 4; }
    @Override public int steps() { return 2; }
    @Override public Scorer.Task task() { return Scorer.Task.REGRESSION; }
    @Override public void startEpoch(int epoch) {}

    @Override
    public double step(int step) {
      if (++calls == failAt) {
        beforeFailing.run();
        throw new IllegalStateException("the cluster is gone");
      }
      return 1.0 / calls;
    }

    @Override public int stepRows() { return rows; }
    @Override public long stepCorrect() { return 0; }

    @Override
    public NdArray[] gradients() {
      NdArray w = NdArray.zeros(DType.F32, model.w.shape());
      w.fill(1);
      NdArray b = NdArray.zeros(DType.F32, model.b.shape());
      b.fill(1);
      return new NdArray[] {w, b};
    }

    @Override public boolean hasTest() { return false; }
    @Override public Score evaluateTest() { throw new AssertionError(); }
    @Override public Score evaluateFinal() { return new Score(1, Double.NaN, 4); }
  }

  @Test
  void theOptimizerStepsOnTheSourcesGradients() {
    Linear m = new Linear(2, 1, DType.F32);
    TrainResult r = new Trainer().train(m, Optimizer.sgd(m, 0.5), new Fixed(m, 2, -1, () -> {}), 3, new TrainListener() {});
    assertThat(m.w.getDouble(0)).isEqualTo(-3.0);                 // 6 steps of -0.5
    assertThat(r.history()).hasSize(3);
    assertThat(r.history().getFirst().trainLoss()).isEqualTo(0.75);  // (1 * 2 + 0.5 * 2) / 4 rows
  }

  @Test
  void stepsWithoutRowsChangeNothing() {
    Linear m = new Linear(2, 1, DType.F32);
    new Trainer().train(m, Optimizer.adam(m, 0.5, 0.9, 0.999, 1e-8), new Fixed(m, 0, -1, () -> {}), 2,
        new TrainListener() {});
    assertThat(m.w.getDouble(0)).isZero();
  }

  @Test
  void aStepFailingAfterAStopRequestIsAStopAndOtherwiseAnError() {
    Linear m = new Linear(2, 1, DType.F32);
    Trainer trainer = new Trainer();
    TrainResult r = trainer.train(m, Optimizer.sgd(m, 0.5), new Fixed(m, 2, 4, trainer::requestStop), 3,
        new TrainListener() {});
    assertThat(r.stopped()).isTrue();
    assertThat(r.stoppedEpoch()).isEqualTo(2);
    assertThat(r.stoppedStep()).isEqualTo(1);
    assertThat(r.bestEpoch()).isEqualTo(1);
    assertThat(m.w.getDouble(0)).isEqualTo(-1.0);                 // the params of epoch 1, kept

    Linear n = new Linear(2, 1, DType.F32);
    assertThatThrownBy(() -> new Trainer().train(n, Optimizer.sgd(n, 0.5), new Fixed(n, 2, 4, () -> {}), 3,
        new TrainListener() {})).hasMessage("the cluster is gone");
  }
}
