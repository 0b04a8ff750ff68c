package dev.nabla.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GradientCheckTest {

  private static ModelRun filledRun(TinyMlp m, int batch, long seed) {
    m.initialize(seed);
    ModelRun r = m.newRun(batch);
    Rng rng = new Rng(seed);
    NdArray x = r.input("x");
    for (int i = 0; i < x.size(); i++) {
      x.setDouble(i, rng.nextGaussian());
    }
    NdArray d = r.input("d");
    for (int t = 0; t < batch; t++) {
      if (m.loss == TinyMlp.Loss.CE) {
        d.setDouble(t * m.out + rng.nextInt(m.out), 1);
      } else {
        for (int j = 0; j < m.out; j++) {
          d.setDouble(t * m.out + j, rng.nextGaussian());
        }
      }
    }
    return r;
  }

  @Test
  void correctGradientsPassForEveryParamAndGradInput() {
    for (TinyMlp.Loss loss : TinyMlp.Loss.values()) {
      TinyMlp m = new TinyMlp(20, 16, 10, loss);
      ModelRun run = filledRun(m, 8, 3);
      List<GradientCheck.Result> results = GradientCheck.check(m, run);
      assertThat(results).extracting(GradientCheck.Result::name).containsExactly("W1", "b1", "W2", "b2", "x");
      for (GradientCheck.Result r : results) {
        assertThat(r.passes(GradientCheck.DEFAULT_TOLERANCE)).as(r.toString()).isTrue();
        assertThat(r.worstRelativeError()).as(r.toString()).isLessThan(1e-7);
      }
      assertThat(GradientCheck.worst(results)).isLessThan(1e-7);
    }
  }

  @Test
  void aWrongGradientIsDetectedAndLocated() {
    TinyMlp m = new TinyMlp(6, 5, 3, TinyMlp.Loss.CE);
    m.setHyper("lambda", 0.01);
    m.bug = true;
    ModelRun run = filledRun(m, 4, 5);
    List<GradientCheck.Result> results = GradientCheck.check(m, run);
    GradientCheck.Result w1 = results.get(0);
    assertThat(w1.name()).isEqualTo("W1");
    assertThat(w1.passes(GradientCheck.DEFAULT_TOLERANCE)).isFalse();
    assertThat(w1.worstRelativeError()).isGreaterThan(1e-4);
    assertThat(w1.worstIndex()).isBetween(0, 29);
    assertThat(w1.analytic()).isNotEqualTo(w1.numeric());
    assertThat(w1.toString()).startsWith("W1: worst relative error");
    // the other params are unaffected by this bug
    assertThat(results.subList(1, results.size())).allSatisfy(r -> assertThat(r.passes(1e-6)).isTrue());
  }

  @Test
  void valuesAreRestoredAndTheRunIsLeftConsistent() {
    TinyMlp m = new TinyMlp(4, 3, 2, TinyMlp.Loss.L2);
    ModelRun run = filledRun(m, 3, 9);
    NdArray before = m.param("W1").copy();
    NdArray xBefore = run.input("x").copy();
    double loss = run.forward();
    run.backward();
    NdArray grad = run.gradient("W2").copy();
    GradientCheck.check(m, run);
    assertThat(m.param("W1")).isEqualTo(before);
    assertThat(run.input("x")).isEqualTo(xBefore);
    assertThat(run.gradient("W2")).isEqualTo(grad);
    assertThat(run.forward()).isEqualTo(loss);
  }

  @Test
  void aStepAcrossAKinkDoesNotFailACorrectGradient() {
    // relu at w = 5e-6: the step 1e-5 crosses 0, the retry with 1e-6 does not
    ElementwiseModel m = new ElementwiseModel(new double[] {5e-6, -3, 2},
        w -> Math.max(w, 0), w -> w >= 0 ? 1 : 0);
    GradientCheck.Result r = GradientCheck.check(m, m.newRun(1)).getFirst();
    assertThat(r.worstRelativeError()).isLessThan(1e-9);
  }

  @Test
  void nanIsTheWorstError() {
    ElementwiseModel m = new ElementwiseModel(new double[] {1, 2, 3},
        w -> w * w, w -> w == 2 ? Double.NaN : 2 * w);
    GradientCheck.Result r = GradientCheck.check(m, m.newRun(1)).getFirst();
    assertThat(r.worstRelativeError()).isNaN();
    assertThat(r.worstIndex()).isEqualTo(1);
    assertThat(r.passes(1)).isFalse();
    assertThat(GradientCheck.worst(List.of(r))).isNaN();
  }

  @Test
  void largeWeightsUseARelativeStep() {
    ElementwiseModel m = new ElementwiseModel(new double[] {1e6, -2e5},
        w -> Math.sin(w / 1e5), w -> Math.cos(w / 1e5) / 1e5);
    assertThat(GradientCheck.check(m, m.newRun(1)).getFirst().worstRelativeError()).isLessThan(1e-6);
  }

  @Test
  void relativeErrorFormula() {
    assertThat(GradientCheck.relativeError(1, 1, 1e-2)).isZero();
    assertThat(GradientCheck.relativeError(0, 0, 1e-2)).isZero();
    assertThat(GradientCheck.relativeError(1, -1, 1e-2)).isEqualTo(1);
    assertThat(GradientCheck.relativeError(2, 1, 1e-2)).isEqualTo(1.0 / 3);
    // below the floor it is an absolute error divided by the floor
    assertThat(GradientCheck.relativeError(1e-9, 0, 1e-2)).isCloseTo(1e-7, org.assertj.core.api.Assertions.within(1e-20));
    assertThat(GradientCheck.relativeError(Double.NaN, 0, 1e-2)).isNaN();
  }

  @Test
  void refusesFloatModelsAndBadSettings() {
    TinyMlp inner = new TinyMlp(2, 2, 2, TinyMlp.Loss.L2);
    Model f32 = new DelegatingModel(inner) {
      @Override
      public DType dtype() {
        return DType.F32;
      }
    };
    assertThatThrownBy(() -> GradientCheck.check(f32, inner.newRun(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TinyMlp is F32");
    assertThatThrownBy(() -> GradientCheck.check(inner, inner.newRun(1), 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void backwardBeforeForwardIsAnError() {
    TinyMlp m = new TinyMlp(2, 2, 2, TinyMlp.Loss.L2);
    assertThatThrownBy(() -> m.newRun(1).backward()).isInstanceOf(IllegalStateException.class);
  }
}
