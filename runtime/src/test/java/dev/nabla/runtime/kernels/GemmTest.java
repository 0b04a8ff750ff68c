package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class GemmTest {
  private static final int[] SIZES = {1, 3, 17, 64, 129};

  enum Layout { AB, ABT, ATB }

  static Stream<Arguments> cases() {
    Random r = new Random(42);
    Stream.Builder<Arguments> b = Stream.builder();
    for (Layout layout : Layout.values()) {
      for (int m : SIZES) {
        for (int n : SIZES) {
          // k over the odd sizes plus one that spans several k panels; m, n over all
          int k = SIZES[r.nextInt(SIZES.length)];
          b.add(Arguments.of(layout, m, n, k));
        }
      }
      b.add(Arguments.of(layout, 5, 7, GemmF64.KC * 2 + 3));
      b.add(Arguments.of(layout, GemmF64.MC + 5, 6, 2));
      b.add(Arguments.of(layout, 4, 4, 0));
    }
    return b.build();
  }

  /** {@code A(i, p)} and {@code B(p, j)} of each layout, read naively. */
  private static double naive(Layout l, int m, int n, int k, double[] a, int ao, double[] bm, int bo, int i, int j) {
    double s = 0;
    for (int p = 0; p < k; p++) {
      double x = l == Layout.ATB ? a[ao + p * m + i] : a[ao + i * k + p];
      double y = l == Layout.ABT ? bm[bo + j * k + p] : bm[bo + p * n + j];
      s += x * y;
    }
    return s;
  }

  @ParameterizedTest(name = "{0} m={1} n={2} k={3}")
  @MethodSource("cases")
  void doubleMatchesNaiveTripleLoop(Layout l, int m, int n, int k) {
    Random r = new Random(m * 1000003L + n * 101L + k);
    int ao = 3;
    int bo = 5;
    int co = 2;
    double[] a = random(r, ao + m * k + 4);
    double[] b = random(r, bo + k * n + 1);
    double[] c0 = random(r, co + m * n + 3);
    for (boolean acc : new boolean[] {false, true}) {
      double[] c = c0.clone();
      switch (l) {
        case AB -> Gemm.ab(m, n, k, a, ao, b, bo, c, co, acc);
        case ABT -> Gemm.abT(m, n, k, a, ao, b, bo, c, co, acc);
        case ATB -> Gemm.aTb(m, n, k, a, ao, b, bo, c, co, acc);
      }
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double want = naive(l, m, n, k, a, ao, b, bo, i, j) + (acc ? c0[co + i * n + j] : 0);
          assertThat(c[co + i * n + j]).as("C[%d,%d] acc=%s", i, j, acc)
              .isCloseTo(want, org.assertj.core.api.Assertions.within(1e-12 * (k + 1)));
        }
      }
      // nothing outside C is touched
      for (int q = 0; q < co; q++) {
        assertThat(c[q]).isEqualTo(c0[q]);
      }
      for (int q = co + m * n; q < c.length; q++) {
        assertThat(c[q]).isEqualTo(c0[q]);
      }
    }
  }

  @ParameterizedTest(name = "{0} m={1} n={2} k={3}")
  @MethodSource("cases")
  void floatMatchesNaiveTripleLoop(Layout l, int m, int n, int k) {
    Random r = new Random(m * 7L + n * 13L + k);
    double[] ad = random(r, m * k);
    double[] bd = random(r, k * n);
    double[] cd = random(r, m * n);
    float[] a = toFloat(ad);
    float[] b = toFloat(bd);
    for (boolean acc : new boolean[] {false, true}) {
      float[] c = toFloat(cd);
      switch (l) {
        case AB -> Gemm.ab(m, n, k, a, 0, b, 0, c, 0, acc);
        case ABT -> Gemm.abT(m, n, k, a, 0, b, 0, c, 0, acc);
        case ATB -> Gemm.aTb(m, n, k, a, 0, b, 0, c, 0, acc);
      }
      double[] af = toDouble(a);
      double[] bf = toDouble(b);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double want = naive(l, m, n, k, af, 0, bf, 0, i, j) + (acc ? (float) cd[i * n + j] : 0);
          assertThat((double) c[i * n + j]).isCloseTo(want,
              org.assertj.core.api.Assertions.within(1e-5 * (k + 1)));
        }
      }
    }
  }

  @Test
  void shapeErrorsNameTheBlockAndTheArray() {
    double[] a = new double[10];
    double[] b = new double[8];
    double[] c = new double[6];
    assertThatThrownBy(() -> Gemm.ab(3, 2, 4, a, 0, b, 0, c, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Gemm.ab: A is [3, 4] (12 elements) at offset 0 but its array has 10 elements");
    assertThatThrownBy(() -> Gemm.abT(2, 3, 4, a, 0, b, 0, c, 0, false))
        .hasMessageContaining("Gemm.abT: B is [3, 4]");
    assertThatThrownBy(() -> Gemm.aTb(2, 4, 1, a, 0, b, 0, c, 0, false))
        .hasMessageContaining("Gemm.aTb: C is [2, 4]");
    assertThatThrownBy(() -> Gemm.ab(1, 1, 1, a, -1, b, 0, c, 0, false)).hasMessageContaining("offset -1");
    assertThatThrownBy(() -> Gemm.ab(-1, 1, 1, a, 0, b, 0, c, 0, false)).hasMessageContaining("negative");
    assertThatThrownBy(() -> Gemm.ab(2, 2, 2, a, 0, b, 0, a, 2, false)).hasMessageContaining("overlaps A");
    assertThatThrownBy(() -> Gemm.ab(1 << 20, 1 << 20, 1, a, 0, b, 0, c, 0, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void disjointSlicesOfOneBufferAreFine() {
    double[] buf = {1, 2, 3, 4, /* B */ 5, 6, 7, 8, /* C */ 0, 0, 0, 0};
    Gemm.ab(2, 2, 2, buf, 0, buf, 4, buf, 8, false);
    assertThat(buf).endsWith(19, 22, 43, 50);
  }

  @Test
  void scaleMultipliesARange() {
    double[] x = {1, 2, 3, 4};
    Gemm.scale(x, 1, 2, 0.5);
    assertThat(x).containsExactly(1, 1, 1.5, 4);
    float[] f = {2, 4};
    Gemm.scale(f, 0, 2, 0.25f);
    assertThat(f).containsExactly(0.5f, 1f);
    assertThatThrownBy(() -> Gemm.scale(x, 3, 2, 1)).hasMessageContaining("[3, 5)");
  }

  private static double[] random(Random r, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextDouble() * 2 - 1;
    }
    return x;
  }

  private static float[] toFloat(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  private static double[] toDouble(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }
}
