package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The small-product kernel ({@link SmallGemmF64} and its float twin) gives the packed kernel's
 * bits: every layout, rows past the last four, widths of one to four vectors and between (zero
 * padded), k across a panel boundary, accumulating or not, and each fused form (bias and
 * activation, derivative, column sums of A).
 */
class SmallGemmTest {
  /** Layouts as the strides {@link Gemm} passes: A·B, A·Bᵀ, Aᵀ·B. */
  enum Layout { AB, ABT, ATB }

  static Stream<Arguments> shapes() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (Layout l : Layout.values()) {
      for (int[] mwk : new int[][] {{8, 16, 1}, {10, 32, 10}, {13, 48, 64}, {32, 32, 64}, {9, 64, 300},
          {32, 10, 32}, {11, 1, 5}, {8, 24, 7}, {12, 40, 3}}) {
        s.add(Arguments.of(l, mwk[0], mwk[1], mwk[2]));
      }
    }
    return s.build();
  }

  @Test
  void takesSmallProductsOnly() {
    assertThat(SmallGemmF32.takes(32, 32, 64)).isTrue();
    assertThat(SmallGemmF32.takes(32, 10, 32)).isTrue();
    assertThat(SmallGemmF32.takes(7, 32, 64)).as("fewer rows than a packed strip").isFalse();
    assertThat(SmallGemmF32.takes(256, 256, 256)).as("large").isFalse();
  }

  @ParameterizedTest(name = "{0} m={1} n={2} k={3}")
  @MethodSource("shapes")
  void floatGivesThePackedBits(Layout l, int m, int n, int k) {
    SplittableRandom r = new SplittableRandom(m * 131L + n * 7L + k);
    float[] a = floats(r, m * k + 3);
    float[] b = floats(r, k * n + 2);
    float[] bias = floats(r, n);
    float[] saved = floats(r, m * n);
    int ars = l == Layout.ATB ? 1 : k;
    int acs = l == Layout.ATB ? m : 1;
    int brs = l == Layout.ABT ? 1 : n;
    int bcs = l == Layout.ABT ? k : 1;
    for (int form = 0; form < 8; form++) {
      boolean accumulate = form == 1;
      float[] start = floats(r, m * n);
      float[] c1 = start.clone();
      float[] c2 = start.clone();
      float[] y1 = new float[m * n];
      float[] y2 = new float[m * n];
      float[] s1 = new float[m];
      float[] s2 = new float[m];
      VectorGemmF32.packed(m, n, k, a, 3, ars, acs, b, 2, brs, bcs, c1, 0, n, accumulate, epilogue(form, bias, y1, saved, s1), 0, 0);
      SmallGemmF32.gemm(m, n, k, a, 3, ars, acs, b, 2, brs, bcs, c2, 0, accumulate, epilogue(form, bias, y2, saved, s2), 0);
      assertThat(c2).as("C, form %d", form).containsExactly(c1);
      assertThat(y2).as("Y, form %d", form).containsExactly(y1);
      assertThat(s2).as("sums, form %d", form).containsExactly(s1);
    }
  }

  @ParameterizedTest(name = "{0} m={1} n={2} k={3}")
  @MethodSource("shapes")
  void doubleGivesThePackedBits(Layout l, int m, int n, int k) {
    SplittableRandom r = new SplittableRandom(m * 17L + n * 5L + k);
    double[] a = r.doubles(m * k, -1, 1).toArray();
    double[] b = r.doubles(k * n, -1, 1).toArray();
    int ars = l == Layout.ATB ? 1 : k;
    int acs = l == Layout.ATB ? m : 1;
    int brs = l == Layout.ABT ? 1 : n;
    int bcs = l == Layout.ABT ? k : 1;
    for (boolean accumulate : new boolean[] {false, true}) {
      double[] start = r.doubles(m * n, -1, 1).toArray();
      double[] c1 = start.clone();
      double[] c2 = start.clone();
      VectorGemmF64.packed(m, n, k, a, 0, ars, acs, b, 0, brs, bcs, c1, 0, n, accumulate, null, 0, 0);
      SmallGemmF64.gemm(m, n, k, a, 0, ars, acs, b, 0, brs, bcs, c2, 0, accumulate, null, 0);
      assertThat(c2).containsExactly(c1);
    }
  }

  /**
   * Form 0: none; 1: none, accumulating; 2-5: bias and identity, relu, tanh, sigmoid; 6: relu's
   * derivative; 7: the column sums of A.
   */
  private static GemmEpilogue epilogue(int form, float[] bias, float[] y, float[] saved, float[] sums) {
    if (form < 2) {
      return null;
    }
    GemmEpilogue e = new GemmEpilogue();
    if (form <= 5) {
      e.kind = GemmEpilogue.Kind.BIAS_ACT;
      e.act = Gemm.Act.values()[form - 2];
      e.bias = bias;
      e.y = e.act == Gemm.Act.IDENTITY ? null : y;
    } else if (form == 6) {
      e.kind = GemmEpilogue.Kind.DERIVATIVE;
      e.act = Gemm.Act.RELU;
      e.saved = saved;
    } else {
      e.kind = GemmEpilogue.Kind.SUMS;
      e.sums = sums;
    }
    return e;
  }

  private static float[] floats(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextDouble(-1, 1);
    }
    return v;
  }
}
