package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The SIMD activation kernels against the scalar ones (which compute each element in double, as
 * the generated loops do), on row lengths around the vector width, with offsets, in place, and
 * with extreme and special inputs.
 */
class VectorActivationsTest {
  private static final ActivationKernels SIMD = new VectorActivations();
  private static final ActivationKernels SCALAR = new ActivationKernels.Scalar();

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Activations.Fn fn : Activations.Fn.values()) {
      for (int n : new int[] {1, 7, 15, 16, 17, 33, 100}) {
        all.add(Arguments.of(fn, n));
      }
    }
    return all.stream();
  }

  /** Allowed ulps of the SIMD result, measured from the larger of the value and the smallest normal. */
  private static int ulps(Activations.Fn fn) {
    return fn == Activations.Fn.SIGMOID ? 8 : 4;
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("cases")
  void simdMatchesScalarInFloat(Activations.Fn fn, int n) {
    int rows = 3;
    SplittableRandom r = new SplittableRandom(n * 31L + fn.ordinal());
    float[] x = new float[2 + rows * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextDouble(-1, 1) * (r.nextBoolean() ? 4 : 80));
    }
    x[2] = Float.NaN;
    x[x.length - 1] = Float.NEGATIVE_INFINITY;
    if (x.length > 4) {
      x[3] = Float.POSITIVE_INFINITY;
      x[4] = -0.0f;
    }
    float[] expected = new float[1 + rows * n];
    float[] actual = new float[1 + rows * n];
    SCALAR.apply(fn, rows, n, x, 2, expected, 1);
    SIMD.apply(fn, rows, n, x, 2, actual, 1);
    for (int i = 1; i < expected.length; i++) {
      float e = expected[i];
      if (Float.isNaN(e)) {
        assertThat(actual[i]).as("%s(%s)", fn, x[i + 1]).isNaN();
      } else if (Float.isInfinite(e)) {
        assertThat(actual[i]).as("%s(%s)", fn, x[i + 1]).isEqualTo(e);
      } else {
        float tolerance = ulps(fn) * Math.ulp(Math.max(Math.abs(e), Float.MIN_NORMAL));
        assertThat(actual[i]).as("%s(%s)", fn, x[i + 1]).isCloseTo(e, org.assertj.core.data.Offset.offset(tolerance));
      }
    }
    // In place gives the same as out of place.
    float[] inPlace = x.clone();
    SIMD.apply(fn, rows, n, inPlace, 2, inPlace, 2);
    for (int i = 0; i < rows * n; i++) {
      assertThat(Float.floatToIntBits(inPlace[2 + i])).isEqualTo(Float.floatToIntBits(actual[1 + i]));
    }
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("cases")
  void simdMatchesScalarInDouble(Activations.Fn fn, int n) {
    int rows = 2;
    SplittableRandom r = new SplittableRandom(n * 17L + fn.ordinal());
    double[] x = r.doubles(rows * n, -30, 30).toArray();
    double[] expected = new double[rows * n];
    double[] actual = new double[rows * n];
    SCALAR.apply(fn, rows, n, x, 0, expected, 0);
    SIMD.apply(fn, rows, n, x, 0, actual, 0);
    for (int i = 0; i < expected.length; i++) {
      double tolerance = ulps(fn) * Math.ulp(Math.max(Math.abs(expected[i]), Double.MIN_NORMAL));
      assertThat(actual[i]).as("%s(%s)", fn, x[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(tolerance));
    }
  }

  /** Rows are independent: any split of the rows gives the same bits as one call. */
  @Test
  void splittingTheRowsChangesNoBit() {
    int rows = 10;
    int n = 37;
    float[] x = new float[rows * n];
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble(-6, 6);
    }
    float[] whole = new float[rows * n];
    float[] parts = new float[rows * n];
    SIMD.apply(Activations.Fn.TANH, rows, n, x, 0, whole, 0);
    SIMD.apply(Activations.Fn.TANH, 3, n, x, 0, parts, 0);
    SIMD.apply(Activations.Fn.TANH, rows - 3, n, x, 3 * n, parts, 3 * n);
    assertThat(parts).containsExactly(whole);
  }

  @Test
  void blocksOutsideTheArraysAreRefused() {
    assertThatThrownBy(() -> Activations.apply(Activations.Fn.SIGMOID, 2, 5, new float[9], 0, new float[10], 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Activations.sigmoid");
  }
}
