package dev.nabla.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.data.Dataset;
import org.junit.jupiter.api.Test;

/** Classifier or regression, accuracy and R². */
class ScorerTest {
  static Dataset data(int rows, int k, float[] y) {
    float[] x = new float[rows * 2];
    for (int r = 0; r < rows; r++) {
      x[2 * r] = r;
      x[2 * r + 1] = 1;
    }
    return new Dataset("d", rows, 2, k, x, y, null, false);
  }

  @Test
  void inference() {
    Linear three = new Linear(2, 3, DType.F64);
    Linear one = new Linear(2, 1, DType.F64);
    assertThat(Scorer.infer(three, data(2, 3, new float[] {0, 1, 0, 1, 0, 0}))).isEqualTo(Scorer.Task.CLASSIFICATION);
    assertThat(Scorer.infer(three, data(2, 3, new float[] {0, 1, 0, 1, 1, 0}))).isEqualTo(Scorer.Task.REGRESSION);
    assertThat(Scorer.infer(three, data(2, 3, new float[] {0, 0.5f, 0, 1, 0, 0}))).isEqualTo(Scorer.Task.REGRESSION);
    assertThat(Scorer.infer(one, data(3, 1, new float[] {0, 1, 1}))).isEqualTo(Scorer.Task.CLASSIFICATION);
    assertThat(Scorer.infer(one, data(3, 1, new float[] {0, 2, 1}))).isEqualTo(Scorer.Task.REGRESSION);
    assertThat(Scorer.infer(one, data(3, 0, new float[0]))).isEqualTo(Scorer.Task.REGRESSION);
    assertThat(Scorer.infer(three, data(3, 0, new float[0]))).isEqualTo(Scorer.Task.CLASSIFICATION);
  }

  @Test
  void accuracyOfArgmax() {
    Linear m = new Linear(2, 3, DType.F64);
    // y = (x0, 0, 1): rows 0 -> class 2, 1 -> class 2 (tie 1 = 1 picks the first: 0), 2 -> class 0
    m.w.set(1, 0, 0);
    m.w.set(1, 2, 1);
    Dataset d = data(3, 3, new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0});
    Score s = Scorer.of(m, Scorer.Task.CLASSIFICATION).evaluate(d);
    assertThat(s.metric()).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(s.rows()).isEqualTo(3);
  }

  @Test
  void rSquared() {
    Linear m = new Linear(2, 1, DType.F64);
    m.w.set(1, 0, 0);                                   // y = x0 = 0, 1, 2, 3
    Dataset d = data(4, 1, new float[] {0, 1, 2, 5});   // mean 2, ss_tot 4+1+0+9 = 14, ss_res 4
    Score s = Scorer.of(m, Scorer.Task.REGRESSION).evaluate(d);
    assertThat(s.metric()).isCloseTo(1 - 4 / 14.0, within(1e-12));
    assertThat(s.loss()).isCloseTo(0.5 * 4 / 4, within(1e-12));
  }

  @Test
  void manyRowsAreMeasuredInSeveralPasses() {
    Linear m = new Linear(2, 1, DType.F32);
    m.w.set(1, 0, 0);
    int n = Scorer.EVAL_BATCH * 2 + 3;
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = i;
    }
    Score s = Scorer.of(m, Scorer.Task.REGRESSION).evaluate(data(n, 1, y));
    assertThat(s.metric()).isEqualTo(1.0);
    assertThat(s.loss()).isZero();
  }
}
