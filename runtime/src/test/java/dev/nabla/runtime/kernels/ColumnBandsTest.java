package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Products wider than tall are split across threads by bands of C's columns (each thread packs
 * its share of B, not all of it). A band is the kernel called on columns {@code [from, to)} of C
 * ({@code ldc = n}) with the fused work told its first column: the bands together must give the
 * bits of the whole product, for the plain and fused forms, every layout, both kernel sets and
 * both precisions, with a last band ending in an edge tile; and the threaded products must give
 * the single-threaded bits.
 */
class ColumnBandsTest {
  private static final int M = 21;
  private static final int N = 77;
  private static final int K = 40;
  /** Two bands: a whole number of 32-column tiles, then the rest (ending in a partial tile). */
  private static final int CUT = 64;

  /** ars, acs, brs, bcs for A·B, A·Bᵀ, Aᵀ·B. */
  private static final int[][] LAYOUTS = {{K, 1, N, 1}, {K, 1, 1, K}, {1, M, N, 1}};

  @Test
  void whichProductsSplitByColumns() {
    assertThat(Gemm.byColumns(256, 1024)).isTrue();
    assertThat(Gemm.byColumns(10, 1024)).isTrue();
    assertThat(Gemm.byColumns(256, 256)).isFalse();
    assertThat(Gemm.byColumns(1024, 784)).isFalse();
    assertThat(Gemm.byColumns(4, 40)).isFalse(); // narrower than two tiles
  }

  @Test
  void bandsOfColumnsGiveTheWholeProductFloat() {
    SplittableRandom r = new SplittableRandom(1);
    float[] a = floats(r, M * K);
    float[] b = floats(r, K * N);
    float[] bias = floats(r, N);
    float[] saved = floats(r, M * N);
    saved[3] = 0;
    for (GemmKernels kernels : new GemmKernels[] {new GemmKernels.Scalar(), GemmKernels.ACTIVE}) {
      for (int[] st : LAYOUTS) {
        for (int form = 0; form < 5; form++) {
          float[] c0 = floats(r, M * N);
          float[] whole = c0.clone();
          float[] banded = c0.clone();
          float[] yWhole = new float[M * N];
          float[] yBanded = new float[M * N];
          float[] sWhole = new float[M];
          float[] sBanded = new float[M];
          boolean accumulate = form == 0;
          GemmEpilogue e = form == 0 ? null : epilogue(form, bias, saved);
          gemm(kernels, st, a, b, whole, accumulate, e, yWhole, sWhole, 0, N);
          gemm(kernels, st, a, b, banded, accumulate, e, yBanded, sBanded, 0, CUT);
          gemm(kernels, st, a, b, banded, accumulate, e, yBanded, sBanded, CUT, N);
          String what = kernels.description() + " " + Arrays.toString(st) + " form " + form;
          assertThat(banded).as(what).containsExactly(whole);
          assertThat(yBanded).as(what).containsExactly(yWhole);
          assertThat(sBanded).as(what).containsExactly(sWhole);
        }
      }
    }
  }

  @Test
  void bandsOfColumnsGiveTheWholeProductDouble() {
    SplittableRandom r = new SplittableRandom(2);
    double[] a = r.doubles(M * K, -1, 1).toArray();
    double[] b = r.doubles(K * N, -1, 1).toArray();
    double[] bias = r.doubles(N, -1, 1).toArray();
    for (GemmKernels kernels : new GemmKernels[] {new GemmKernels.Scalar(), GemmKernels.ACTIVE}) {
      for (int[] st : LAYOUTS) {
        double[] whole = new double[M * N];
        double[] banded = new double[M * N];
        double[] yWhole = new double[M * N];
        double[] yBanded = new double[M * N];
        GemmEpilogue e = epilogue(1, bias, null);
        e.y = yWhole;
        kernels.gemm(M, N, K, a, 0, st[0], st[1], b, 0, st[2], st[3], whole, 0, N, false, e, 0, 0);
        e.y = yBanded;
        kernels.gemm(M, CUT, K, a, 0, st[0], st[1], b, 0, st[2], st[3], banded, 0, N, false, e, 0, 0);
        kernels.gemm(M, N - CUT, K, a, 0, st[0], st[1], b, CUT * st[3], st[2], st[3], banded, CUT, N, false,
            e, 0, CUT);
        assertThat(banded).containsExactly(whole);
        assertThat(yBanded).containsExactly(yWhole);
      }
    }
  }

