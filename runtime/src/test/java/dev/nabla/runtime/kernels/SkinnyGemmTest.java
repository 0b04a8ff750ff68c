package dev.nabla.runtime.kernels;

import static dev.nabla.runtime.kernels.GemmFusedTest.doubles;
import static dev.nabla.runtime.kernels.GemmFusedTest.floats;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link SkinnyGemm}: {@code Gemm.aTb} of few columns must give the bits of the packed kernels
 * ({@code GemmKernels.ACTIVE} called directly, which {@code Gemm}'s dispatch does not reach) in
 * every form (plain, accumulating, with the sums of A's rows, scaled), for shapes whose rows,
 * columns and depth are not multiples of the vector length, the tile or the panel, at offsets;
 * and threaded products the single-threaded bits.
 */
class SkinnyGemmTest {
  /** Past 512 rows: more than one chunk of blocks in float (8 x 64 rows). */
  private static final int[] ROWS = {1, 15, 16, 17, 64, 65, 100, 191, 600};
  private static final int[] COLUMNS = {1, 3, 4, 5, 28, 31, 33, 100, 128};
  /** The kernel takes depths from {@link SkinnyGemm#LEAST_DEPTH} (512) on. */
  private static final int[] DEPTHS = {512, 513, 519, 700};

  @Test
  void theSimdKernelsTakeFewColumnsOnly() {
    assertThat(SkinnyGemm.FLOAT).as("tests run with the Vector API").isTrue();
    assertThat(SkinnyGemm.takes(512, 28, 1792, 64)).isTrue();
    assertThat(SkinnyGemm.takes(512, 128, 1792, 64)).isTrue();
    assertThat(SkinnyGemm.takes(512, 129, 1792, 64)).isFalse();
    assertThat(SkinnyGemm.takes(63, 28, 1792, 64)).isFalse();
    assertThat(SkinnyGemm.takes(512, 28, 0, 64)).isFalse();
    assertThat(SkinnyGemm.takes(150, 100, 16, 64)).as("a convolution's short depth").isFalse();
    assertThat(SkinnyGemm.takes(512, 28, 511, 64)).isFalse();
  }

  @Test
  void floatGivesThePackedKernelsBits() {
    SplittableRandom r = new SplittableRandom(7);
    int ao = 3;
    int bo = 5;
    int co = 2;
    int so = 1;
    for (int m : ROWS) {
      for (int n : COLUMNS) {
        int k = DEPTHS[r.nextInt(DEPTHS.length)];
        float[] a = floats(r, ao + k * m + 2);
        float[] b = floats(r, bo + k * n + 1);
        float[] c0 = floats(r, co + m * n + 3);
        float scale = 1f / 64;
        for (int form = 0; form < 4; form++) {
          boolean accumulate = form == 1;
          boolean sums = form >= 2;
          float s = form == 3 ? scale : 1f;
          float[] want = c0.clone();
          GemmKernels.ACTIVE.gemm(m, n, k, a, ao, 1, m, b, bo, n, 1, want, co, n, accumulate);
          float[] wantSums = new float[so + m + 1];
          for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
              wantSums[so + i] += a[ao + p * m + i];
            }
          }
          if (form == 3) {
            for (int i = 0; i < m * n; i++) {
              want[co + i] *= s;
            }
            for (int i = 0; i < m; i++) {
              wantSums[so + i] *= s;
            }
          }
          float[] got = c0.clone();
          float[] gotSums = new float[so + m + 1];
          switch (form) {
            case 0, 1 -> Gemm.aTb(m, n, k, a, ao, b, bo, got, co, accumulate);
            case 2 -> Gemm.aTb(m, n, k, a, ao, b, bo, got, co, gotSums, so);
            default -> Gemm.aTb(m, n, k, a, ao, b, bo, got, co, gotSums, so, s);
          }
          String what = "m=" + m + " n=" + n + " k=" + k + " form " + form;
          assertThat(got).as(what).containsExactly(want);
          if (sums) {
            assertThat(gotSums).as(what + " sums").containsExactly(wantSums);
          }
        }
      }
    }
  }

  @Test
  void doubleGivesThePackedKernelsBits() {
    SplittableRandom r = new SplittableRandom(8);
    for (int m : new int[] {31, 32, 33, 100, 300}) {
      for (int n : new int[] {1, 5, 28, 128}) {
        int k = 515;
        double[] a = doubles(r, k * m);
        double[] b = doubles(r, k * n);
        double[] want = new double[m * n];
        GemmKernels.ACTIVE.gemm(m, n, k, a, 0, 1, m, b, 0, n, 1, want, 0, n, false);
        double[] wantSums = new double[m];
        for (int i = 0; i < m; i++) {
          for (int p = 0; p < k; p++) {
            wantSums[i] += a[p * m + i];
          }
        }
        double scale = 1.0 / 3;
        for (int i = 0; i < m * n; i++) {
          want[i] *= scale;
        }
        for (int i = 0; i < m; i++) {
          wantSums[i] *= scale;
        }
        double[] got = new double[m * n];
        double[] gotSums = new double[m];
        Gemm.aTb(m, n, k, a, 0, b, 0, got, 0, gotSums, 0, scale);
        assertThat(got).as("m=%d n=%d", m, n).containsExactly(want);
        assertThat(gotSums).as("m=%d n=%d sums", m, n).containsExactly(wantSums);
      }
    }
  }

  /** The LSTM's dWx with db and dWh (512 x 28 and 512 x 128 over 1,792 rows), and an odd shape, on two threads and on one. */
  @Test
  void threadedProductsEqualTheSingleThreadedOnes() {
    SplittableRandom r = new SplittableRandom(9);
    for (int[] shape : new int[][] {{512, 28, 1792}, {512, 128, 1792}, {333, 31, 999}}) {
      int m = shape[0], n = shape[1], k = shape[2];
      assertThat((long) m * n * k).isGreaterThanOrEqualTo(Gemm.PARALLEL_MIN_MACS);
      float[] a = floats(r, k * m);
      float[] b = floats(r, k * n);
      float[] threaded = new float[m * n];
      float[] single = new float[m * n];
      float[] sumsThreaded = new float[m];
      float[] sumsSingle = new float[m];
      Gemm.aTb(m, n, k, a, 0, b, 0, threaded, 0, sumsThreaded, 0, 1f / 64);
      Parallel.enabled = false;
      try {
        Gemm.aTb(m, n, k, a, 0, b, 0, single, 0, sumsSingle, 0, 1f / 64);
      } finally {
        Parallel.enabled = true;
      }
      assertThat(threaded).containsExactly(single);
      assertThat(sumsThreaded).containsExactly(sumsSingle);
    }
  }
}
