package dev.nabla.runtime.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The double kernel of {@link SkinnyGemm}: {@code C = Aᵀ·B} read in place, with C's rows in
 * vector lanes. The float kernel, {@code SkinnyGemmF32}, is generated from this file at build
 * time ({@code FloatTwins}): edit this one only.
 *
 * <p>In {@code Aᵀ·B} a row p of A holds {@code A(i, p)} for consecutive i, so a vector load of it
 * is L consecutive rows of C at step p, and {@code B(p, j)} is one value to broadcast. A tile of
 * {@value #IV} vectors of rows by {@value #JB} columns of C keeps its sixteen accumulators in
 * registers; each step loads four vectors of A and broadcasts four values of B for sixteen
 * fused multiply-adds. No lane is wasted however few columns C has (the packed kernel puts C's
 * columns in lanes: 28 columns fill 28 of 32), and nothing is transposed.
 *
 * <p>The depth is cut into panels of {@value #KP} steps. For each panel, B's panel is copied into
 * strips of {@value #JB} columns (so that the tiles step through it by a constant: with B's own
 * row stride, a variable, the loop kept its range checks and ran about 10% slower), then for each
 * block of {@value #IV}L rows, the block's panel of A is copied whole vectors at a time to
 * consecutive memory ({@link #copy}: 32 KB in float, where it stays in L1 while the tiles of all
 * of C's columns read it; in place, its steps a row of A apart map to a few sets of L1) and
 * every tile of the block is updated. Panel by panel across the blocks, rather than block by
 * block down the whole depth, reads A's rows in order (about 10% faster at 512 x 28 over 1,792).
 *
 * <p>The tiles hold C transposed; they are kept between panels in a per-thread scratch array (at
 * most {@value #CHUNK} blocks at a time) and written to C, times the scale, after the last panel.
 * Every element of C gets the fused multiply-adds {@code s = fma(A(i,p), B(p,j), s)} for p in
 * order, starting from zero (or from C when accumulating): the same sequence as in
 * {@link VectorGemmF64}'s kernels, whatever the tile (the rows past the last whole vector and the
 * columns past the last whole tile take the same sequence one lane or one value at a time), so
 * the results are theirs.
 */
final class SkinnyGemmF64 {
  /** The preferred species only (see {@link VectorSoftmax} for why never a second shape). */
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

  /** Vectors of C's rows per tile. */
  static final int IV = 4;
  /** Columns of C per tile. */
  static final int JB = 4;
  /**
   * Blocks of rows computed together, panel by panel: their transposed tiles ({@code n} values per
   * row of C) are kept in a scratch array between panels, at most {@value #CHUNK} blocks' worth
   * (256 KB in float at 128 columns), however tall C is.
   */
  static final int CHUNK = 8;
  /** Steps of a panel: a block's panel of A is {@code KP x IV*L} values. */
  static final int KP = 128;

  private SkinnyGemmF64() {
  }

  /** Rows of C per block: {@value #IV} vectors. */
  static int block() {
    return IV * S.length();
  }

  /**
   * Rows {@code [from, to)} of {@code C[m, n] (=|+=) A[k, m]ᵀ · B[k, n]}, with
   * {@code A(i, p) = a[aOff + p*lda + i]}, {@code B(p, j) = b[bOff + p*ldb + j]} and
   * {@code C[i, j] = c[cOff + i*ldc + j]}; then C's rows times {@code scale} (left as they are
   * when it is 1). With {@code sums} (else null), also {@code sums[sumsOff + i] = (sum_p A(i, p))
   * * scale}, the sum taken in order of p from zero. Arguments are already checked; k > 0.
   */
  static void aTb(int from, int to, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
      double[] c, int cOff, int ldc, boolean accumulate, double[] sums, int sumsOff, double scale) {
    final int most = CHUNK * block();
    for (int i0 = from; i0 < to; i0 += most) {
      chunk(i0, Math.min(to, i0 + most), n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, sums, sumsOff, scale);
    }
  }

  /** {@link #aTb} for at most {@value #CHUNK} blocks of rows, whose transposed tiles are kept in scratch. */
  private static void chunk(int from, int to, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
      double[] c, int cOff, int ldc, boolean accumulate, double[] sums, int sumsOff, double scale) {
    final int l = S.length();
    final int rowsPerBlock = IV * l;
    final int blocks = (to - from + rowsPerBlock - 1) / rowsPerBlock;
    final int tileSize = n * rowsPerBlock; // a block's transposed tiles
    final Scratch scratch = SCRATCH.get();
    final double[] t = scratch.tile(blocks * tileSize);
    final double[] pa = scratch.panel(KP * rowsPerBlock);
    final double[] pb = scratch.b(KP * n);
    final int wholeCols = n - n % JB;
    if (accumulate) {
      for (int i0 = from, tb = 0; i0 < to; i0 += rowsPerBlock, tb += tileSize) {
        for (int r = 0, rows = Math.min(rowsPerBlock, to - i0); r < rows; r++) {
          for (int j = 0, at = cOff + (i0 + r) * ldc; j < n; j++) {
            t[tb + j * rowsPerBlock + r] = c[at + j];
          }
        }
      }
    }
    // panel by panel, each across all the blocks of rows: the panel's rows of A (128 rows of
    // A, 256 KB at 512 rows of C in float) are read in order while they are in L2
    for (int p0 = 0; p0 < k; p0 += KP) {
      final int depth = Math.min(KP, k - p0);
      final boolean load = accumulate || p0 > 0;
      final int bp = bOff + p0 * ldb;
      packB(b, bp, ldb, depth, n, pb);
      for (int i0 = from, tb = 0; i0 < to; i0 += rowsPerBlock, tb += tileSize) {
        final int rows = Math.min(rowsPerBlock, to - i0);
        final int vectors = rows / l;
        copy(depth, a, aOff + p0 * lda + i0, lda, rows, pa, rowsPerBlock, sums, sumsOff + i0, p0 == 0);
        for (int j = 0; j < wholeCols; j += JB) {
          if (vectors == IV) {
            tile4x4(depth, pa, 0, pb, j * depth, t, tb + j * rowsPerBlock, rowsPerBlock, load);
          } else {
            for (int v = 0; v < vectors; v++) {
              tile1x4(depth, pa, v * l, rowsPerBlock, pb, j * depth, t, tb + j * rowsPerBlock + v * l, rowsPerBlock, load);
            }
          }
        }
        for (int j = wholeCols; j < n; j++) {
          for (int v = 0; v < vectors; v++) {
            tile1x1(depth, pa, v * l, rowsPerBlock, pb, j * depth, t, tb + j * rowsPerBlock + v * l, load);
          }
        }
        // rows past the last whole vector: the same fused multiply-adds one value at a time
        for (int r = vectors * l; r < rows; r++) {
          for (int j = 0; j < n; j++) {
            final int at = tb + j * rowsPerBlock + r;
            double s = load ? t[at] : 0d;
            for (int p = 0, ai = r, bj = bp + j; p < depth; p++, ai += rowsPerBlock, bj += ldb) {
              s = Math.fma(pa[ai], b[bj], s);
            }
            t[at] = s;
          }
        }
      }
    }
    for (int i0 = from, tb = 0; i0 < to; i0 += rowsPerBlock, tb += tileSize) {
      for (int r = 0, rows = Math.min(rowsPerBlock, to - i0); r < rows; r++) {
        final int at = cOff + (i0 + r) * ldc;
        if (scale == 1) {
          for (int j = 0; j < n; j++) {
            c[at + j] = t[tb + j * rowsPerBlock + r];
          }
        } else {
          for (int j = 0; j < n; j++) {
            c[at + j] = t[tb + j * rowsPerBlock + r] * scale;
          }
          if (sums != null) {
            sums[sumsOff + i0 + r] *= scale;
          }
        }
      }
    }
  }

  /**
   * B's {@code depth x n} panel at {@code off} (rows {@code ld} apart) into {@code out}: strips
   * of {@value #JB} columns ({@code depth x JB} each, at {@code j * depth}), then the columns
   * past the last whole strip one after the other ({@code depth} values at {@code j * depth}), so
   * that the tiles step through B by a constant.
   */
  private static void packB(double[] src, int off, int ld, int depth, int n, double[] out) {
    final int whole = n - n % JB;
    for (int p = 0; p < depth; p++) {
      final int row = off + p * ld;
      for (int j = 0; j < whole; j += JB) {
        final int to = j * depth + p * JB;
        out[to] = src[row + j];
        out[to + 1] = src[row + j + 1];
        out[to + 2] = src[row + j + 2];
        out[to + 3] = src[row + j + 3];
      }
      for (int j = whole; j < n; j++) {
        out[j * depth + p] = src[row + j];
      }
    }
  }

  /**
   * Copies the {@code depth} steps of A's block ({@code rows} values from {@code ap}, steps
   * {@code lda} apart) into {@code pa}, steps {@code ldp} apart. A's steps are a row of A apart (2
   * KB at 512 rows of C: every step's values in the same few sets of L1, which then cannot hold
   * the panel that the tiles of all C's columns read); the copy's are the block's width apart. With
   * {@code sums} (else null), also adds the values to {@code sums[at ..]}, which start from zero
   * on the {@code first} panel: lane by lane the same additions, in order of p, as one value at a time.
   */
  private static void copy(int depth, double[] a, int ap, int lda, int rows, double[] pa, int ldp,
      double[] sums, int at, boolean first) {
    final int l = S.length();
    final int whole = rows - rows % l;
    if (whole == IV * l) {
      // a whole block: step by step, each step's 4L values consecutive in A (whole cache lines)
      DoubleVector s0, s1, s2, s3;
      if (sums == null || first) {
        s0 = s1 = s2 = s3 = DoubleVector.zero(S);
      } else {
        s0 = DoubleVector.fromArray(S, sums, at);
        s1 = DoubleVector.fromArray(S, sums, at + l);
        s2 = DoubleVector.fromArray(S, sums, at + 2 * l);
        s3 = DoubleVector.fromArray(S, sums, at + 3 * l);
      }
      for (int p = 0, ai = ap, pi = 0; p < depth; p++, ai += lda, pi += ldp) {
        DoubleVector x0 = DoubleVector.fromArray(S, a, ai);
        DoubleVector x1 = DoubleVector.fromArray(S, a, ai + l);
        DoubleVector x2 = DoubleVector.fromArray(S, a, ai + 2 * l);
        DoubleVector x3 = DoubleVector.fromArray(S, a, ai + 3 * l);
        x0.intoArray(pa, pi);
        x1.intoArray(pa, pi + l);
        x2.intoArray(pa, pi + 2 * l);
        x3.intoArray(pa, pi + 3 * l);
        s0 = s0.add(x0);
        s1 = s1.add(x1);
        s2 = s2.add(x2);
        s3 = s3.add(x3);
      }
      if (sums != null) {
        s0.intoArray(sums, at);
        s1.intoArray(sums, at + l);
        s2.intoArray(sums, at + 2 * l);
        s3.intoArray(sums, at + 3 * l);
      }
      return;
    }
    for (int v = 0; v < whole; v += l) {
      if (sums == null) {
        for (int p = 0, ai = ap + v, pi = v; p < depth; p++, ai += lda, pi += ldp) {
          DoubleVector.fromArray(S, a, ai).intoArray(pa, pi);
        }
      } else {
        DoubleVector s = first ? DoubleVector.zero(S) : DoubleVector.fromArray(S, sums, at + v);
        for (int p = 0, ai = ap + v, pi = v; p < depth; p++, ai += lda, pi += ldp) {
          DoubleVector x = DoubleVector.fromArray(S, a, ai);
          x.intoArray(pa, pi);
          s = s.add(x);
        }
        s.intoArray(sums, at + v);
      }
    }
    for (int r = whole; r < rows; r++) {
      double s = sums == null || first ? 0d : sums[at + r];
      for (int p = 0, ai = ap + r, pi = r; p < depth; p++, ai += lda, pi += ldp) {
        double x = a[ai];
        pa[pi] = x;
        s += x;
      }
      if (sums != null) {
        sums[at + r] = s;
      }
    }
  }

  /**
   * The micro-kernel: {@value #IV} vectors of rows by {@value #JB} columns. Column j's vector v
   * is at {@code t[to + j*ldt + v*L]} between panels (loaded when {@code load}, else zero).
   */
  private static void tile4x4(int depth, double[] a, int ao, double[] b, int bo,
      double[] t, int to, int ldt, boolean load) {
    final int ldb = JB;
    final int l = S.length();
    final int lda = IV * l;
    DoubleVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
    if (load) {
      int r = to;
      c00 = DoubleVector.fromArray(S, t, r);
      c01 = DoubleVector.fromArray(S, t, r + l);
      c02 = DoubleVector.fromArray(S, t, r + 2 * l);
      c03 = DoubleVector.fromArray(S, t, r + 3 * l);
      r += ldt;
      c10 = DoubleVector.fromArray(S, t, r);
      c11 = DoubleVector.fromArray(S, t, r + l);
      c12 = DoubleVector.fromArray(S, t, r + 2 * l);
      c13 = DoubleVector.fromArray(S, t, r + 3 * l);
      r += ldt;
      c20 = DoubleVector.fromArray(S, t, r);
      c21 = DoubleVector.fromArray(S, t, r + l);
      c22 = DoubleVector.fromArray(S, t, r + 2 * l);
      c23 = DoubleVector.fromArray(S, t, r + 3 * l);
      r += ldt;
      c30 = DoubleVector.fromArray(S, t, r);
      c31 = DoubleVector.fromArray(S, t, r + l);
      c32 = DoubleVector.fromArray(S, t, r + 2 * l);
      c33 = DoubleVector.fromArray(S, t, r + 3 * l);
    } else {
      DoubleVector zero = DoubleVector.zero(S);
      c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = zero;
      c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = zero;
    }
    for (int p = 0; p < depth; p++, ao += lda, bo += ldb) {
      DoubleVector a0 = DoubleVector.fromArray(S, a, ao);
      DoubleVector a1 = DoubleVector.fromArray(S, a, ao + l);
      DoubleVector a2 = DoubleVector.fromArray(S, a, ao + 2 * l);
      DoubleVector a3 = DoubleVector.fromArray(S, a, ao + 3 * l);
      DoubleVector x = DoubleVector.broadcast(S, b[bo]);
      c00 = a0.fma(x, c00);
      c01 = a1.fma(x, c01);
      c02 = a2.fma(x, c02);
      c03 = a3.fma(x, c03);
      x = DoubleVector.broadcast(S, b[bo + 1]);
      c10 = a0.fma(x, c10);
      c11 = a1.fma(x, c11);
      c12 = a2.fma(x, c12);
      c13 = a3.fma(x, c13);
      x = DoubleVector.broadcast(S, b[bo + 2]);
      c20 = a0.fma(x, c20);
      c21 = a1.fma(x, c21);
      c22 = a2.fma(x, c22);
      c23 = a3.fma(x, c23);
      x = DoubleVector.broadcast(S, b[bo + 3]);
      c30 = a0.fma(x, c30);
      c31 = a1.fma(x, c31);
      c32 = a2.fma(x, c32);
      c33 = a3.fma(x, c33);
    }
    int r = to;
    c00.intoArray(t, r);
    c01.intoArray(t, r + l);
    c02.intoArray(t, r + 2 * l);
    c03.intoArray(t, r + 3 * l);
    r += ldt;
    c10.intoArray(t, r);
    c11.intoArray(t, r + l);
    c12.intoArray(t, r + 2 * l);
    c13.intoArray(t, r + 3 * l);
    r += ldt;
    c20.intoArray(t, r);
    c21.intoArray(t, r + l);
    c22.intoArray(t, r + 2 * l);
    c23.intoArray(t, r + 3 * l);
    r += ldt;
    c30.intoArray(t, r);
    c31.intoArray(t, r + l);
    c32.intoArray(t, r + 2 * l);
    c33.intoArray(t, r + 3 * l);
  }

  /** {@link #tile4x4} for one vector of rows (a block's last rows). */
  private static void tile1x4(int depth, double[] a, int ao, int lda, double[] b, int bo,
      double[] t, int to, int ldt, boolean load) {
    final int ldb = JB;
    DoubleVector c0, c1, c2, c3;
    if (load) {
      c0 = DoubleVector.fromArray(S, t, to);
      c1 = DoubleVector.fromArray(S, t, to + ldt);
      c2 = DoubleVector.fromArray(S, t, to + 2 * ldt);
      c3 = DoubleVector.fromArray(S, t, to + 3 * ldt);
    } else {
      c0 = c1 = c2 = c3 = DoubleVector.zero(S);
    }
    for (int p = 0; p < depth; p++, ao += lda, bo += ldb) {
      DoubleVector a0 = DoubleVector.fromArray(S, a, ao);
      c0 = a0.fma(DoubleVector.broadcast(S, b[bo]), c0);
      c1 = a0.fma(DoubleVector.broadcast(S, b[bo + 1]), c1);
      c2 = a0.fma(DoubleVector.broadcast(S, b[bo + 2]), c2);
      c3 = a0.fma(DoubleVector.broadcast(S, b[bo + 3]), c3);
    }
    c0.intoArray(t, to);
    c1.intoArray(t, to + ldt);
    c2.intoArray(t, to + 2 * ldt);
    c3.intoArray(t, to + 3 * ldt);
  }

  /** One vector of rows by one column (the columns past the last whole tile). */
  private static void tile1x1(int depth, double[] a, int ao, int lda, double[] b, int bo,
      double[] t, int to, boolean load) {
    final int ldb = 1;
    DoubleVector c0 = load ? DoubleVector.fromArray(S, t, to) : DoubleVector.zero(S);
    for (int p = 0; p < depth; p++, ao += lda, bo += ldb) {
      c0 = DoubleVector.fromArray(S, a, ao).fma(DoubleVector.broadcast(S, b[bo]), c0);
    }
    c0.intoArray(t, to);
  }

  /** The per-thread panel of A and block of transposed tiles; they only grow, so steady-state calls allocate nothing. */
  private static final class Scratch {
    double[] tile = new double[0];
    double[] panel = new double[0];

    double[] b = new double[0];

    double[] b(int size) {
      if (b.length < size) {
        b = new double[size];
      }
      return b;
    }

    double[] panel(int size) {
      if (panel.length < size) {
        panel = new double[size];
      }
      return panel;
    }

    double[] tile(int size) {
      if (tile.length < size) {
        tile = new double[size];
      }
      return tile;
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
}
