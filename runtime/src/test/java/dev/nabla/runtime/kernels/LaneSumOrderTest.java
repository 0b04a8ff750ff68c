package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The SIMD product of fewer than 8 rows by a transposed B ({@code dots}) sums each dot product's
 * lanes in one fixed order, so that its bits do not depend on whether the kernel runs
 * interpreted or compiled (RELIABILITY.md section 8): this test's first calls run in the
 * interpreter, where {@code reduceLanes(ADD)} added the lanes in another order than C2's code.
 */
class LaneSumOrderTest {
  @Test
  void dotProductsSumTheirLanesInAFixedOrder() {
    int m = 3, n = 40, k = 16 * 9 + 5;
    SplittableRandom r = new SplittableRandom(12);
    float[] a = new float[m * k];
    float[] b = new float[n * k];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextDouble(-1, 1) * (i % 7 == 0 ? 1e4f : 1f); // mixed magnitudes: order shows
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) r.nextDouble(-1, 1);
    }
    float[] c = new float[m * n];
    new VectorGemm().gemm(m, n, k, a, 0, k, 1, b, 0, 1, k, c, 0, n, false);
    int l = FloatVector.SPECIES_PREFERRED.length();
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        assertThat(c[i * n + j]).as("[%d, %d]", i, j).isEqualTo(treeDot(a, i * k, b, j * k, k, l));
      }
    }
  }

  /** Lane t sums the terms p = t (mod L) with fma; lanes folded by halves; the tail with fma. */
  private static float treeDot(float[] a, int ai, float[] b, int bj, int k, int l) {
    float[] lanes = new float[l];
    int whole = k - k % l;
    for (int p = 0; p < whole; p++) {
      lanes[p % l] = Math.fma(a[ai + p], b[bj + p], lanes[p % l]);
    }
    for (int h = l / 2; h >= 1; h /= 2) {
      for (int t = 0; t < h; t++) {
        lanes[t] = lanes[t] + lanes[t + h];
      }
    }
    float sum = lanes[0];
    for (int p = whole; p < k; p++) {
      sum = Math.fma(a[ai + p], b[bj + p], sum);
    }
    return sum;
  }
}
