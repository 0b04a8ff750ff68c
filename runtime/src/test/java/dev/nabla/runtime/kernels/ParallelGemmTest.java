package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Large products are split across threads by bands of C's rows; the result is bit-for-bit the
 * single-threaded one, in every layout, whatever the thread count.
 */
class ParallelGemmTest {
  @Test
  void threadedProductsEqualTheSingleThreadedOnes() {
    int m = 70;
    int n = 130;
    int k = 300; // 2.7M multiply-adds: above the parallel threshold
    assertThat((long) m * n * k).isGreaterThanOrEqualTo(Gemm.PARALLEL_MIN_MACS);
    SplittableRandom r = new SplittableRandom(5);
    float[] a = randomFloats(r, m * k);
    float[] b = randomFloats(r, k * n);
    float[] threaded = new float[m * n];
    float[] single = new float[m * n];
    Gemm.ab(m, n, k, a, 0, b, 0, threaded, 0, false);
    GemmKernels.ACTIVE.gemm(m, n, k, a, 0, k, 1, b, 0, n, 1, single, 0, n, false);
    assertThat(threaded).containsExactly(single);

    Gemm.abT(m, n / 2, k, a, 0, b, 0, threaded, 0, false); // B read as [n/2, k]
    GemmKernels.ACTIVE.gemm(m, n / 2, k, a, 0, k, 1, b, 0, 1, k, single, 0, n / 2, false);
    assertThat(threaded).containsExactly(single);

    double[] ad = new double[k * m];
    double[] bd = new double[k * n];
    for (int i = 0; i < ad.length; i++) {
      ad[i] = r.nextDouble(-1, 1);
    }
    for (int i = 0; i < bd.length; i++) {
      bd[i] = r.nextDouble(-1, 1);
    }
    double[] td = new double[m * n];
    double[] sd = new double[m * n];
    Gemm.aTb(m, n, k, ad, 0, bd, 0, td, 0, false);
    GemmKernels.ACTIVE.gemm(m, n, k, ad, 0, 1, m, bd, 0, n, 1, sd, 0, n, false);
    assertThat(td).containsExactly(sd);
  }

  /** Taller than one packed row block ({@code VectorGemm.MC}), so bands and blocks cut differently. */
  @Test
  void bandsAcrossRowBlocksEqualTheSingleThreadedProduct() {
    int m = 421;
    int n = 70;
    int k = 300;
    SplittableRandom r = new SplittableRandom(9);
    float[] a = randomFloats(r, k * m);
    float[] b = randomFloats(r, k * n);
    float[] threaded = randomFloats(r, m * n);
    float[] single = threaded.clone();
    Gemm.aTb(m, n, k, a, 0, b, 0, threaded, 0, true);
    GemmKernels.ACTIVE.gemm(m, n, k, a, 0, 1, m, b, 0, n, 1, single, 0, n, true);
    assertThat(threaded).containsExactly(single);
  }

  /**
   * A short product (20 rows) split into bands of 8 and 12 rows: every band must take the same
   * kernel as the whole product. (With a "few rows" kernel for bands under 16 rows, A·Bᵀ once
   * summed its dot products in a different order on two threads.)
   */
  @Test
  void shortProductsSplitIntoBandsThatUseTheWholeProductsKernel() {
    int m = 20;
    int n = 300;
    int k = 400;
    assertThat((long) m * n * k).isGreaterThanOrEqualTo(Gemm.PARALLEL_MIN_MACS);
    SplittableRandom r = new SplittableRandom(11);
    float[] a = randomFloats(r, m * k);
    float[] b = randomFloats(r, n * k);
    float[] threaded = new float[m * n];
    float[] single = new float[m * n];
    Gemm.abT(m, n, k, a, 0, b, 0, threaded, 0, false);
    GemmKernels.ACTIVE.gemm(m, n, k, a, 0, k, 1, b, 0, 1, k, single, 0, n, false);
    assertThat(threaded).containsExactly(single);
  }

  /**
   * Products just above the split threshold: the 784-256-128-10 MLP's n = 10 layers at batch 256
   * (the forward A·Wᵀ with bias and activation, the backward dZ·W with the derivative), and one
   * whose two bands are small enough for {@code SmallGemm} while the whole product is packed. Each
   * gives the bits of the same call with the pool off.
   */
  @Test
  void productsJustAboveTheThresholdGiveTheUnsplitBits() {
    for (Gemm.Act act : Gemm.Act.values()) {
      fusedForward(256, 10, 128, act);
      fusedForward(48, 40, 96, act);
      fusedBackward(256, 128, 10, act);
      fusedBackward(48, 40, 96, act);
    }
  }

  private static void fusedForward(int m, int n, int k, Gemm.Act act) {
    assertThat((long) m * n * k).isGreaterThanOrEqualTo(Gemm.PARALLEL_MIN_MACS);
    SplittableRandom r = new SplittableRandom(m * 31 + n);
    float[] a = randomFloats(r, m * k);
    float[] w = randomFloats(r, n * k);
    float[] bias = randomFloats(r, n);
    float[][] threaded = {new float[m * n], new float[m * n]};
    float[][] single = {new float[m * n], new float[m * n]};
    Gemm.abT(m, n, k, a, 0, w, 0, threaded[0], 0, bias, 0, act, act == Gemm.Act.IDENTITY ? null : threaded[1], 0);
    withoutPool(() -> Gemm.abT(m, n, k, a, 0, w, 0, single[0], 0, bias, 0, act,
        act == Gemm.Act.IDENTITY ? null : single[1], 0));
    assertThat(threaded[0]).as("Z, %s, %d x %d x %d", act, m, n, k).containsExactly(single[0]);
    assertThat(threaded[1]).as("act(Z), %s, %d x %d x %d", act, m, n, k).containsExactly(single[1]);
  }

  private static void fusedBackward(int m, int n, int k, Gemm.Act act) {
    assertThat((long) m * n * k).isGreaterThanOrEqualTo(Gemm.PARALLEL_MIN_MACS);
    SplittableRandom r = new SplittableRandom(m * 37 + n);
    float[] dy = randomFloats(r, m * k);
    float[] w = randomFloats(r, k * n);
    float[] saved = randomFloats(r, m * n);
    float[] threaded = new float[m * n];
    float[] single = new float[m * n];
    Gemm.ab(m, n, k, dy, 0, w, 0, threaded, 0, act, saved, 0);
    withoutPool(() -> Gemm.ab(m, n, k, dy, 0, w, 0, single, 0, act, saved, 0));
    assertThat(threaded).as("dZ, %s, %d x %d x %d", act, m, n, k).containsExactly(single);
  }

  private static void withoutPool(Runnable work) {
    Parallel.enabled = false;
    try {
      work.run();
    } finally {
      Parallel.enabled = true;
    }
  }

  private static float[] randomFloats(SplittableRandom r, int length) {
    float[] x = new float[length];
    for (int i = 0; i < length; i++) {
      x[i] = (float) r.nextDouble(-1, 1);
    }
    return x;
  }
}
