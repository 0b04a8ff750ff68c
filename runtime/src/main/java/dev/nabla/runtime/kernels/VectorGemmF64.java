package dev.nabla.runtime.kernels;

import static dev.nabla.runtime.kernels.VectorGemm.KC;
import static dev.nabla.runtime.kernels.VectorGemm.MC;
import static dev.nabla.runtime.kernels.VectorGemm.MR;
import static dev.nabla.runtime.kernels.VectorGemm.NC;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The double matrix-product kernels of {@link VectorGemm} on the Vector API ({@code packed},
 * {@code rows}, {@code dots}: see there). The float kernels, {@code VectorGemmF32}, are
 * generated from this file at build time ({@code FloatTwins}): edit this one only.
 */
final class VectorGemmF64 {
  /** The preferred species only (see {@link VectorSoftmax} for why never a second shape). */
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

  private VectorGemmF64() {
  }

  /** {@code C (=|+=) A·B} on strided views (see {@link GemmKernels}); picks the kernel by the shape. */
  static void gemm(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, boolean accumulate) {
    if (k == 0 || m == 0 || n == 0) {
      GemmF64.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate);
    } else if (SmallGemmF64.takes(m, n, k)) {
      SmallGemmF64.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate, null, 0);
    } else if (m >= MR) {
      packed(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate, null, 0);
    } else if (bcs == 1) {
      rows(m, n, k, a, aOff, ars, acs, b, bOff, brs, c, cOff, accumulate);
    } else if (acs == 1 && brs == 1) {
      dots(m, n, k, a, aOff, ars, b, bOff, bcs, c, cOff, accumulate);
    } else {
      GemmF64.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate);
    }
  }

  /**
   * {@code C (=|+=) A·B} with the fused work {@code e} (null: none; see {@link GemmEpilogue}),
   * C being rows {@code [eRow, eRow + m)} of the whole product's. The packed kernel applies it
   * block by block as C's blocks are finished; the others after the product.
   */
  static void gemm(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, boolean accumulate,
      GemmEpilogue e, int eRow) {
    if (e != null && SmallGemmF64.takes(m, n, k)) {
      SmallGemmF64.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate, e, eRow);
      return;
    }
    if (e != null && m >= MR && k > 0 && n > 0) {
      packed(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate, e, eRow);
      return;
    }
    if (e != null && e.sumsA()) {
      GemmEpilogueF64.sums(e, m, k, a, aOff, ars, acs, eRow);
    }
    gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate);
    if (e != null) {
      e.finish(c, cOff, n, eRow, 0, m, n);
    }
  }

  /**
   * Fewer than {@value VectorGemm#MR} rows, B's rows contiguous along j: one row of C at a time, a vector
   * of its columns per step p (A(i,p) broadcast times B's row p), then the columns past the last
   * whole vector with {@code Math.fma}, the same fused multiply-add a lane does. No masks (see
   * the class comment).
   */
  private static void rows(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, double[] c, int cOff, boolean accumulate) {
    final int l = S.length();
    final int whole = n - n % l;
    for (int p0 = 0; p0 < k; p0 += KC) {
      final int depth = Math.min(KC, k - p0);
      final boolean load = accumulate || p0 > 0;
      for (int i = 0; i < m; i++) {
        final int a0 = aOff + i * ars + p0 * acs;
        final int c0 = cOff + i * n;
        for (int j = 0; j < whole; j += l) {
          DoubleVector s = load ? DoubleVector.fromArray(S, c, c0 + j) : DoubleVector.zero(S);
          for (int p = 0, ap = a0, bp = bOff + p0 * brs + j; p < depth; p++, ap += acs, bp += brs) {
            s = DoubleVector.broadcast(S, a[ap]).fma(DoubleVector.fromArray(S, b, bp), s);
          }
          s.intoArray(c, c0 + j);
        }
        for (int j = whole; j < n; j++) {
          double s = load ? c[c0 + j] : 0;
          for (int p = 0, ap = a0, bp = bOff + p0 * brs + j; p < depth; p++, ap += acs, bp += brs) {
            s = Math.fma(a[ap], b[bp], s);
          }
          c[c0 + j] = s;
        }
      }
    }
  }

  /**
   * Fewer than {@value VectorGemm#MR} rows, A's rows and B's columns contiguous along p (C = A·Bᵀ): each
   * element of C is a dot product, summed in vector lanes over the whole vectors of p, the lanes
   * added, then the last {@code k mod L} terms added with {@code Math.fma}. No masks.
   */
  private static void dots(int m, int n, int k, double[] a, int aOff, int ars,
      double[] b, int bOff, int bcs, double[] c, int cOff, boolean accumulate) {
    final int l = S.length();
    final int whole = k - k % l;
    for (int i = 0; i < m; i++) {
      final int ai = aOff + i * ars;
      for (int j = 0; j < n; j++) {
        final int bj = bOff + j * bcs;
        DoubleVector lanes = DoubleVector.zero(S);
        for (int p = 0; p < whole; p += l) {
          lanes = DoubleVector.fromArray(S, a, ai + p).fma(DoubleVector.fromArray(S, b, bj + p), lanes);
        }
        double sum = lanes.reduceLanes(VectorOperators.ADD);
        for (int p = whole; p < k; p++) {
          sum = Math.fma(a[ai + p], b[bj + p], sum);
        }
        final int at = cOff + i * n + j;
        c[at] = accumulate ? c[at] + sum : sum;
      }
    }
  }

  /**
   * Any layout with enough rows, in the GotoBLAS/BLIS structure: for each block of
   * {@value VectorGemm#NC} columns and each k panel of depth {@value VectorGemm#KC}, B's panel is
   * packed into {@code 2L}-column strips (32 KB each at depth 256: one stays in L1), then for
   * each block of {@value VectorGemm#MC} rows A's panel is packed into {@value VectorGemm#MR}-row
   * strips (in L2) and every {@code MR x 2L} tile of C is updated by {@link #tile8x2}. Packing
   * turns every layout (A·B, A·Bᵀ, Aᵀ·B) into the same sequential reads, so the three run at the
   * same speed.
   *
   * <p>The fused work {@code e} (null: none) is done on each tile of C right after its last k
   * panel, while the tile is in L1; the sums of A's rows while the first column block packs A.
   */
  static void packed(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, boolean accumulate,
      GemmEpilogue e, int eRow) {
    final int nr = 2 * S.length();
    Scratch scratch = SCRATCH.get();
    final double[] sums = e != null && e.sumsA() ? (double[]) e.sums : null;
    final boolean finish = e != null && e.finishes();
    for (int j0 = 0; j0 < n; j0 += NC) {
      final int nc = Math.min(NC, n - j0);
      for (int p0 = 0; p0 < k; p0 += KC) {
        final int depth = Math.min(KC, k - p0);
        final boolean load = accumulate || p0 > 0;
        final boolean last = p0 + depth == k;
        double[] pb = scratch.packB(b, bOff + p0 * brs + j0 * bcs, brs, bcs, depth, nc, nr);
        for (int i0 = 0; i0 < m; i0 += MC) {
          final int mc = Math.min(MC, m - i0);
          double[] pa = scratch.packA(a, aOff + i0 * ars + p0 * acs, ars, acs, mc, depth,
              j0 == 0 ? sums : null, sums == null ? 0 : e.sumsOff + eRow + i0, p0 == 0);
          for (int j = 0; j < nc; j += nr) {
            final int bAt = j * depth;
            for (int i = 0; i < mc; i += MR) {
              final int aAt = i * depth;
              final int cAt = cOff + (i0 + i) * n + j0 + j;
              if (i + MR <= mc && j + nr <= nc) {
                tile8x2(depth, pa, aAt, pb, bAt, c, cAt, n, load);
              } else {
                // An edge tile goes through a full-size copy so that every element still gets the
                // same sequence of fused multiply-adds as inside (results independent of blocking).
                double[] t = scratch.tile;
                int rows = Math.min(MR, mc - i);
                int cols = Math.min(nr, nc - j);
                if (load) {
                  for (int r = 0; r < rows; r++) {
                    System.arraycopy(c, cAt + r * n, t, r * nr, cols);
                  }
                }
                tile8x2(depth, pa, aAt, pb, bAt, t, 0, nr, load);
                for (int r = 0; r < rows; r++) {
                  System.arraycopy(t, r * nr, c, cAt + r * n, cols);
                }
              }
              if (finish && last) {
                finish(e, c, cAt, n, eRow + i0 + i, j0 + j, Math.min(MR, mc - i), Math.min(nr, nc - j));
              }
            }
          }
        }
      }
    }
  }

  /**
   * The fused work on a finished tile of C ({@code rows x cols} at {@code cAt}, row {@code row}
   * and column {@code col} of the whole product): bias, relu and the derivative factors on whole
   * vectors here, lane by lane the same IEEE operations as {@link GemmEpilogueF64} (no fused
   * multiply-add: {@code mul} then {@code sub}); the columns past the last whole vector, and
   * tanh and sigmoid (the activation kernel), there.
   */
  static void finish(GemmEpilogue e, double[] c, int cAt, int ldc, int row, int col, int rows, int cols) {
    final int l = S.length();
    final int whole = cols - cols % l;
    final boolean forward = e.kind == GemmEpilogue.Kind.BIAS_ACT;
    if (whole == 0 || forward && (e.act == Gemm.Act.TANH || e.act == Gemm.Act.SIGMOID)
        || e.kind == GemmEpilogue.Kind.SUMS) {
      e.finish(c, cAt, ldc, row, col, rows, cols);
      return;
    }
    if (forward) {
      double[] bias = (double[]) e.bias;
      double[] y = (double[]) e.y;
      boolean relu = e.act == Gemm.Act.RELU;
      for (int r = 0; r < rows; r++) {
        int at = cAt + r * ldc;
        int yAt = e.yOff + (row + r) * ldc + col;
        boolean inPlace = relu && y == c && yAt == at;
        for (int j = 0; j < whole; j += l) {
          DoubleVector v = DoubleVector.fromArray(S, c, at + j);
          if (bias != null) {
            v = v.add(DoubleVector.fromArray(S, bias, e.biasOff + col + j));
            if (!inPlace) {
              v.intoArray(c, at + j);
            }
          }
          if (relu) {
            v.max(0d).intoArray(y, yAt + j);
          }
        }
      }
    } else {
      double[] s = (double[]) e.saved;
      DoubleVector one = DoubleVector.broadcast(S, 1d);
      DoubleVector zero = DoubleVector.zero(S);
      for (int r = 0; r < rows; r++) {
        int at = cAt + r * ldc;
        int sAt = e.savedOff + (row + r) * ldc + col;
        for (int j = 0; j < whole; j += l) {
          DoubleVector v = DoubleVector.fromArray(S, c, at + j);
          DoubleVector z = DoubleVector.fromArray(S, s, sAt + j);
          DoubleVector factor = switch (e.act) {
            case IDENTITY -> one;
            // Scalars.step: 1 for z >= 0 (and -0), 0 below and for NaN
            case RELU -> zero.blend(one, z.compare(VectorOperators.GE, 0d));
            case TANH -> one.sub(z.mul(z));
            case SIGMOID -> z.mul(one.sub(z));
          };
          v.mul(factor).intoArray(c, at + j);
        }
      }
    }
    if (whole < cols) {
      e.finish(c, cAt + whole, ldc, row, col + whole, rows, cols - whole);
    }
  }

  /**
   * The micro-kernel: {@code C[0..8, 0..2L) (=|+=) sum_p A(r,p) B(p, .)} over a packed A strip
   * ({@value VectorGemm#MR} values per step p) and a packed B strip (2L values per step). Sixteen vector
   * accumulators stay in registers; each step loads two vectors of B and broadcasts eight values
   * of A, for sixteen fused multiply-adds.
   */
  private static void tile8x2(int depth, double[] pa, int ao, double[] pb, int bo,
      double[] c, int co, int ldc, boolean load) {
    final int l = S.length();
    DoubleVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
    if (load) {
      int r = co;
      c00 = DoubleVector.fromArray(S, c, r);
      c01 = DoubleVector.fromArray(S, c, r + l);
      r += ldc;
      c10 = DoubleVector.fromArray(S, c, r);
      c11 = DoubleVector.fromArray(S, c, r + l);
      r += ldc;
      c20 = DoubleVector.fromArray(S, c, r);
      c21 = DoubleVector.fromArray(S, c, r + l);
      r += ldc;
      c30 = DoubleVector.fromArray(S, c, r);
      c31 = DoubleVector.fromArray(S, c, r + l);
      r += ldc;
      c40 = DoubleVector.fromArray(S, c, r);
      c41 = DoubleVector.fromArray(S, c, r + l);
      r += ldc;
      c50 = DoubleVector.fromArray(S, c, r);
      c51 = DoubleVector.fromArray(S, c, r + l);
      r += ldc;
      c60 = DoubleVector.fromArray(S, c, r);
      c61 = DoubleVector.fromArray(S, c, r + l);
      r += ldc;
      c70 = DoubleVector.fromArray(S, c, r);
      c71 = DoubleVector.fromArray(S, c, r + l);
    } else {
      DoubleVector zero = DoubleVector.zero(S);
      c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = zero;
      c40 = c41 = c50 = c51 = c60 = c61 = c70 = c71 = zero;
    }
    for (int p = 0; p < depth; p++, ao += MR, bo += 2 * l) {
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bo);
      DoubleVector b1 = DoubleVector.fromArray(S, pb, bo + l);
      DoubleVector x = DoubleVector.broadcast(S, pa[ao]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = DoubleVector.broadcast(S, pa[ao + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = DoubleVector.broadcast(S, pa[ao + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = DoubleVector.broadcast(S, pa[ao + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = DoubleVector.broadcast(S, pa[ao + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = DoubleVector.broadcast(S, pa[ao + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = DoubleVector.broadcast(S, pa[ao + 6]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = DoubleVector.broadcast(S, pa[ao + 7]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    int r = co;
    c00.intoArray(c, r);
    c01.intoArray(c, r + l);
    r += ldc;
    c10.intoArray(c, r);
    c11.intoArray(c, r + l);
    r += ldc;
    c20.intoArray(c, r);
    c21.intoArray(c, r + l);
    r += ldc;
    c30.intoArray(c, r);
    c31.intoArray(c, r + l);
    r += ldc;
    c40.intoArray(c, r);
    c41.intoArray(c, r + l);
    r += ldc;
    c50.intoArray(c, r);
    c51.intoArray(c, r + l);
    r += ldc;
    c60.intoArray(c, r);
    c61.intoArray(c, r + l);
    r += ldc;
    c70.intoArray(c, r);
    c71.intoArray(c, r + l);
  }

  /** Per-thread packing buffers; they only grow, so steady-state calls allocate nothing. */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final class Scratch {
    double[] a = new double[0];
    double[] b = new double[0];
    final double[] tile = new double[MR * 2 * S.length()];

    /**
     * Copies the {@code rows x depth} block of A at {@code off} (strides ars, acs) into strips of
     * {@value VectorGemm#MR} rows, each stored step by step ({@code MR} values per p), zero-padded past
     * the last row. With {@code sums} (else null), also adds each row's values, in order, to
     * {@code sums[sumsAt + row]}, which starts from 0 on the {@code first} k panel.
     */
    double[] packA(double[] src, int off, int ars, int acs, int rows, int depth,
        double[] sums, int sumsAt, boolean first) {
      int strips = (rows + MR - 1) / MR;
      int size = strips * MR * depth;
      if (a.length < size) {
        a = new double[size];
      }
      double[] out = a;
      for (int s = 0; s < strips; s++) {
        int i0 = s * MR;
        int valid = Math.min(MR, rows - i0);
        int base = s * MR * depth;
        if (valid < MR) {
          java.util.Arrays.fill(out, base, base + MR * depth, 0d);
        }
        if (ars == 1 && acs != 1) {
          stripByStep(src, off + i0, acs, out, base, valid, depth, sums, sumsAt + i0, first);
          continue;
        }
        for (int r = 0; r < valid; r++) {
          // One row of A at a time: contiguous reads when acs == 1 (A·B, A·Bᵀ).
          if (sums == null) {
            for (int p = 0, from = off + (i0 + r) * ars, to = base + r; p < depth; p++, from += acs, to += MR) {
              out[to] = src[from];
            }
          } else {
            double sum = first ? 0 : sums[sumsAt + i0 + r];
            for (int p = 0, from = off + (i0 + r) * ars, to = base + r; p < depth; p++, from += acs, to += MR) {
              double v = src[from];
              out[to] = v;
              sum += v;
            }
            sums[sumsAt + i0 + r] = sum;
          }
        }
      }
      return out;
    }

    /**
     * One strip of {@link #packA} when A's columns are contiguous (Aᵀ·B): step by step, the
     * strip's {@code valid} values of step p are next to each other in A and in the strip. Row by
     * row, each read would be a row of A away from the last (4 KB at 1024 columns: a TLB miss
     * each), which made Aᵀ·B slower than A·B.
     */
    private static void stripByStep(double[] src, int from, int acs, double[] out, int to, int valid, int depth,
        double[] sums, int sumsAt, boolean first) {
      if (sums != null && first) {
        java.util.Arrays.fill(sums, sumsAt, sumsAt + valid, 0d);
      }
      if (sums != null && valid == MR) {
        // the eight sums in registers, each still added to in order of p
        double s0 = sums[sumsAt], s1 = sums[sumsAt + 1], s2 = sums[sumsAt + 2], s3 = sums[sumsAt + 3];
        double s4 = sums[sumsAt + 4], s5 = sums[sumsAt + 5], s6 = sums[sumsAt + 6], s7 = sums[sumsAt + 7];
        for (int p = 0; p < depth; p++, from += acs, to += MR) {
          double v0 = src[from], v1 = src[from + 1], v2 = src[from + 2], v3 = src[from + 3];
          double v4 = src[from + 4], v5 = src[from + 5], v6 = src[from + 6], v7 = src[from + 7];
          out[to] = v0; out[to + 1] = v1; out[to + 2] = v2; out[to + 3] = v3;
          out[to + 4] = v4; out[to + 5] = v5; out[to + 6] = v6; out[to + 7] = v7;
          s0 += v0; s1 += v1; s2 += v2; s3 += v3;
          s4 += v4; s5 += v5; s6 += v6; s7 += v7;
        }
        sums[sumsAt] = s0; sums[sumsAt + 1] = s1; sums[sumsAt + 2] = s2; sums[sumsAt + 3] = s3;
        sums[sumsAt + 4] = s4; sums[sumsAt + 5] = s5; sums[sumsAt + 6] = s6; sums[sumsAt + 7] = s7;
        return;
      }
      for (int p = 0; p < depth; p++, from += acs, to += MR) {
        if (sums == null && valid == MR) {
          // a constant trip count, which C2 unrolls into straight loads and stores
          for (int r = 0; r < MR; r++) {
            out[to + r] = src[from + r];
          }
        } else if (sums == null) {
          for (int r = 0; r < valid; r++) {
            out[to + r] = src[from + r];
          }
        } else {
          for (int r = 0; r < valid; r++) {
            double v = src[from + r];
            out[to + r] = v;
            sums[sumsAt + r] += v;
          }
        }
      }
    }

    /**
     * Copies rows [0, depth) of the n columns of B into strips of {@code w} columns, each strip
     * {@code depth x w} contiguous, zero-padded past n. The micro-kernel then reads B
     * sequentially: unpacked, a row stride of 4 KiB maps every row of a panel to the same cache
     * set.
     */
    double[] packB(double[] src, int off, int brs, int bcs, int depth, int n, int w) {
      int strips = (n + w - 1) / w;
      int size = strips * depth * w;
      if (b.length < size) {
        b = new double[size];
      }
      double[] out = b;
      for (int s = 0; s < strips; s++) {
        int j0 = s * w;
        int width = Math.min(w, n - j0);
        int base = s * depth * w;
        if (bcs == 1) {
          for (int p = 0; p < depth; p++) {
            System.arraycopy(src, off + p * brs + j0, out, base + p * w, width);
          }
        } else {
          // B's columns are contiguous (A·Bᵀ): read each one along p, write it down the strip.
          for (int jj = 0; jj < width; jj++) {
            for (int p = 0, from = off + (j0 + jj) * bcs, to = base + jj; p < depth; p++, from += brs, to += w) {
              out[to] = src[from];
            }
          }
        }
        if (width < w) {
          for (int p = 0; p < depth; p++) {
            java.util.Arrays.fill(out, base + p * w + width, base + (p + 1) * w, 0d);
          }
        }
      }
      return out;
    }
  }
}
