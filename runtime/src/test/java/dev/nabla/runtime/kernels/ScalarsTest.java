package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScalarsTest {

  @Test
  void sigmoidIsStableAndAccurate() {
    assertThat(Scalars.sigmoid(0.0)).isEqualTo(0.5);
    assertThat(Scalars.sigmoid(2.0)).isCloseTo(1 / (1 + Math.exp(-2)), within(1e-16));
    assertThat(Scalars.sigmoid(-2.0)).isCloseTo(1 / (1 + Math.exp(2)), within(1e-16));
    assertThat(Scalars.sigmoid(1000.0)).isEqualTo(1.0);
    assertThat(Scalars.sigmoid(-1000.0)).isEqualTo(0.0);
    // tiny values keep full relative precision instead of rounding 1 + e
    assertThat(Scalars.sigmoid(-700.0)).isCloseTo(Math.exp(-700), within(1e-310));
    assertThat(Scalars.sigmoid(-30.0) / Math.exp(-30)).isCloseTo(1, within(1e-12));
    assertThat(Scalars.sigmoid(3f)).isCloseTo((float) (1 / (1 + Math.exp(-3))), within(1e-7f));
    assertThat(Scalars.sigmoid(-200f)).isEqualTo(0f);
  }

  @Test
  void softplusIsStableAndAccurate() {
    assertThat(Scalars.softplus(0.0)).isEqualTo(Math.log(2));
    assertThat(Scalars.softplus(1.5)).isCloseTo(Math.log1p(Math.exp(1.5)), within(1e-15));
    assertThat(Scalars.softplus(1000.0)).isEqualTo(1000.0);
    assertThat(Scalars.softplus(-1000.0)).isEqualTo(0.0);
    assertThat(Scalars.softplus(-40.0) / Math.exp(-40)).isCloseTo(1, within(1e-12));
    assertThat(Scalars.softplus(100f)).isEqualTo(100f);
    assertThat(Scalars.softplus(-2f)).isCloseTo((float) Math.log1p(Math.exp(-2)), within(1e-7f));
  }

  @Test
  void logSigmoidIsMinusSoftplusOfMinus() {
    assertThat(Scalars.logSigmoid(-1000.0)).isEqualTo(-1000.0);
    assertThat(Scalars.logSigmoid(1000.0)).isEqualTo(-0.0);
    assertThat(Scalars.logSigmoid(2.0)).isCloseTo(Math.log(Scalars.sigmoid(2.0)), within(1e-15));
    assertThat(Scalars.logSigmoid(0f)).isCloseTo((float) -Math.log(2), within(1e-7f));
  }

  @Test
  void theBranchFreeStepIsTheComparisonBitForBit() {
    float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.NaN, Float.intBitsToFloat(0xffc00001),
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f};
    for (float x : special) {
      assertThat(Scalars.step(x)).as("step(%s)", x).isEqualTo(x >= 0 ? 1f : 0f);
      assertThat(Scalars.step((double) x)).as("step(%s)", x).isEqualTo(x >= 0 ? 1.0 : 0.0);
    }
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    for (int i = 0; i < 1_000_000; i++) {
      float x = Float.intBitsToFloat(r.nextInt());
      double d = Double.longBitsToDouble(r.nextLong());
      assertThat(Float.floatToRawIntBits(Scalars.step(x))).isEqualTo(Float.floatToRawIntBits(x >= 0 ? 1f : 0f));
      assertThat(Double.doubleToRawLongBits(Scalars.step(d))).isEqualTo(Double.doubleToRawLongBits(d >= 0 ? 1.0 : 0.0));
    }
  }

  @Test
  void reluIsMathMax() {
    assertThat(Scalars.relu(Float.NaN)).isNaN();
    assertThat(Scalars.relu(-0.0)).isEqualTo(0.0).matches(v -> Double.doubleToRawLongBits(v) == 0);
    assertThat(Scalars.relu(Float.NEGATIVE_INFINITY)).isEqualTo(0f);
    assertThat(Scalars.relu(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void kinksFollowTheLanguageConventions() {
    assertThat(Scalars.relu(-2.0)).isEqualTo(0.0);
    assertThat(Scalars.relu(3.0)).isEqualTo(3.0);
    assertThat(Scalars.relu(-1f)).isEqualTo(0f);
    assertThat(Scalars.step(0.0)).isEqualTo(1.0);
    assertThat(Scalars.step(-1e-300)).isEqualTo(0.0);
    assertThat(Scalars.step(0f)).isEqualTo(1f);
    assertThat(Scalars.leakyRelu(-2.0, 0.01)).isEqualTo(-0.02);
    assertThat(Scalars.leakyRelu(2f, 0.01f)).isEqualTo(2f);
    assertThat(Scalars.elu(-1.0, 1.0)).isCloseTo(Math.exp(-1) - 1, within(1e-16));
    assertThat(Scalars.elu(1.0, 1.0)).isEqualTo(1.0);
    assertThat(Scalars.elu(-1e-10f, 2f)).isCloseTo(-2e-10f, within(1e-16f));
    assertThat(Scalars.square(-3.0)).isEqualTo(9.0);
    assertThat(Scalars.square(1.5f)).isEqualTo(2.25f);
    assertThat(Scalars.max(1.0, 2.0)).isEqualTo(2.0);
    assertThat(Scalars.min(1f, 2f)).isEqualTo(1f);
    // ties go to the first argument, so max(0.0, -0.0) is 0.0 and min(-0.0, 0.0) is -0.0
    assertThat(Scalars.max(0.0, -0.0)).isEqualTo(0.0);
    assertThat(Scalars.min(-0.0, 0.0)).isEqualTo(-0.0);
    assertThat(Scalars.ge(1.0, 1.0)).isEqualTo(1.0);
    assertThat(Scalars.ge(0.0, 1.0)).isEqualTo(0.0);
    assertThat(Scalars.ge(2f, 1f)).isEqualTo(1f);
  }

  @Test
  void erfMatchesReferenceValues() {
    // values of erf from Python's math.erf (the C library's)
    assertThat(Scalars.erf(0.5)).isCloseTo(0.5204998778130465, within(1e-15));
    assertThat(Scalars.erf(1.0)).isCloseTo(0.8427007929497149, within(1e-15));
    assertThat(Scalars.erf(2.0)).isCloseTo(0.9953222650189527, within(1e-15));
    assertThat(Scalars.erf(3.5)).isCloseTo(0.9999992569016276, within(1e-15));
    assertThat(Scalars.erf(1e-8) / 1e-8).isCloseTo(2 / Math.sqrt(Math.PI), within(1e-15));
    assertThat(Scalars.erf(-1.0)).isEqualTo(-Scalars.erf(1.0));
    assertThat(Scalars.erf(0.0)).isEqualTo(0.0);
    assertThat(Scalars.erf(7.0)).isEqualTo(1.0);
    assertThat(Scalars.erf(Double.NEGATIVE_INFINITY)).isEqualTo(-1.0);
    assertThat(Scalars.erf(Double.NaN)).isNaN();
    assertThat(Scalars.erf(1f)).isCloseTo(0.84270079f, within(1e-7f));
  }

  @Test
  void inverseHyperbolicFunctionsInvertTheHyperbolicOnes() {
    for (double x : new double[] {-20, -3, -0.5, -1e-9, 0, 1e-9, 0.25, 2, 30}) {
      assertThat(Scalars.asinh(Math.sinh(x))).as("asinh(sinh(%s))", x)
          .isCloseTo(x, within(1e-14 * Math.max(1, Math.abs(x))));
      // cosh loses x^2/2 below 1e-8: acosh(cosh(x)) is only as good as cosh(x) - 1
      double tolerance = Math.abs(x) < 1e-3 ? 1e-7 : 1e-13 * Math.max(1, Math.abs(x));
      assertThat(Scalars.acosh(Math.cosh(x))).as("acosh(cosh(%s))", x).isCloseTo(Math.abs(x), within(tolerance));
    }
    for (double x : new double[] {-0.999, -0.5, -1e-12, 0, 1e-12, 0.3, 0.9}) {
      assertThat(Scalars.atanh(Math.tanh(x))).as("atanh(tanh(%s))", x).isCloseTo(x, within(1e-13));
    }
    assertThat(Scalars.asinh(1e-300)).isEqualTo(1e-300);
    assertThat(Scalars.asinh(1e300)).isCloseTo(Math.log(1e300) + Math.log(2), within(1e-12));
    assertThat(Scalars.acosh(0.5)).isNaN();
    assertThat(Scalars.acosh(1.0)).isEqualTo(0.0);
    assertThat(Scalars.atanh(1.0)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Scalars.atanh(-1.0)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(Scalars.atanh(1.5)).isNaN();
    assertThat(Scalars.asinh(2f)).isCloseTo((float) Scalars.asinh(2.0), within(1e-7f));
  }
}
