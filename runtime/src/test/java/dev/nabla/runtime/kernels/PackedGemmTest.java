package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A B packed once, multiplied a range of rows at a time ({@link PackedGemm}), gives the bits of
 * {@link Gemm}'s whole product for those rows: both layouts, both precisions, with and without
 * accumulating, over shapes with short row tiles and strips (odd m and n), k over one and several
 * panels, fewer rows than a tile in all (where {@code Gemm.abT} sums in vector lanes), and rows
 * cut into ranges at odd places. Also the packing scratch's size and the argument checks.
 */
class PackedGemmTest {
  private static final int[] M = {1, 3, 7, 8, 9, 21, 64};
  private static final int[] N = {1, 5, 16, 31, 33, 100};
  private static final int[] K = {1, 7, 128, 300};

  @Test
  void rangesOfRowsGiveTheWholeProductsBitsFloat() {
    SplittableRandom r = new SplittableRandom(7);
    int cases = 0;
    for (int m : M) {
      for (int n : N) {
        int k = K[r.nextInt(K.length)];
        for (boolean transposed : new boolean[] {false, true}) {
          boolean accumulate = r.nextBoolean();
          float[] a = floats(r, m * k);
          float[] b = floats(r, k * n);
          float[] c0 = floats(r, m * n);
          float[] whole = c0.clone();
          if (transposed) {
            Gemm.abT(m, n, k, a, 0, b, 0, whole, 0, accumulate);
          } else {
            Gemm.ab(m, n, k, a, 0, b, 0, whole, 0, accumulate);
          }
          float[] packed = new float[PackedGemm.length(n, k)];
          if (transposed) {
            PackedGemm.packBT(n, k, b, 0, packed);
          } else {
            PackedGemm.packB(n, k, b, 0, packed);
          }
          float[] ranged = c0.clone();
          for (int[] range : ranges(r, m)) {
            if (transposed) {
              PackedGemm.abT(m, range[0], range[1], n, k, a, 0, b, 0, packed, ranged, 0, accumulate);
            } else {
              PackedGemm.ab(m, range[0], range[1], n, k, a, 0, b, 0, packed, ranged, 0, accumulate);
            }
          }
          assertThat(ranged).as("%s m=%d n=%d k=%d accumulate=%s", transposed ? "abT" : "ab", m, n, k, accumulate)
              .containsExactly(whole);
          cases++;
        }
      }
    }
    assertThat(cases).isEqualTo(M.length * N.length * 2);
  }

  @Test
  void rangesOfRowsGiveTheWholeProductsBitsDouble() {
    SplittableRandom r = new SplittableRandom(8);
    for (int m : M) {
      for (int n : N) {
        int k = K[r.nextInt(K.length)];
        for (boolean transposed : new boolean[] {false, true}) {
          boolean accumulate = r.nextBoolean();
          double[] a = doubles(r, m * k);
          double[] b = doubles(r, k * n);
          double[] c0 = doubles(r, m * n);
          double[] whole = c0.clone();
          if (transposed) {
            Gemm.abT(m, n, k, a, 0, b, 0, whole, 0, accumulate);
          } else {
            Gemm.ab(m, n, k, a, 0, b, 0, whole, 0, accumulate);
          }
          double[] packed = new double[PackedGemm.length(n, k)];
          if (transposed) {
            PackedGemm.packBT(n, k, b, 0, packed);
          } else {
            PackedGemm.packB(n, k, b, 0, packed);
          }
          double[] ranged = c0.clone();
          for (int[] range : ranges(r, m)) {
            if (transposed) {
              PackedGemm.abT(m, range[0], range[1], n, k, a, 0, b, 0, packed, ranged, 0, accumulate);
            } else {
              PackedGemm.ab(m, range[0], range[1], n, k, a, 0, b, 0, packed, ranged, 0, accumulate);
            }
          }
          assertThat(ranged).as("%s m=%d n=%d k=%d accumulate=%s", transposed ? "abT" : "ab", m, n, k, accumulate)
              .containsExactly(whole);
        }
      }
    }
  }

