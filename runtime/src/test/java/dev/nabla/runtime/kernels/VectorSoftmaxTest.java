package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both softmax kernel implementations, scalar and SIMD (the test JVM runs with
 * {@code --add-modules jdk.incubator.vector}; the double kernels are on by default), against a
 * reference computed in double with {@code Math.exp}: row lengths around the vector widths, with
 * offsets, in place, with huge and infinite inputs.
 */
class VectorSoftmaxTest {
  /**
   * Float outputs are within this many ulps of the exact result, plus, for the SIMD softmax, the
   * rounding of its float exp argument: a relative {@code |x_j - m| * 2^-24} (see VectorSoftmax).
   */
  static final int FLOAT_ULPS = 4;

  static Stream<Arguments> kernels() {
    return Stream.of(Arguments.of("scalar", new SoftmaxKernels.Scalar()), Arguments.of("SIMD", new VectorSoftmax()));
  }

  @Test
  void vectorExpIsWithinTwoUlpsOfMathExpOnSoftmaxArguments() {
    // Softmax only takes exp of x - max <= 0; float exp is 0 below about -103.97.
    int count = 1 << 20;
    float[] in = new float[count];
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < count; i++) {
      in[i] = i < count / 2 ? (float) (-104.0 * i / (count / 2)) : (float) -r.nextDouble(0, 104);
    }
    float[] out = new float[count];
    int l = FloatVector.SPECIES_PREFERRED.length();
    for (int i = 0; i < count; i += l) {
      FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, in, i).lanewise(VectorOperators.EXP).intoArray(out, i);
    }
    double worst = 0;
    for (int i = 0; i < count; i++) {
      double exact = Math.exp(in[i]);
      // ulps of the float result, subnormals counted in their own (absolute) ulp
      worst = Math.max(worst, Math.abs(out[i] - exact) / Math.ulp((float) exact));
    }
    System.out.println("FloatVector EXP, worst error on [-104, 0]: " + worst + " ulps");
    assertThat(worst).as("worst error of FloatVector EXP in ulps").isLessThanOrEqualTo(2.0);
  }

  static Stream<Arguments> shapes() {
    int[] ns = {1, 2, 3, 7, 8, 9, 10, 15, 16, 17, 31, 33, 100, 1000};
    return kernels().flatMap(k -> java.util.Arrays.stream(ns).mapToObj(n -> Arguments.of(k.get()[0], k.get()[1], n)));
  }

  @ParameterizedTest(name = "{0} n={2}")
  @MethodSource("shapes")
  void floatRowsMatchTheDoubleReference(String name, SoftmaxKernels kernels, int n) {
    int rows = 5;
    int off = 3;
    SplittableRandom r = new SplittableRandom(n);
    float[] x = new float[off + rows * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble(-30, 30);
    }
    float[] y = new float[off + 1 + rows * n];
    float[] ls = new float[off + 1 + rows * n];
    kernels.softmax(rows, n, x, off, y, off + 1);
    kernels.logSoftmax(rows, n, x, off, ls, off + 1);
    for (int row = 0; row < rows; row++) {
      double[] ref = reference(x, off + row * n, n);
      for (int j = 0; j < n; j++) {
        double p = Math.exp(ref[j]);
        float got = y[off + 1 + row * n + j];
        double argument = name.equals("SIMD") ? p * Math.abs(x[off + row * n + j] - max(x, off + row * n, n)) * 0x1p-24 : 0;
        assertThat(Math.abs(got - p)).as("softmax row %d col %d", row, j)
            .isLessThanOrEqualTo(FLOAT_ULPS * (double) Math.ulp((float) p) + argument + Float.MIN_VALUE);
        float gotLog = ls[off + 1 + row * n + j];
        assertThat(Math.abs(gotLog - ref[j])).as("log-softmax row %d col %d", row, j)
            .isLessThanOrEqualTo(FLOAT_ULPS * (double) Math.ulp((float) ref[j]) + 1e-6);
      }
    }
    assertThat(y[off]).isZero(); // nothing written before the block
  }

  @ParameterizedTest(name = "{0} n={2}")
  @MethodSource("shapes")
  void doubleRowsMatchTheReference(String name, SoftmaxKernels kernels, int n) {
    int rows = 3;
    SplittableRandom r = new SplittableRandom(n + 7);
    double[] x = r.doubles(rows * n, -30, 30).toArray();
    double[] y = new double[rows * n];
    double[] ls = new double[rows * n];
    kernels.softmax(rows, n, x, 0, y, 0);
    kernels.logSoftmax(rows, n, x, 0, ls, 0);
    for (int row = 0; row < rows; row++) {
      double[] ref = reference(x, row * n, n);
      for (int j = 0; j < n; j++) {
        assertThat(y[row * n + j]).isCloseTo(Math.exp(ref[j]), org.assertj.core.data.Offset.offset(1e-14));
        assertThat(ls[row * n + j]).isCloseTo(ref[j], org.assertj.core.data.Offset.offset(1e-12));
      }
    }
  }

  @ParameterizedTest(name = "{0} n={2}")
  @MethodSource("shapes")
  void softmaxAndLogGiveTheBitsOfTheTwoKernels(String name, SoftmaxKernels kernels, int n) {
    int rows = 4;
    int off = 2;
    SplittableRandom r = new SplittableRandom(n + 3);
    float[] x = new float[off + rows * n];
    double[] xd = new double[off + rows * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble(-30, 30);
      xd[i] = r.nextDouble(-30, 30);
    }
    x[off] = Float.NEGATIVE_INFINITY; // exp 0, log-softmax -inf
    xd[off + rows * n - 1] = 1e300; // the others underflow
    float[] y = new float[off + rows * n];
    float[] ls = new float[off + rows * n];
    float[] pair = new float[off + 2 * rows * n];
    kernels.softmax(rows, n, x, off, y, off);
    kernels.logSoftmax(rows, n, x, off, ls, off);
    kernels.softmaxAndLog(rows, n, x, off, pair, off, pair, off + rows * n);
    for (int i = 0; i < rows * n; i++) {
      assertThat(Float.floatToRawIntBits(pair[off + i])).as("softmax %d", i).isEqualTo(Float.floatToRawIntBits(y[off + i]));
      assertThat(Float.floatToRawIntBits(pair[off + rows * n + i])).as("log-softmax %d", i)
          .isEqualTo(Float.floatToRawIntBits(ls[off + i]));
    }
    double[] yd = new double[rows * n];
    double[] lsd = new double[rows * n];
    double[] yPair = new double[rows * n];
    double[] lsPair = new double[rows * n];
    kernels.softmax(rows, n, xd, off, yd, 0);
    kernels.logSoftmax(rows, n, xd, off, lsd, 0);
    kernels.softmaxAndLog(rows, n, xd, off, yPair, 0, lsPair, 0);
    assertThat(yPair).isEqualTo(yd);
    assertThat(lsPair).isEqualTo(lsd);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernels")
  void inPlaceZeroRowsAndExtremeValues(String name, SoftmaxKernels kernels) {
    // In place: the same block is input and output.
    float[] x = {1f, 2f, 3f, 1000f, 1001f, -1000f, Float.NEGATIVE_INFINITY, 0f, 5f};
    float[] expected = new float[9];
    new SoftmaxKernels.Scalar().softmax(3, 3, x, 0, expected, 0);
    float[] inPlace = x.clone();
    kernels.softmax(3, 3, inPlace, 0, inPlace, 0);
    for (int i = 0; i < 9; i++) {
      assertThat(inPlace[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(FLOAT_ULPS * Math.ulp(expected[i]) + Float.MIN_VALUE));
    }
    assertThat(inPlace[5]).isZero(); // exp(-2001) underflows, no NaN
    assertThat(inPlace[6]).isZero(); // exp(-inf) = 0
    float[] ls = x.clone();
    kernels.logSoftmax(3, 3, ls, 0, ls, 0);
    assertThat(ls[5]).isCloseTo(-2001.3133f, org.assertj.core.data.Offset.offset(1e-3f));
    assertThat(ls[6]).isEqualTo(Float.NEGATIVE_INFINITY);
    // n = 1: softmax is 1, log-softmax 0.
    float[] one = {-7f};
    kernels.softmax(1, 1, one, 0, one, 0);
    assertThat(one[0]).isEqualTo(1f);
    double[] oneD = {123.0};
    kernels.logSoftmax(1, 1, oneD, 0, oneD, 0);
    assertThat(oneD[0]).isEqualTo(0.0);
    // rows = 0 touches nothing.
    float[] untouched = {9f};
    kernels.softmax(0, 4, untouched, 0, untouched, 0);
    assertThat(untouched[0]).isEqualTo(9f);
    // A NaN spreads to its row only, as in the scalar kernel.
    float[] nan = {1f, Float.NaN, 2f, 1f, 2f, 3f};
    kernels.softmax(2, 3, nan, 0, nan, 0);
    assertThat(nan[0]).isNaN();
    assertThat(nan[5]).isFinite();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernels")
  void extremeValuesInRowsOfWholeVectors(String name, SoftmaxKernels kernels) {
    // 37 = two 16-float vectors and a tail of 5: the extremes sit in the vector part and the tail.
    int n = 37;
    float[] x = new float[n];
    for (int j = 0; j < n; j++) {
      x[j] = j % 3 - 1;
    }
    x[3] = 1000f;
    x[4] = Float.NEGATIVE_INFINITY;
    x[20] = -1000f;
    x[35] = 999f;
    float[] y = x.clone();
    kernels.softmax(1, n, y, 0, y, 0); // in place
    double e = Math.exp(-1);
    assertThat(y[3]).isCloseTo((float) (1 / (1 + e)), org.assertj.core.data.Offset.offset(4 * Math.ulp(1f)));
    assertThat(y[35]).isCloseTo((float) (e / (1 + e)), org.assertj.core.data.Offset.offset(4 * Math.ulp(1f)));
    assertThat(y[4]).isZero();
    assertThat(y[20]).isZero();
    float[] ls = x.clone();
    kernels.logSoftmax(1, n, ls, 0, ls, 0);
    assertThat(ls[4]).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(ls[20]).isCloseTo(-2000f - (float) Math.log1p(e), org.assertj.core.data.Offset.offset(1e-3f));
    assertThat(ls[3]).isCloseTo((float) -Math.log1p(e), org.assertj.core.data.Offset.offset(1e-6f));
  }

  @Test
  void theStartUpSelectionPicksBothKernelsTogether() {
    List<Object> chosen = List.of(GemmKernels.ACTIVE, SoftmaxKernels.ACTIVE);
    assertThat(chosen.get(0) instanceof VectorGemm).isEqualTo(chosen.get(1) instanceof VectorSoftmax);
  }

  private static double max(float[] x, int off, int n) {
    double m = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      m = Math.max(m, x[off + j]);
    }
    return m;
  }

  /** log_softmax of one row, in double with Math.exp (the float row widened exactly). */
  private static double[] reference(float[] x, int off, int n) {
    double[] d = new double[n];
    for (int j = 0; j < n; j++) {
      d[j] = x[off + j];
    }
    return reference(d, 0, n);
  }

  private static double[] reference(double[] x, int off, int n) {
    double m = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      m = Math.max(m, x[off + j]);
    }
    double s = 0;
    for (int j = 0; j < n; j++) {
      s += Math.exp(x[off + j] - m);
    }
    double lse = m + Math.log(s);
    double[] out = new double[n];
    for (int j = 0; j < n; j++) {
      out[j] = x[off + j] - lse;
    }
    return out;
  }
}
