package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The error of {@link FloatLaneMath} and {@link DoubleLaneMath} against {@code Math.exp},
 * {@code Math.tanh} and {@code Scalars.sigmoid} in double, in ulps of the result (of the
 * smallest normal for smaller results, so a subnormal result is judged by its absolute error),
 * over each function's whole range (where it is neither 0, 1 nor infinite, and past): the floats
 * whose bits are multiples of 4099, a quarter million doubles at random, and the special values.
 * The bounds are the measured maxima (see {@link VectorActivations}) rounded up: over all floats,
 * exp 0.97, tanh 1.33, sigmoid 2.40 ulps; over the doubles, 1, 1 and 2 ulps away from the
 * reference's (itself within 1 ulp of the exact value).
 */
class LaneMathAccuracyTest {
  private static final int FL = FloatVector.SPECIES_PREFERRED.length();
  private static final int DL = DoubleVector.SPECIES_PREFERRED.length();

  @Test
  void floatExp() {
    assertThat(maxFloatError(Activations.Fn.EXP, -110f, 95f, Math::exp)).isLessThanOrEqualTo(1.0);
  }

  @Test
  void floatTanh() {
    assertThat(maxFloatError(Activations.Fn.TANH, -12f, 12f, Math::tanh)).isLessThanOrEqualTo(1.5);
  }

  @Test
  void floatSigmoid() {
    assertThat(maxFloatError(Activations.Fn.SIGMOID, -110f, 110f, Scalars::sigmoid)).isLessThanOrEqualTo(2.5);
  }

  @Test
  void doubleExp() {
    assertThat(maxDoubleError(Activations.Fn.EXP, -750, 712, Math::exp)).isLessThanOrEqualTo(1.5);
  }

  @Test
  void doubleTanh() {
    assertThat(maxDoubleError(Activations.Fn.TANH, -22, 22, Math::tanh)).isLessThanOrEqualTo(2.0);
  }

  @Test
  void doubleSigmoid() {
    assertThat(maxDoubleError(Activations.Fn.SIGMOID, -750, 750, Scalars::sigmoid)).isLessThanOrEqualTo(3.0);
  }