  /**
   * The LSTM benchmark's per-step products at B = 64 ({@code h @ Whᵀ}, 64 x 512 x 128, onto C;
   * {@code dz @ Wh}, 64 x 128 x 512), large enough that {@code Gemm} splits them across the pool
   * by columns, in the two halves of the batch that a step's loop gives each thread.
   */
  @Test
  void theLstmStepsProductsInHalvesOfTheBatch() {
    SplittableRandom r = new SplittableRandom(10);
    float[] wh = floats(r, 512 * 128);
    float[] h = floats(r, 64 * 128);
    float[] z = floats(r, 64 * 512);
    float[] zWhole = z.clone();
    Gemm.abT(64, 512, 128, h, 0, wh, 0, zWhole, 0, true);
    float[] forward = new float[PackedGemm.length(512, 128)];
    PackedGemm.packBT(512, 128, wh, 0, forward);
    PackedGemm.abT(64, 32, 64, 512, 128, h, 0, wh, 0, forward, z, 0, true);
    PackedGemm.abT(64, 0, 32, 512, 128, h, 0, wh, 0, forward, z, 0, true);
    assertThat(z).containsExactly(zWhole);
    float[] dh = new float[64 * 128];
    float[] dhWhole = new float[64 * 128];
    Gemm.ab(64, 128, 512, zWhole, 0, wh, 0, dhWhole, 0, false);
    float[] backward = new float[PackedGemm.length(128, 512)];
    PackedGemm.packB(128, 512, wh, 0, backward);
    PackedGemm.ab(64, 0, 32, 128, 512, zWhole, 0, wh, 0, backward, dh, 0, false);
    PackedGemm.ab(64, 32, 64, 128, 512, zWhole, 0, wh, 0, backward, dh, 0, false);
    assertThat(dh).containsExactly(dhWhole);
  }

  /**
   * The other two ways a range is computed: with the scalar kernels ({@code -Dnabla.simd=false},
   * or no Vector API), by those kernels on the range, against their whole product; and for
   * vectors wider than 512 bits, element by element with {@code Math.fma}, against the SIMD
   * {@code Gemm}.
   */
  @Test
  void theScalarKernelsAndTheUnpackedChainGiveTheWholeProductsBits() {
    SplittableRandom r = new SplittableRandom(11);
    GemmKernels scalar = new GemmKernels.Scalar();
    int m = 21;
    int n = 37;
    int k = 300;
    for (boolean transposed : new boolean[] {false, true}) {
      int brs = transposed ? 1 : n;
      int bcs = transposed ? k : 1;
      float[] a = floats(r, m * k);
      float[] b = floats(r, k * n);
      float[] c0 = floats(r, m * n);
      float[] whole = c0.clone();
      scalar.gemm(m, n, k, a, 0, k, 1, b, 0, brs, bcs, whole, 0, n, true);
      float[] ranged = c0.clone();
      PackedGemm.run(scalar, false, m, 0, 5, n, k, a, 0, b, 0, transposed, new float[0], ranged, 0, true);
      PackedGemm.run(scalar, false, m, 5, m, n, k, a, 0, b, 0, transposed, new float[0], ranged, 0, true);
      assertThat(ranged).as("scalar, transposed %s", transposed).containsExactly(whole);
      double[] ad = doubles(r, m * k);
      double[] bd = doubles(r, k * n);
      double[] wholeD = new double[m * n];
      scalar.gemm(m, n, k, ad, 0, k, 1, bd, 0, brs, bcs, wholeD, 0, n, false);
      double[] rangedD = new double[m * n];
      PackedGemm.run(scalar, false, m, 0, 13, n, k, ad, 0, bd, 0, transposed, new double[0], rangedD, 0, false);
      PackedGemm.run(scalar, false, m, 13, m, n, k, ad, 0, bd, 0, transposed, new double[0], rangedD, 0, false);
      assertThat(rangedD).as("scalar double, transposed %s", transposed).containsExactly(wholeD);

      float[] simd = c0.clone();
      if (transposed) {
        Gemm.abT(m, n, k, a, 0, b, 0, simd, 0, true);
      } else {
        Gemm.ab(m, n, k, a, 0, b, 0, simd, 0, true);
      }
      float[] chain = c0.clone();
      PackedGemmF32.fmaRows(0, 3, n, k, a, 0, b, 0, brs, bcs, chain, 0, true);
      PackedGemmF32.fmaRows(3, m, n, k, a, 0, b, 0, brs, bcs, chain, 0, true);
      assertThat(chain).as("Math.fma chain, transposed %s", transposed).containsExactly(simd);
    }
  }