  /** A kernel given a band of C's columns (C's rows ldc apart) leaves the other columns alone. */
  @Test
  void kernelsWriteOnlyTheirBand() {
    int m = 37, k = 30, ldc = 200, col = 64, n = 77;
    SplittableRandom r = new SplittableRandom(3);
    float[] a = floats(r, m * k);
    float[] b = floats(r, k * ldc);
    for (GemmKernels kernels : new GemmKernels[] {new GemmKernels.Scalar(), GemmKernels.ACTIVE}) {
      for (int rows : new int[] {m, 5}) { // the packed kernel, and the few-rows kernel
        float[] whole = new float[rows * ldc];
        kernels.gemm(rows, ldc, k, a, 0, k, 1, b, 0, ldc, 1, whole, 0, ldc, false);
        float[] band = new float[rows * ldc];
        Arrays.fill(band, 7f);
        kernels.gemm(rows, n, k, a, 0, k, 1, b, col, ldc, 1, band, col, ldc, false);
        for (int i = 0; i < rows; i++) {
          for (int j = 0; j < ldc; j++) {
            float want = j >= col && j < col + n ? whole[i * ldc + j] : 7f;
            assertThat(band[i * ldc + j]).as("%s [%d, %d]", kernels.description(), i, j).isEqualTo(want);
          }
        }
      }
    }
  }

  /**
   * End to end on the pool: a weight gradient of a 10-unit layer ({@code aTb} with the bias sums,
   * 10 x 1024 x 208, just above the threshold) and a forward layer ({@code abT}, bias and relu,
   * 16 x 1024 x 128), threaded and single-threaded.
   */
  @Test
  void threadedWideProductsEqualTheSingleThreadedOnes() {
    int m = 10, n = 1024, k = 208;
    assertThat((long) m * n * k).isGreaterThanOrEqualTo(Gemm.PARALLEL_MIN_MACS);
    assertThat(Gemm.byColumns(m, n)).isTrue();
    SplittableRandom r = new SplittableRandom(4);
    float[] a = floats(r, k * m);
    float[] b = floats(r, k * n);
    float[] threaded = new float[m * n];
    float[] single = new float[m * n];
    float[] sumsThreaded = new float[m];
    float[] sumsSingle = new float[m];
    Gemm.aTb(m, n, k, a, 0, b, 0, threaded, 0, sumsThreaded, 0);
    Parallel.enabled = false;
    try {
      Gemm.aTb(m, n, k, a, 0, b, 0, single, 0, sumsSingle, 0);
    } finally {
      Parallel.enabled = true;
    }
    assertThat(threaded).containsExactly(single);
    assertThat(sumsThreaded).containsExactly(sumsSingle);

    int rows = 16, cols = 1024, depth = 128;
    assertThat((long) rows * cols * depth).isGreaterThanOrEqualTo(Gemm.PARALLEL_MIN_MACS);
    float[] x = floats(r, rows * depth);
    float[] w = floats(r, cols * depth);
    float[] bias = floats(r, cols);
    float[] zThreaded = new float[rows * cols];
    float[] yThreaded = new float[rows * cols];
    float[] zSingle = new float[rows * cols];
    float[] ySingle = new float[rows * cols];
    Gemm.abT(rows, cols, depth, x, 0, w, 0, zThreaded, 0, bias, 0, Gemm.Act.RELU, yThreaded, 0);
    Parallel.enabled = false;
    try {
      Gemm.abT(rows, cols, depth, x, 0, w, 0, zSingle, 0, bias, 0, Gemm.Act.RELU, ySingle, 0);
    } finally {
      Parallel.enabled = true;
    }
    assertThat(zThreaded).containsExactly(zSingle);
    assertThat(yThreaded).containsExactly(ySingle);
  }

  /** Forms 1-4: bias and relu, bias and tanh, relu's derivative, the sums of A's rows. */
  private static GemmEpilogue epilogue(int form, Object bias, Object saved) {
    GemmEpilogue e = new GemmEpilogue();
    switch (form) {
      case 1, 2 -> {
        e.kind = GemmEpilogue.Kind.BIAS_ACT;
        e.act = form == 1 ? Gemm.Act.RELU : Gemm.Act.TANH;
        e.bias = bias;
      }
      case 3 -> {
        e.kind = GemmEpilogue.Kind.DERIVATIVE;
        e.act = Gemm.Act.RELU;
        e.saved = saved;
      }
      default -> e.kind = GemmEpilogue.Kind.SUMS;
    }
    return e;
  }

  /** Columns [from, to) of the product in layout st, as {@link Gemm}'s band of columns computes them. */
  private static void gemm(GemmKernels kernels, int[] st, float[] a, float[] b, float[] c, boolean accumulate,
      GemmEpilogue e, float[] y, float[] sums, int from, int to) {
    if (e == null) {
      kernels.gemm(M, to - from, K, a, 0, st[0], st[1], b, from * st[3], st[2], st[3], c, from, N, accumulate);
      return;
    }
    if (e.kind == GemmEpilogue.Kind.BIAS_ACT) {
      e.y = y;
    }
    if (e.kind == GemmEpilogue.Kind.SUMS) {
      e.sums = sums;
    }
    kernels.gemm(M, to - from, K, a, 0, st[0], st[1], b, from * st[3], st[2], st[3], c, from, N, accumulate,
        e, 0, from);
  }

  private static float[] floats(SplittableRandom r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextDouble(-1, 1);
    }
    return x;
  }
}
