package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How the packed kernel cuts a product into k panels and row blocks ({@link VectorGemm#panelEnd},
 * {@link VectorGemm#evenly}), and that the cut changes no bit: every element of C is the fused
 * multiply-adds of its terms in order of p, whatever the panels.
 */
class PackedPanelsTest {
  @Test
  void panelsCoverKEvenlyWithNoShallowLastPanel() {
    for (int k = 1; k <= 3000; k++) {
      int panels = VectorGemm.parts(k, VectorGemm.KC);
      assertThat(panels).isEqualTo((k + VectorGemm.KC - 1) / VectorGemm.KC);
      int from = 0;
      int shallowest = Integer.MAX_VALUE;
      int deepest = 0;
      for (int q = 0; q < panels; q++) {
        int to = VectorGemm.panelEnd(k, panels, q);
        int depth = to - from;
        assertThat(depth).as("k=%d panel %d", k, q).isBetween(1, VectorGemm.KC);
        if (q < panels - 1) {
          assertThat(to % 16).as("k=%d panel %d ends on a block of 16", k, q).isZero();
        }
        shallowest = Math.min(shallowest, depth);
        deepest = Math.max(deepest, depth);
        from = to;
      }
      assertThat(from).isEqualTo(k);
      // equal in blocks of 16 but for one block, and the last panel's part of a block
      assertThat(deepest - shallowest).as("k=%d", k).isLessThan(32);
    }
    // k = 784 in four panels: 208 + 3 x 192, not 3 x 256 + 16
    assertThat(VectorGemm.panelEnd(784, 4, 0)).isEqualTo(208);
    assertThat(VectorGemm.panelEnd(784, 4, 1)).isEqualTo(400);
    assertThat(VectorGemm.panelEnd(784, 4, 2)).isEqualTo(592);
    assertThat(VectorGemm.panelEnd(784, 4, 3)).isEqualTo(784);
  }

  @Test
  void rowBlocksAreEqualWholeStrips() {
    assertThat(VectorGemm.evenly(256, VectorGemm.parts(256, VectorGemm.MC), VectorGemm.MR)).isEqualTo(256);
    assertThat(VectorGemm.evenly(512, VectorGemm.parts(512, VectorGemm.MC), VectorGemm.MR)).isEqualTo(256);
    assertThat(VectorGemm.evenly(300, VectorGemm.parts(300, VectorGemm.MC), VectorGemm.MR)).isEqualTo(152);
    assertThat(VectorGemm.evenly(12, 1, VectorGemm.MR)).isEqualTo(16);
  }

  /**
   * m, n, k of products across the panel and row-block edges, in each layout (A in place or
   * packed, with a last short strip of rows), float and double.
   */
  @ParameterizedTest(name = "m={0} n={1} k={2}")
  @CsvSource({"24, 40, 784", "264, 33, 300", "16, 64, 10", "40, 96, 1024", "520, 32, 40", "8, 32, 257",
      "21, 40, 300", "259, 50, 20", "203, 70, 300", "24, 40, 1568", "8, 32, 1025", "21, 70, 2100",
      "16, 1100, 40", "264, 1057, 33"})
  void eachElementIsItsFusedMultiplyAddsInOrder(int m, int n, int k) {
    SplittableRandom random = new SplittableRandom(m * 131L + n * 17L + k);
    GemmKernels simd = new VectorGemm();
    for (GemmKernelsTest.Layout layout : GemmKernelsTest.Layout.values()) {
      int[] st = layout.strides(m, n, k);
      double[] a = random.doubles(m * k, -1, 1).toArray();
      double[] b = random.doubles(n * k, -1, 1).toArray();
      float[] af = new float[a.length];
      float[] bf = new float[b.length];
      for (int i = 0; i < a.length; i++) {
        af[i] = (float) a[i];
      }
      for (int i = 0; i < b.length; i++) {
        bf[i] = (float) b[i];
      }
      double[] c = new double[m * n];
      float[] cf = new float[m * n];
      simd.gemm(m, n, k, a, 0, st[0], st[1], b, 0, st[2], st[3], c, 0, n, false);
      simd.gemm(m, n, k, af, 0, st[0], st[1], bf, 0, st[2], st[3], cf, 0, n, false);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          float sf = 0;
          for (int p = 0; p < k; p++) {
            s = Math.fma(a[i * st[0] + p * st[1]], b[p * st[2] + j * st[3]], s);
            sf = Math.fma(af[i * st[0] + p * st[1]], bf[p * st[2] + j * st[3]], sf);
          }
          assertThat(c[i * n + j]).as("%s double C[%d,%d]", layout, i, j).isEqualTo(s);
          assertThat(cf[i * n + j]).as("%s float C[%d,%d]", layout, i, j).isEqualTo(sf);
        }
      }
    }
  }
}