  /**
   * A batch of one: the whole product on one caller goes to {@code Gemm} (which splits one of
   * 2^21 multiply-adds by columns across the pool, as before the packing) with its bits, also at
   * k = 1, where {@code ab} and {@code abT} read B alike but sum differently when accumulating.
   */
  @Test
  void aWholeProductOfFewRowsIsGemms() {
    SplittableRandom r = new SplittableRandom(12);
    for (int k : new int[] {1, 512}) {
      for (boolean transposed : new boolean[] {false, true}) {
        int n = 4096;
        float[] a = floats(r, k);
        float[] b = floats(r, k * n);
        float[] whole = floats(r, n);
        float[] packedWay = whole.clone();
        float[] packed = new float[PackedGemm.length(n, k)];
        if (transposed) {
          Gemm.abT(1, n, k, a, 0, b, 0, whole, 0, true);
          PackedGemm.packBT(n, k, b, 0, packed);
          PackedGemm.abT(1, 0, 1, n, k, a, 0, b, 0, packed, packedWay, 0, true);
        } else {
          Gemm.ab(1, n, k, a, 0, b, 0, whole, 0, true);
          PackedGemm.packB(n, k, b, 0, packed);
          PackedGemm.ab(1, 0, 1, n, k, a, 0, b, 0, packed, packedWay, 0, true);
        }
        assertThat(packedWay).as("k=%d transposed %s", k, transposed).containsExactly(whole);
      }
    }
  }

  /** Offsets into larger arrays, as generated code passes them, and B's values past its block untouched. */
  @Test
  void offsetsAreHonoured() {
    SplittableRandom r = new SplittableRandom(9);
    int m = 19;
    int n = 45;
    int k = 37;
    float[] a = floats(r, 3 + m * k);
    float[] b = floats(r, 5 + n * k);
    float[] whole = floats(r, 2 + m * n);
    float[] ranged = whole.clone();
    Gemm.abT(m, n, k, a, 3, b, 5, whole, 2, true);
    float[] packed = new float[PackedGemm.length(n, k) + 4];
    PackedGemm.packBT(n, k, b, 5, packed);
    PackedGemm.abT(m, 0, 10, n, k, a, 3, b, 5, packed, ranged, 2, true);
    PackedGemm.abT(m, 10, m, n, k, a, 3, b, 5, packed, ranged, 2, true);
    assertThat(ranged).containsExactly(whole);
  }

  @Test
  void theLengthMakesRoomForStripsOfThirtyTwoColumns() {
    assertThat(PackedGemm.length(512, 128)).isEqualTo(512 * 128);
    assertThat(PackedGemm.length(33, 10)).isEqualTo(64 * 10);
    assertThat(PackedGemm.length(1, 1)).isEqualTo(32);
    assertThat(PackedGemm.length(0, 5)).isZero();
    assertThatThrownBy(() -> PackedGemm.length(1 << 20, 1 << 20)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than a Java array holds");
  }

  @Test
  void badArgumentsAreNamed() {
    float[] a = new float[8 * 4];
    float[] b = new float[4 * 6];
    float[] c = new float[8 * 6];
    float[] packed = new float[PackedGemm.length(6, 4)];
    assertThatThrownBy(() -> PackedGemm.ab(8, 4, 9, 6, 4, a, 0, b, 0, packed, c, 0, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PackedGemm.ab: rows [4, 9)");
    assertThatThrownBy(() -> PackedGemm.ab(8, 0, 8, 6, 4, a, 0, b, 0, new float[10], c, 0, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("packed");
    float[] both = new float[100];
    assertThatThrownBy(() -> PackedGemm.abT(8, 0, 8, 6, 4, both, 0, b, 0, packed, both, 30, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlaps A");
    assertThatThrownBy(() -> PackedGemm.packB(6, 4, b, 1, packed))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PackedGemm.packB: B is [4, 6]");
  }

  /** {@code [0, m)} cut into a few ranges at random places (a range may be empty). */
  private static int[][] ranges(SplittableRandom r, int m) {
    int cuts = r.nextInt(4);
    int[] at = new int[cuts + 2];
    at[cuts + 1] = m;
    for (int i = 1; i <= cuts; i++) {
      at[i] = r.nextInt(m + 1);
    }
    java.util.Arrays.sort(at);
    int[][] ranges = new int[cuts + 1][];
    for (int i = 0; i <= cuts; i++) {
      ranges[i] = new int[] {at[i], at[i + 1]};
    }
    return ranges;
  }

  private static float[] floats(SplittableRandom r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return x;
  }

  private static double[] doubles(SplittableRandom r, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextDouble() * 2 - 1;
    }
    return x;
  }
}
