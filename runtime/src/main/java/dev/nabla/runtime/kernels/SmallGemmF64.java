package dev.nabla.runtime.kernels;

import static dev.nabla.runtime.kernels.VectorGemm.KC;
import static dev.nabla.runtime.kernels.VectorGemm.MR;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
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
 * rows past the last four; and the fused work ({@link GemmEpilogue}) is done on C afterwards
 * ({@link SmallEpilogueF64}), the column sums of A before, as the other kernels do. A width that
 * is not whole vectors has B copied into rows padded with zeros and C's last vector of each row
 * masked, so that no column needs a scalar tail (C was computed in a padded copy before).
 *
 * <p>The float kernel, {@code SmallGemmF32}, is generated from this file ({@code FloatTwins}).
 */
final class SmallGemmF64 {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

  /** Off with {@code -Dnabla.gemm.small=false} (then {@code packed} takes these products): to measure it. */
  static final boolean ON = !"false".equals(System.getProperty("nabla.gemm.small"));

  /** Products of at most this many multiply-adds count as small. */
  static final long MAX_MACS = 1L << 17;

  /** Per-thread copies of B's rows and a spare vector; they only grow, so steady calls allocate nothing. */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final class Scratch {
    private double[] rows = new double[0];
    /**
     * Four rows of one vector: a tile whose masked last vector would reach past C's end computes
     * there (the Vector API's masked access past an array's end checks every lane in Java, far
     * slower than the access).
     */
    final double[] block = new double[4 * S.length()];

    double[] rows(int size) {
      if (rows.length < size) {
        rows = new double[size];
      }
      return rows;
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
    final int l = S.length();
    Scratch s = SCRATCH.get();
    if (e != null && e.sumsA()) {
      sums(e, m, k, a, aOff, ars, acs, eRow);
    }
    if (bcs != 1 || n % l != 0) {
      // B's rows strided (A·Bᵀ) or not whole vectors: copied into rows of whole vectors, padded
      // with zeros, so that every load of B is a whole vector.
      int wide = n % l == 0 ? n : n + l - n % l;
      double[] rows = s.rows(k * wide);
      if (bcs == 1) {
        for (int p = 0; p < k; p++) {
          System.arraycopy(b, bOff + p * brs, rows, p * wide, n);
        }
      } else if (brs == 1) {
        Transposes.copy(n, k, b, bOff, bcs, rows, wide);
      } else {
        for (int j = 0; j < n; j++) {
          for (int p = 0, from = bOff + j * bcs, to = j; p < k; p++, from += brs, to += wide) {
            rows[to] = b[from];
          }
        }
      }
      if (wide != n) {
        for (int p = 0; p < k; p++) {
          java.util.Arrays.fill(rows, p * wide + n, (p + 1) * wide, 0d);
        }
      }
      product(m, n, k, a, aOff, ars, acs, rows, 0, wide, c, cOff, accumulate, s.block);
    } else {
      product(m, n, k, a, aOff, ars, acs, b, bOff, brs, c, cOff, accumulate, s.block);
    }
    if (e != null && e.finishes()) {
      SmallEpilogueF64.finish(e, c, cOff, m, n, eRow);
    }
  }

  /**
   * The sums of A's rows (the fused column sums of {@code aTb}: {@code sums[i] = sum_p A(i, p)},
   * from zero, p in order) as {@code GemmEpilogueF64.sums} takes them, but with a vector of rows
   * at a time where A's rows are its contiguous index ({@code ars == 1}, A read transposed): each
   * lane adds the same values in the same order, so the same bits, without the scalar loop's
   * chain of dependent additions (32 sums of 32 took about a microsecond of the 64-32-10 step).
   */
  private static void sums(GemmEpilogue e, int m, int k, double[] a, int aOff, int ars, int acs, int row) {
    if (ars != 1) {
      GemmEpilogueF64.sums(e, m, k, a, aOff, ars, acs, row);
      return;
    }
    final int l = S.length();
    double[] sums = (double[]) e.sums;
    int i = 0;
    // (Each vector loaded is the receiver of add: its exact class is known where the loop is parsed.)
    for (; i + 2 * l <= m; i += 2 * l) {
      DoubleVector s0 = DoubleVector.zero(S);
      DoubleVector s1 = s0;
      for (int p = 0, at = aOff + i; p < k; p++, at += acs) {
        s0 = DoubleVector.fromArray(S, a, at).add(s0);
        s1 = DoubleVector.fromArray(S, a, at + l).add(s1);
      }
      s0.intoArray(sums, e.sumsOff + row + i);
      s1.intoArray(sums, e.sumsOff + row + i + l);
    }
    if (i + l <= m) {
      DoubleVector s0 = DoubleVector.zero(S);
      for (int p = 0, at = aOff + i; p < k; p++, at += acs) {
        s0 = DoubleVector.fromArray(S, a, at).add(s0);
      }
      s0.intoArray(sums, e.sumsOff + row + i);
      i += l;
    }
    if (i < m) {
      // Fewer rows than a vector: scalar, the same additions.
      GemmEpilogueF64.sums(e, m - i, k, a, aOff + i, ars, acs, row + i);
    }
  }

  /**
   * {@code C (=|+=) A·B} with B's rows contiguous and whole vectors ({@code brs} a multiple of the
   * vector length, zero past n); C's last vector of a row is masked when n is not whole vectors.
   */
  private static void product(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, double[] c, int cOff, boolean accumulate, double[] block) {
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
        for (; j < n; j += l) {
          int lanes = Math.min(l, n - j);
          int co = cOff + i * n + j;
          if (co + 3 * n + l <= c.length) {
            tile4x1(depth, a, ap + i * ars, ars, acs, b, bp + j, brs, c, co, n, load, lanes);
          } else {
            // The last rows of C: computed in the block, the lanes copied in and out.
            for (int r = 0; load && r < 4; r++) {
              System.arraycopy(c, co + r * n, block, r * l, lanes);
            }
            tile4x1(depth, a, ap + i * ars, ars, acs, b, bp + j, brs, block, 0, l, load, lanes);
            for (int r = 0; r < 4; r++) {
              System.arraycopy(block, r * l, c, co + r * n, lanes);
            }
          }
        }
      }
      for (; i < m; i++) {
        for (int j = 0; j < n; j += l) {
          int lanes = Math.min(l, n - j);
          int co = cOff + i * n + j;
          if (co + l <= c.length) {
            vector(depth, a, ap + i * ars, acs, b, bp + j, brs, c, co, load, lanes);
          } else {
            if (load) {
              System.arraycopy(c, co, block, 0, lanes);
            }
            vector(depth, a, ap + i * ars, acs, b, bp + j, brs, block, 0, load, lanes);
            System.arraycopy(block, 0, c, co, lanes);
          }
        }
      }
    }
  }

  /**
   * One vector of one row of C, its first {@code lanes} lanes (all of them in range of C). The
   * tiles take the lanes as a count and make their mask: a mask or vector passed to a method C2
   * does not inline is an object.
   */
  private static void vector(int depth, double[] a, int ai, int acs, double[] b, int bi, int brs,
      double[] c, int at, boolean load, int lanes) {
    VectorMask<Double> in = S.indexInRange(0, lanes);
    DoubleVector s = load ? DoubleVector.fromArray(S, c, at, in) : DoubleVector.zero(S);
    for (int p = 0; p < depth; p++, ai += acs, bi += brs) {
      s = DoubleVector.broadcast(S, a[ai]).fma(DoubleVector.fromArray(S, b, bi), s);
    }
    s.intoArray(c, at, in);
  }

  /**
   * Four rows by one vector of C, its first {@code lanes} lanes, all in range of C (the vectors of
   * a row past its last pair).
   */
  private static void tile4x1(int depth, double[] a, int a0, int ars, int acs, double[] b, int bi, int brs,
      double[] c, int co, int ldc, boolean load, int lanes) {
    VectorMask<Double> in = S.indexInRange(0, lanes);
    DoubleVector c0;
    DoubleVector c1;
    DoubleVector c2;
    DoubleVector c3;
    if (load) {
      c0 = DoubleVector.fromArray(S, c, co, in);
      c1 = DoubleVector.fromArray(S, c, co + ldc, in);
      c2 = DoubleVector.fromArray(S, c, co + 2 * ldc, in);
      c3 = DoubleVector.fromArray(S, c, co + 3 * ldc, in);
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
    c0.intoArray(c, co, in);
    c1.intoArray(c, co + ldc, in);
    c2.intoArray(c, co + 2 * ldc, in);
    c3.intoArray(c, co + 3 * ldc, in);
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
