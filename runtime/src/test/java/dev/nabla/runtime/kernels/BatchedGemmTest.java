package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link BatchedGemm} against a naive loop over the products, every layout and stride pattern. */
class BatchedGemmTest {
  /** How the operands repeat: contiguous stacks, a shared B, a broadcast A, summed C, ... */
  enum Strides { CONTIGUOUS, SHARED_B, SHARED_A, B_PER_INNER, SUM_OUTER, SUM_INNER, SUM_ALL }

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> b = Stream.builder();
    int[][] sizes = {{16, 16, 16}, {3, 5, 7}, {9, 1, 4}, {1, 8, 3}, {20, 17, 0}};
    for (Strides s : Strides.values()) {
      for (int t = 0; t < 4; t++) {
        for (int[] mnk : sizes) {
          b.add(Arguments.of(s, (t & 1) != 0, (t & 2) != 0, mnk[0], mnk[1], mnk[2]));
        }
      }
    }
    return b.build();
  }

  /** The strides {aOuter, aInner, bOuter, bInner, cOuter, cInner} of a pattern. */
  private static int[] strides(Strides s, int inner, int m, int n, int k) {
    int a = m * k;
    int bs = k * n;
    int c = m * n;
    return switch (s) {
      case CONTIGUOUS -> new int[] {inner * a, a, inner * bs, bs, inner * c, c};
      case SHARED_B -> new int[] {inner * a, a, 0, 0, inner * c, c};
      case SHARED_A -> new int[] {0, 0, inner * bs, bs, inner * c, c};
      case B_PER_INNER -> new int[] {inner * a, a, 0, bs, inner * c, c};
      case SUM_OUTER -> new int[] {inner * a, a, 0, bs, 0, c};
      case SUM_INNER -> new int[] {inner * a, a, inner * bs, bs, c, 0};
      case SUM_ALL -> new int[] {inner * a, a, inner * bs, bs, 0, 0};
    };
  }

  @ParameterizedTest(name = "{0} tA={1} tB={2} m={3} n={4} k={5}")
  @MethodSource("cases")
  void matchesNaiveLoops(Strides pattern, boolean ta, boolean tb, int m, int n, int k) {
    int outer = 5;
    int inner = 3;
    int[] st = strides(pattern, inner, m, n, k);
    SplittableRandom r = new SplittableRandom(m * 31L + n * 7L + k + pattern.ordinal());
    int ao = 2;
    int bo = 1;
    int co = 3;
    double[] a = random(r, ao + outer * inner * m * k + 2);
    double[] b = random(r, bo + outer * inner * k * n + 1);
    float[] af = toFloat(a);
    float[] bf = toFloat(b);
    for (boolean acc : new boolean[] {false, true}) {
      double[] c = random(r, co + outer * inner * m * n + 4);
      float[] cf = toFloat(c);
      double[] expected = c.clone();
      naive(ta, tb, outer, inner, m, n, k, a, ao, st[0], st[1], b, bo, st[2], st[3], expected, co, st[4], st[5], acc);
      BatchedGemm.gemm(ta, tb, outer, inner, m, n, k, a, ao, st[0], st[1], b, bo, st[2], st[3], c, co, st[4], st[5], acc);
      BatchedGemm.gemm(ta, tb, outer, inner, m, n, k, af, ao, st[0], st[1], bf, bo, st[2], st[3], cf, co, st[4], st[5], acc);
      for (int i = 0; i < c.length; i++) {
        assertThat(c[i]).as("double element %d", i).isCloseTo(expected[i], within(1e-12 * (1 + Math.abs(expected[i]))));
        assertThat((double) cf[i]).as("float element %d", i).isCloseTo(expected[i], within(1e-4 * (1 + Math.abs(expected[i]))));
      }
    }
  }

  /** Above the parallel threshold, the threaded products equal the single-threaded ones bit for bit. */
  @Test
  void threadedEqualsSingleThreaded() {
    int outer = 64;
    int inner = 4;
    int m = 16;
    int n = 16;
    int k = 16;
    assertThat((long) outer * inner * m * n * k).isGreaterThanOrEqualTo(BatchedGemm.PARALLEL_MIN_MACS);
    SplittableRandom r = new SplittableRandom(3);
    float[] a = toFloat(random(r, outer * inner * m * k));
    float[] b = toFloat(random(r, outer * inner * k * n));
    for (Strides pattern : new Strides[] {Strides.CONTIGUOUS, Strides.SUM_OUTER, Strides.SUM_INNER}) {
      int[] st = strides(pattern, inner, m, n, k);
      float[] threaded = new float[outer * inner * m * n];
      float[] single = new float[outer * inner * m * n];
      BatchedGemm.gemm(false, true, outer, inner, m, n, k, a, 0, st[0], st[1], b, 0, st[2], st[3], threaded, 0, st[4], st[5], false);
      Parallel.enabled = false;
      try {
        BatchedGemm.gemm(false, true, outer, inner, m, n, k, a, 0, st[0], st[1], b, 0, st[2], st[3], single, 0, st[4], st[5], false);
      } finally {
        Parallel.enabled = true;
      }
      assertThat(threaded).as(pattern.name()).containsExactly(single);
    }
  }

  @Test
  void badArgumentsAreNamed() {
    double[] a = new double[16];
    double[] c = new double[16];
    BatchedGemm.gemm(false, false, 2, 2, 2, 2, 2, a, 0, 8, 4, a, 0, 8, 4, c, 0, 8, 4, false); // fits
    assertThatThrownBy(() -> BatchedGemm.gemm(false, false, 3, 2, 2, 2, 2, a, 0, 8, 4, a, 0, 8, 4, c, 0, 8, 4, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BatchedGemm.ab").hasMessageContaining("A is [2, 2]");
    assertThatThrownBy(() -> BatchedGemm.gemm(false, true, 2, 2, 2, 2, 2, a, 0, 8, 4, a, 0, 8, 4, c, 0, 8, 2, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BatchedGemm.abT").hasMessageContaining("overlap");
    assertThatThrownBy(() -> BatchedGemm.gemm(false, false, 2, 2, 2, 2, 2, c, 0, 8, 4, a, 0, 8, 4, c, 0, 8, 4, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same array");
    assertThatThrownBy(() -> BatchedGemm.gemm(false, false, 2, -1, 2, 2, 2, a, 0, 8, 4, a, 0, 8, 4, c, 0, 8, 4, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative size");
  }

  private static void naive(boolean ta, boolean tb, int outer, int inner, int m, int n, int k,
      double[] a, int ao, int aO, int aI, double[] b, int bo, int bO, int bI,
      double[] c, int co, int cO, int cI, boolean acc) {
    boolean[] written = new boolean[c.length];
    for (int o = 0; o < outer; o++) {
      for (int s = 0; s < inner; s++) {
        int a0 = ao + o * aO + s * aI;
        int b0 = bo + o * bO + s * bI;
        int c0 = co + o * cO + s * cI;
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int p = 0; p < k; p++) {
              double x = ta ? a[a0 + p * m + i] : a[a0 + i * k + p];
              double y = tb ? b[b0 + j * k + p] : b[b0 + p * n + j];
              sum += x * y;
            }
            int at = c0 + i * n + j;
            c[at] = (acc || written[at] ? c[at] : 0) + sum;
            written[at] = true;
          }
        }
      }
    }
  }

  private static double[] random(SplittableRandom r, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextDouble(-1, 1);
    }
    return x;
  }

  private static float[] toFloat(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
      x[i] = f[i]; // both precisions multiply the same numbers
    }
    return f;
  }
}
