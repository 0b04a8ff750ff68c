package dev.nabla.runtime.kernels;

import static dev.nabla.runtime.kernels.VectorGemm.KC;
import static dev.nabla.runtime.kernels.VectorGemm.MR;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Products too small for packing to pay (a small network's layers: 32 x 32 x 64 at batch 32),
 * for {@link VectorGemmF64}: A and B are read where they are, only a B read transposed (A·Bᵀ) is
 * first copied into rows. In such a product every operand is read from L1 a few times, and
 * {@code packed}'s copies of A and B took longer than the arithmetic (a third of the 64-32-10
 * network's training step at batch 32 went to packing).
 *
 * <p>The same bits as {@code packed}: each element of C gets the same sequence of fused
 * multiply-adds (from zero, or from C when accumulating or past the first panel of
 * {@value VectorGemm#KC} steps), four rows by two vectors at a time, a row by a vector for the
 * rows past the last four; and the fused work ({@link GemmEpilogue}) is done on C afterwards,
 * the column sums of A before, as the other kernels do. A width that is not whole vectors
 * goes through zero-padded copies of B and of C, so that no column needs a scalar tail.
 *
 * <p>The float kernel, {@code SmallGemmF32}, is generated from this file ({@code FloatTwins}).
 */
final class SmallGemmF64 {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

  /** Off with {@code -Dnabla.gemm.small=false} (then {@code packed} takes these products): to measure it. */
  static final boolean ON = !"false".equals(System.getProperty("nabla.gemm.small"));

  /** Products of at most this many multiply-adds count as small. */
  static final long MAX_MACS = 1L << 17;

  /** Per-thread copies of B and padded blocks of C; they only grow, so steady calls allocate nothing. */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final class Scratch {
    private double[] rows = new double[0];
    private double[] block = new double[0];

    double[] rows(int size) {
      if (rows.length < size) {
        rows = new double[size];
      }
      return rows;
    }

    double[] block(int size) {
      if (block.length < size) {
        block = new double[size];
      }
      return block;
    }
  }

  private SmallGemmF64() {
  }

  /** Whether a product is small (and has at least {@value VectorGemm#MR} rows). */
  static boolean takes(int m, int n, int k) {
    return ON && m >= MR && n > 0 && k > 0 && (long) m * n * k <= MAX_MACS;
  }

  /** {@code C (=|+=) A·B} on strided views (see {@link GemmKernels}) with the fused work {@code e} (or null). */
  static void gemm(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, boolean accumulate, GemmEpilogue e, int eRow) {
    if (e != null && e.sumsA()) {
      GemmEpilogueF64.sums(e, m, k, a, aOff, ars, acs, eRow);
    }
    final int l = S.length();
    if (n % l != 0) {
      // A width that is not whole vectors: B copied into rows padded with zeros to whole vectors,
      // C computed in a padded scratch block and its n columns copied back (no scalar tails).
      int wide = n + l - n % l;
      Scratch s = SCRATCH.get();
      double[] rows = s.rows(k * wide);
      for (int p = 0; p < k; p++) {
        for (int j = 0, from = bOff + p * brs, to = p * wide; j < n; j++, from += bcs, to++) {
          rows[to] = b[from];
        }
        java.util.Arrays.fill(rows, p * wide + n, (p + 1) * wide, 0d);
      }
      double[] block = s.block(m * wide);
      if (accumulate) {
        for (int i = 0; i < m; i++) {
          System.arraycopy(c, cOff + i * n, block, i * wide, n);
        }
      }
      product(m, wide, k, a, aOff, ars, acs, rows, 0, wide, block, 0, accumulate);
      for (int i = 0; i < m; i++) {
        System.arraycopy(block, i * wide, c, cOff + i * n, n);
      }
    } else if (bcs != 1) {
      // B's rows are strided (A·Bᵀ): copy them into contiguous rows of n first.
      double[] rows = SCRATCH.get().rows(k * n);
      for (int j = 0; j < n; j++) {
        for (int p = 0, from = bOff + j * bcs, to = j; p < k; p++, from += brs, to += n) {
          rows[to] = b[from];
        }
      }
      product(m, n, k, a, aOff, ars, acs, rows, 0, n, c, cOff, accumulate);
    } else {
      product(m, n, k, a, aOff, ars, acs, b, bOff, brs, c, cOff, accumulate);
    }
    if (e != null && e.finishes()) {
      VectorGemmF64.finish(e, c, cOff, n, eRow, 0, m, n);
    }
  }

  /** {@code C (=|+=) A·B} with B's rows contiguous ({@code bcs == 1}) and n whole vectors. */
  private static void product(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, double[] c, int cOff, boolean accumulate) {
    final int l = S.length();
    for (int p0 = 0; p0 < k; p0 += KC) {
      final int depth = Math.min(KC, k - p0);
      final boolean load = accumulate || p0 > 0;
      final int ap = aOff + p0 * acs;
      final int bp = bOff + p0 * brs;
      int i = 0;
      for (; i + 4 <= m; i += 4) {
        int j = 0;
        for (; j + 2 * l <= n; j += 2 * l) {
          tile4x2(depth, a, ap + i * ars, ars, acs, b, bp + j, brs, c, cOff + i * n + j, n, load);
        }
        if (j < n) {
          tile4x1(depth, a, ap + i * ars, ars, acs, b, bp + j, brs, c, cOff + i * n + j, n, load);
        }
      }
      for (; i < m; i++) {
        for (int j = 0; j < n; j += l) {
          vector(depth, a, ap + i * ars, acs, b, bp + j, brs, c, cOff + i * n + j, load);
        }
      }
    }
  }

  /** One vector of one row of C. */
  private static void vector(int depth, double[] a, int ai, int acs, double[] b, int bi, int brs,
      double[] c, int at, boolean load) {
    DoubleVector s = load ? DoubleVector.fromArray(S, c, at) : DoubleVector.zero(S);
    for (int p = 0; p < depth; p++, ai += acs, bi += brs) {
      s = DoubleVector.broadcast(S, a[ai]).fma(DoubleVector.fromArray(S, b, bi), s);
    }
    s.intoArray(c, at);
  }

  /** Four rows by one vector of C (the last vector of a width of an odd number of vectors). */
  private static void tile4x1(int depth, double[] a, int a0, int ars, int acs, double[] b, int bi, int brs,
      double[] c, int co, int ldc, boolean load) {
    DoubleVector c0;
    DoubleVector c1;
    DoubleVector c2;
    DoubleVector c3;
    if (load) {
      c0 = DoubleVector.fromArray(S, c, co);
      c1 = DoubleVector.fromArray(S, c, co + ldc);
      c2 = DoubleVector.fromArray(S, c, co + 2 * ldc);
      c3 = DoubleVector.fromArray(S, c, co + 3 * ldc);
    } else {
      c0 = c1 = c2 = c3 = DoubleVector.zero(S);
    }
    int a1 = a0 + ars;
    int a2 = a1 + ars;
    int a3 = a2 + ars;
    for (int p = 0; p < depth; p++, a0 += acs, a1 += acs, a2 += acs, a3 += acs, bi += brs) {
      DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
      c0 = DoubleVector.broadcast(S, a[a0]).fma(b0, c0);
      c1 = DoubleVector.broadcast(S, a[a1]).fma(b0, c1);
      c2 = DoubleVector.broadcast(S, a[a2]).fma(b0, c2);
      c3 = DoubleVector.broadcast(S, a[a3]).fma(b0, c3);
    }
    c0.intoArray(c, co);
    c1.intoArray(c, co + ldc);
    c2.intoArray(c, co + 2 * ldc);
    c3.intoArray(c, co + 3 * ldc);
  }

  /**
   * Four rows by two vectors of C in eight accumulators: per step p two loads of B's row p and
   * four broadcasts of A(i, p), one from each row, for eight fused multiply-adds.
   */
  private static void tile4x2(int depth, double[] a, int a0, int ars, int acs, double[] b, int bi, int brs,
      double[] c, int co, int ldc, boolean load) {
    final int l = S.length();
    DoubleVector c00, c01, c10, c11, c20, c21, c30, c31;
    if (load) {
      c00 = DoubleVector.fromArray(S, c, co);
      c01 = DoubleVector.fromArray(S, c, co + l);
      c10 = DoubleVector.fromArray(S, c, co + ldc);
      c11 = DoubleVector.fromArray(S, c, co + ldc + l);
      c20 = DoubleVector.fromArray(S, c, co + 2 * ldc);
      c21 = DoubleVector.fromArray(S, c, co + 2 * ldc + l);
      c30 = DoubleVector.fromArray(S, c, co + 3 * ldc);
      c31 = DoubleVector.fromArray(S, c, co + 3 * ldc + l);
    } else {
      DoubleVector zero = DoubleVector.zero(S);
      c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = zero;
    }
    int a1 = a0 + ars;
    int a2 = a1 + ars;
    int a3 = a2 + ars;
    for (int p = 0; p < depth; p++, a0 += acs, a1 += acs, a2 += acs, a3 += acs, bi += brs) {
      DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
      DoubleVector b1 = DoubleVector.fromArray(S, b, bi + l);
      DoubleVector x = DoubleVector.broadcast(S, a[a0]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = DoubleVector.broadcast(S, a[a1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = DoubleVector.broadcast(S, a[a2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = DoubleVector.broadcast(S, a[a3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    c00.intoArray(c, co);
    c01.intoArray(c, co + l);
    c10.intoArray(c, co + ldc);
    c11.intoArray(c, co + ldc + l);
    c20.intoArray(c, co + 2 * ldc);
    c21.intoArray(c, co + 2 * ldc + l);
    c30.intoArray(c, co + 3 * ldc);
    c31.intoArray(c, co + 3 * ldc + l);
  }
}