  @Test
  void specialValuesInFloat() {
    float[] x = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE,
        -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 88.72283f, 88.72284f, -103.97f, -104f, 1e-30f, -1e-30f, 9.5f};
    float[] exp = run(Activations.Fn.EXP, x);
    float[] tanh = run(Activations.Fn.TANH, x);
    float[] sigmoid = run(Activations.Fn.SIGMOID, x);
    assertThat(exp[0]).isNaN();
    assertThat(tanh[0]).isNaN();
    assertThat(sigmoid[0]).isNaN();
    assertThat(new float[] {exp[1], tanh[1], sigmoid[1]}).containsExactly(Float.POSITIVE_INFINITY, 1f, 1f);
    assertThat(new float[] {exp[2], tanh[2], sigmoid[2]}).containsExactly(0f, -1f, 0f);
    assertThat(new float[] {exp[3], tanh[3], sigmoid[3]}).containsExactly(1f, 0f, 0.5f);
    assertThat(Float.floatToRawIntBits(tanh[4])).as("tanh(-0) is -0").isEqualTo(Float.floatToRawIntBits(-0f));
    assertThat(new float[] {tanh[5], tanh[6]}).containsExactly(Float.MIN_VALUE, -Float.MIN_VALUE);
    assertThat(new float[] {exp[7], tanh[7], sigmoid[7]}).containsExactly(Float.POSITIVE_INFINITY, 1f, 1f);
    assertThat(new float[] {exp[8], tanh[8], sigmoid[8]}).containsExactly(0f, -1f, 0f);
    assertThat(exp[9]).as("the largest float below overflow").isEqualTo((float) Math.exp(88.72283f)).isFinite();
    assertThat(exp[10]).isInfinite();
    assertThat(exp[11]).as("a subnormal").isEqualTo((float) Math.exp(-103.97f)).isPositive();
    assertThat(exp[12]).isZero();
    assertThat(new float[] {tanh[13], tanh[14]}).containsExactly(1e-30f, -1e-30f);
    assertThat(tanh[15]).isEqualTo(1f);
  }

  @Test
  void specialValuesInDouble() {
    double[] x = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, -0d, Double.MIN_VALUE,
        -Double.MAX_VALUE, 709.78, 709.79, -745.1, -746, 1e-300};
    double[] exp = run(Activations.Fn.EXP, x);
    double[] tanh = run(Activations.Fn.TANH, x);
    double[] sigmoid = run(Activations.Fn.SIGMOID, x);
    assertThat(exp[0]).isNaN();
    assertThat(tanh[0]).isNaN();
    assertThat(sigmoid[0]).isNaN();
    assertThat(new double[] {exp[1], tanh[1], sigmoid[1]}).containsExactly(Double.POSITIVE_INFINITY, 1, 1);
    assertThat(new double[] {exp[2], tanh[2], sigmoid[2]}).containsExactly(0, -1, 0);
    assertThat(new double[] {exp[3], tanh[3], sigmoid[3]}).containsExactly(1, 0, 0.5);
    assertThat(Double.doubleToRawLongBits(tanh[4])).as("tanh(-0) is -0").isEqualTo(Double.doubleToRawLongBits(-0d));
    assertThat(tanh[5]).isEqualTo(Double.MIN_VALUE);
    assertThat(new double[] {exp[6], tanh[6], sigmoid[6]}).containsExactly(0, -1, 0);
    assertThat(exp[7]).isFinite().isCloseTo(Math.exp(709.78), org.assertj.core.data.Offset.offset(Math.ulp(Math.exp(709.78))));
    assertThat(exp[8]).isInfinite();
    assertThat(exp[9]).as("a subnormal").isEqualTo(Math.exp(-745.1)).isPositive();
    assertThat(exp[10]).isZero();
    assertThat(tanh[11]).isEqualTo(1e-300);
  }

  /** A lane's result does not depend on its neighbours (one lane out of the fast range). */
  @Test
  void aLaneOutOfRangeChangesNoOtherLane() {
    for (Activations.Fn fn : Activations.Fn.values()) {
      float[] x = new float[FL * 8];
      double[] xd = new double[DL * 8];
      SplittableRandom r = new SplittableRandom(fn.ordinal());
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextDouble(-20, 20);
      }
      for (int i = 0; i < xd.length; i++) {
        xd[i] = r.nextDouble(-20, 20);
      }
      float[] plain = run(fn, x);
      double[] plainD = run(fn, xd);
      float[] mixed = x.clone();
      double[] mixedD = xd.clone();
      for (int v = 0; v < 8; v++) {
        mixed[v * FL + v % FL] = v % 2 == 0 ? -100f : Float.NaN;
        mixedD[v * DL + v % DL] = v % 2 == 0 ? 1000 : Double.NEGATIVE_INFINITY;
      }
      float[] y = run(fn, mixed);
      double[] yd = run(fn, mixedD);
      for (int i = 0; i < x.length; i++) {
        if (mixed[i] == x[i]) {
          assertThat(Float.floatToRawIntBits(y[i])).as("%s float lane %d", fn, i).isEqualTo(Float.floatToRawIntBits(plain[i]));
        }
      }
      for (int i = 0; i < xd.length; i++) {
        if (mixedD[i] == xd[i]) {
          assertThat(Double.doubleToRawLongBits(yd[i])).as("%s double lane %d", fn, i)
              .isEqualTo(Double.doubleToRawLongBits(plainD[i]));
        }
      }
    }
  }

  private static float[] run(Activations.Fn fn, float[] x) {
    int len = (x.length + FL - 1) / FL * FL;
    float[] in = java.util.Arrays.copyOf(x, len);
    float[] y = new float[len];
    switch (fn) {
      case EXP -> FloatLaneMath.exp(1, len, in, 0, y, 0);
      case TANH -> FloatLaneMath.tanh(1, len, in, 0, y, 0);
      case SIGMOID -> FloatLaneMath.sigmoid(1, len, in, 0, y, 0);
    }
    return java.util.Arrays.copyOf(y, x.length);
  }

  private static double[] run(Activations.Fn fn, double[] x) {
    int len = (x.length + DL - 1) / DL * DL;
    double[] in = java.util.Arrays.copyOf(x, len);
    double[] y = new double[len];
    switch (fn) {
      case EXP -> DoubleLaneMath.exp(1, len, in, 0, y, 0);
      case TANH -> DoubleLaneMath.tanh(1, len, in, 0, y, 0);
      case SIGMOID -> DoubleLaneMath.sigmoid(1, len, in, 0, y, 0);
    }
    return java.util.Arrays.copyOf(y, x.length);
  }

  /** The largest error over the floats in [lo, hi] whose bits are multiples of 4099 (both signs). */
  private static double maxFloatError(Activations.Fn fn, float lo, float hi, DoubleUnaryOperator exact) {
    float[] x = new float[FL * 256];
    double max = 0;
    float worst = 0;
    int filled = 0;
    for (long bits = 0; bits <= 0xFFFFFFFFL + 4099; bits += 4099) {
      float f = Float.intBitsToFloat((int) bits);
      if (bits <= 0xFFFFFFFFL && f >= lo && f <= hi) {
        x[filled++] = f;
      }
      if (filled == x.length || bits > 0xFFFFFFFFL) {
        float[] y = run(fn, java.util.Arrays.copyOf(x, filled));
        for (int i = 0; i < filled; i++) {
          double e = floatError(y[i], exact.applyAsDouble(x[i]));
          if (e > max) {
            max = e;
            worst = x[i];
          }
        }
        filled = 0;
      }
    }
    System.out.printf("%s float: %.3f ulps at %s%n", fn, max, worst);
    return max;
  }

  private static double floatError(float got, double want) {
    float rounded = (float) want;
    if (Float.isNaN(rounded) || Float.isInfinite(rounded) || Float.isInfinite(got)) {
      return Float.compare(got, rounded) == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    return Math.abs(got - want) / Math.ulp(Math.max(Math.abs(rounded), Float.MIN_NORMAL));
  }

  private static double maxDoubleError(Activations.Fn fn, double lo, double hi, DoubleUnaryOperator exact) {
    SplittableRandom r = new SplittableRandom(7 + fn.ordinal());
    double max = 0;
    double worst = 0;
    for (int round = 0; round < 32; round++) {
      double[] x = new double[DL * 1024];
      for (int i = 0; i < x.length; i++) {
        // half uniform over the range, half near 0 (log-uniform magnitudes), both signs
        x[i] = i % 2 == 0 ? r.nextDouble(lo, hi) : Math.copySign(Math.exp(r.nextDouble(-40, 4)), r.nextDouble(-1, 1));
      }
      double[] y = run(fn, x);
      for (int i = 0; i < x.length; i++) {
        double want = exact.applyAsDouble(x[i]);
        double e;
        if (Double.isInfinite(want) || Double.isInfinite(y[i])) {
          e = y[i] == want ? 0 : Double.POSITIVE_INFINITY;
        } else {
          e = Math.abs(y[i] - want) / Math.ulp(Math.max(Math.abs(want), Double.MIN_NORMAL));
        }
        if (e > max) {
          max = e;
          worst = x[i];
        }
      }
    }
    System.out.printf("%s double: %.3f ulps at %s%n", fn, max, worst);
    return max;
  }
}
