package dev.nabla.runtime.kernels;

import static dev.nabla.runtime.kernels.VectorGemm.KC;
import static dev.nabla.runtime.kernels.VectorGemm.MR;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernel of {@link PackedGemm} in double: {@code C (=|+=) A·B} for a range of A's rows,
 * B packed once ({@link #pack}) in the layout {@code VectorGemmF64}'s {@code packed} kernel packs
 * it into at every call, and the same micro-kernel ({@code tile8x2Rows}, A's rows read in place).
 * Each element of C gets the fused multiply-adds of {@code packed} in the same order (p from 0 up,
 * from zero or from C, kept in C between k panels), so a range of rows has the bits the whole
 * product has for them, and no scratch is needed: a short last tile of rows or columns is
 * computed row by row, a vector of columns at a time, the columns past the last whole vector
 * with {@code Math.fma} (what a lane does). Loaded only on the SIMD path ({@link PackedGemm}).
 * The float kernel, {@code PackedGemmF32}, is generated from this file ({@code FloatTwins}).
 */
final class PackedGemmF64 {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

  /**
   * Whether a strip (2L columns) fits {@link PackedGemm#length}'s layout, i.e. vectors of at
   * most 512 bits; else {@link #fmaRows} computes the product, with the same bits, unpacked.
   */
  static final boolean FITS = 2 * S.length() <= PackedGemm.STRIP;

  private PackedGemmF64() {
  }

  /**
   * Packs B ({@code k x n}, {@code B(p, j) = b[bOff + p*brs + j*bcs]}) into {@code packed}: k
   * panel after k panel ({@link VectorGemm#panelEnd}), each {@code depth x wide} values from
   * {@code p0 * wide} ({@code wide}: n rounded up to whole strips), strip after strip.
   */
  static void pack(int n, int k, double[] b, int bOff, int brs, int bcs, double[] packed) {
    if (!FITS) {
      return;
    }
    final int w = 2 * S.length();
    final int wide = (n + w - 1) / w * w;
    final int panels = VectorGemm.parts(k, KC);
    for (int q = 0, p0 = 0; q < panels; q++) {
      final int depth = VectorGemm.panelEnd(k, panels, q) - p0;
      double[] strips = VectorGemmF64.packedB(b, bOff + p0 * brs, brs, bcs, depth, n);
      System.arraycopy(strips, 0, packed, p0 * wide, depth * wide);
      p0 += depth;
    }
  }

  /**
   * Rows {@code [from, to)} of {@code C[m, n] (=|+=) A[m, k] · B}, A's and C's rows contiguous
   * ({@code k} and {@code n} apart), B as {@link #pack} left it. For each k panel and each strip of
   * B, the range's whole tiles of {@value VectorGemm#MR} rows go through the micro-kernel while
   * the strip is in L1.
   */
  static void rows(int from, int to, int n, int k, double[] a, int aOff, double[] packed,
      double[] c, int cOff, boolean accumulate) {
    final int w = 2 * S.length();
    final int wide = (n + w - 1) / w * w;
    final int panels = VectorGemm.parts(k, KC);
    for (int q = 0, p0 = 0; q < panels; q++) {
      final int depth = VectorGemm.panelEnd(k, panels, q) - p0;
      final boolean load = accumulate || p0 > 0;
      for (int j = 0; j < n; j += w) {
        final int bAt = p0 * wide + j * depth;
        final int cols = Math.min(w, n - j);
        int i = from;
        if (cols == w) {
          for (; i + MR <= to; i += MR) {
            VectorGemmF64.tile8x2Rows(depth, a, aOff + i * k + p0, k, packed, bAt, c, cOff + i * n + j, n, load);
          }
        }
        for (; i < to; i++) {
          row(depth, a, aOff + i * k + p0, packed, bAt, w, c, cOff + i * n + j, cols, load);
        }
      }
      p0 += depth;
    }
  }

  /** One row of C's columns {@code [0, cols)} of a strip (w wide): a vector at a time, then lane by lane. */
  private static void row(int depth, double[] a, int ao, double[] pb, int bo, int w,
      double[] c, int co, int cols, boolean load) {
    final int l = S.length();
    final int whole = cols - cols % l;
    for (int v = 0; v < whole; v += l) {
      DoubleVector s = load ? DoubleVector.fromArray(S, c, co + v) : DoubleVector.zero(S);
      for (int p = 0, bp = bo + v; p < depth; p++, bp += w) {
        s = DoubleVector.broadcast(S, a[ao + p]).fma(DoubleVector.fromArray(S, pb, bp), s);
      }
      s.intoArray(c, co + v);
    }
    for (int j = whole; j < cols; j++) {
      double s = load ? c[co + j] : 0;
      for (int p = 0, bp = bo + j; p < depth; p++, bp += w) {
        s = Math.fma(a[ao + p], pb[bp], s);
      }
      c[co + j] = s;
    }
  }

  /**
   * The same product unpacked, element by element (each a chain of {@code Math.fma} over p from
   * zero or from C, the bits of the packed kernel): for vectors wider than 512 bits only.
   */
  static void fmaRows(int from, int to, int n, int k, double[] a, int aOff, double[] b, int bOff, int brs, int bcs,
      double[] c, int cOff, boolean accumulate) {
    for (int i = from; i < to; i++) {
      for (int j = 0; j < n; j++) {
        int at = cOff + i * n + j;
        double s = accumulate ? c[at] : 0;
        for (int p = 0; p < k; p++) {
          s = Math.fma(a[aOff + i * k + p], b[bOff + p * brs + j * bcs], s);
        }
        c[at] = s;
      }
    }
  }
}
