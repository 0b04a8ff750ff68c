package dev.nabla.runtime.kernels;

import static dev.nabla.runtime.kernels.VectorGemm.KC;
import static dev.nabla.runtime.kernels.VectorGemm.MC;
import static dev.nabla.runtime.kernels.VectorGemm.MR;
import static dev.nabla.runtime.kernels.VectorGemm.NC;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
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

  /**
   * {@code C (=|+=) A·B} on strided views (see {@link GemmKernels}; C's rows {@code ldc} apart);
   * picks the kernel by the shape.
   */
  static void gemm(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, int ldc, boolean accumulate) {
    if (k == 0 || m == 0 || n == 0) {
      GemmF64.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
    } else if (ldc == n && SmallGemmF64.takes(m, n, k)) {
      // the small kernel writes C contiguously (a whole product, never a band of columns)
      SmallGemmF64.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate, null, 0);
    } else if (m >= MR) {
      packed(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate, null, 0, 0);
    } else if (bcs == 1) {
      rows(m, n, k, a, aOff, ars, acs, b, bOff, brs, c, cOff, ldc, accumulate);
    } else if (acs == 1 && brs == 1) {
      dots(m, n, k, a, aOff, ars, b, bOff, bcs, c, cOff, ldc, accumulate);
    } else {
      GemmF64.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
    }
  }

  /**
   * {@code C (=|+=) A·B} with the fused work {@code e} (null: none; see {@link GemmEpilogue}),
   * C being rows {@code [eRow, eRow + m)} and columns {@code [eCol, eCol + n)} of the whole
   * product's. The packed kernel applies it block by block as C's blocks are finished; the others
   * after the product. The sums of A's rows are taken by the band of column 0 only.
   */
  static void gemm(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, int ldc, boolean accumulate,
      GemmEpilogue e, int eRow, int eCol) {
    if (e != null && ldc == n && eCol == 0 && SmallGemmF64.takes(m, n, k)) {
      SmallGemmF64.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate, e, eRow);
      return;
    }
    if (e != null && m >= MR && k > 0 && n > 0) {
      packed(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate, e, eRow, eCol);
      return;
    }
    if (e != null && e.sumsA() && eCol == 0) {
      GemmEpilogueF64.sums(e, m, k, a, aOff, ars, acs, eRow);
    }
    gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
    if (e != null) {
      e.finish(c, cOff, ldc, eRow, eCol, m, n);
    }
  }

  /**
   * Fewer than {@value VectorGemm#MR} rows, B's rows contiguous along j: one row of C at a time, a vector
   * of its columns per step p (A(i,p) broadcast times B's row p), then the columns past the last
   * whole vector with {@code Math.fma}, the same fused multiply-add a lane does. No masks (see
   * the class comment).
   */
  private static void rows(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, double[] c, int cOff, int ldc, boolean accumulate) {
    final int l = S.length();
    final int whole = n - n % l;
    for (int p0 = 0; p0 < k; p0 += KC) {
      final int depth = Math.min(KC, k - p0);
      final boolean load = accumulate || p0 > 0;
      for (int i = 0; i < m; i++) {
        final int a0 = aOff + i * ars + p0 * acs;
        final int c0 = cOff + i * ldc;
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
   * added ({@link #sumOfLanes}), then the last {@code k mod L} terms added with {@code Math.fma}.
   * No masks.
   */
  private static void dots(int m, int n, int k, double[] a, int aOff, int ars,
      double[] b, int bOff, int bcs, double[] c, int cOff, int ldc, boolean accumulate) {
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
        double sum = sumOfLanes(lanes);
        for (int p = whole; p < k; p++) {
          sum = Math.fma(a[ai + p], b[bj + p], sum);
        }
        final int at = cOff + i * ldc + j;
        c[at] = accumulate ? c[at] + sum : sum;
      }
    }
  }

  /**
   * The sum of v's lanes in a fixed order: lane t + h added to lane t for h = L/2, L/4, ..., 1,
   * then lane 0. Each step is a lanewise add, the same IEEE operation interpreted and compiled,
   * so the sum does not depend on the JIT tier; {@code reduceLanes(ADD)} adds in one order in
   * the Vector API's Java fallback and in another once C2 has compiled it (RELIABILITY.md
   * section 8), and costs about the same as these steps.
   */
  static double sumOfLanes(DoubleVector v) {
    final int l = S.length();
    if (l > 8) {
      v = v.add(v.rearrange(FOLD8));
    }
    if (l > 4) {
      v = v.add(v.rearrange(FOLD4));
    }
    if (l > 2) {
      v = v.add(v.rearrange(FOLD2));
    }
    if (l > 1) {
      v = v.add(v.rearrange(FOLD1));
    }
    return v.lane(0);
  }

  private static final VectorShuffle<Double> FOLD8 = folding(8);
  private static final VectorShuffle<Double> FOLD4 = folding(4);
  private static final VectorShuffle<Double> FOLD2 = folding(2);
  private static final VectorShuffle<Double> FOLD1 = folding(1);

  /** Lane t takes lane t + h (wrapping: only the lanes below h are used). */
  private static VectorShuffle<Double> folding(int h) {
    int l = S.length();
    int[] lanes = new int[l];
    for (int t = 0; t < l; t++) {
      lanes[t] = (t + h) % l;
    }
    return VectorShuffle.fromArray(S, lanes, 0);
  }

  /**
   * At most this deep, a product is one shallow panel whose cost is writing C, not the
   * arithmetic: its rows are then taken one strip of A at a time across all of B's columns, so
   * that C is written row by row (B's panel, {@code k x n} values, is small and stays in cache)
   * rather than column strip by column strip down 256 rows of C.
   */
  private static final int SHALLOW = 32;

  /**
   * Any layout with enough rows, in the GotoBLAS/BLIS structure: for each block of
   * {@value VectorGemm#NC} columns and each k panel of depth at most {@value VectorGemm#KC}, B's
   * panel is packed into {@code 2L}-column strips (128 KB each at depth 1024, read from L2), then
   * for each block of at most {@value VectorGemm#MC} rows A's panel is packed into
   * {@value VectorGemm#MR}-row strips (in L2) and every {@code MR x 2L} tile of C is updated by
   * {@link #tile8x2}. The panels and row blocks are cut evenly ({@link VectorGemm#panelEnd}): no
   * shallow last panel (k = 1568 is 2 x 784, not 1024 + 544), and a batch of 256 rows is
   * one block rather than 192 + 64, which would stream each B strip through L1 twice. Packing
   * turns every layout (A·B, A·Bᵀ, Aᵀ·B) into the same sequential reads, so the three run at the
   * same speed.
   *
   * <p>A whose rows are contiguous along k (A·B, A·Bᵀ) is not packed: the micro-kernel
   * broadcasts its values from the rows in place ({@link #tile8x2Rows}), which reads them as
   * sequentially as a packed strip. Packing it cost each thread of a product split into bands of
   * columns (the forward products and input gradients of a training step, A being the batch)
   * a copy of all of A. The rows of a last strip shorter than {@value VectorGemm#MR} are packed.
   *
   * <p>The fused work {@code e} (null: none) is done on each tile of C right after its last k
   * panel, while the tile is in L1; the sums of A's rows while the first column block packs A.
   */
  /** {@code -Dnabla.gemm.sgdByTile=true}: the SGD step tile by tile (for comparisons). */
  private static final boolean BY_BLOCK = !Boolean.getBoolean("nabla.gemm.sgdByTile");

  /** {@code -Dnabla.gemm.packA=true} packs A in every layout (for comparisons). */
  private static final boolean IN_PLACE = !Boolean.getBoolean("nabla.gemm.packA");

  static void packed(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, int ldc, boolean accumulate,
      GemmEpilogue e, int eRow, int eCol) {
    final int nr = 2 * S.length();
    Scratch scratch = SCRATCH.get();
    final double[] sums = e != null && e.sumsA() && eCol == 0 ? (double[]) e.sums : null;
    final boolean finish = e != null && e.finishes();
    final int panels = VectorGemm.parts(k, KC);
    final int rowBlock = k <= SHALLOW ? MR : VectorGemm.evenly(m, VectorGemm.parts(m, MC), MR);
    final boolean inPlace = IN_PLACE && acs == 1 && sums == null;
    // An SGD step reads the params' block of each tile of C: 8 rows 4 KB apart (a 1024-wide
    // layer), which no hardware prefetcher follows. It is taken once a row block of C is done,
    // row by row, so that the params are read as sequentially as a pass of its own would.
    final boolean byBlock = e != null && e.update != null && BY_BLOCK;
    for (int j0 = 0; j0 < n; j0 += NC) {
      final int nc = Math.min(NC, n - j0);
      for (int q = 0, p0 = 0; q < panels; q++) {
        final int depth = VectorGemm.panelEnd(k, panels, q) - p0;
        final boolean load = accumulate || p0 > 0;
        final boolean last = q == panels - 1;
        double[] pb = scratch.packB(b, bOff + p0 * brs + j0 * bcs, brs, bcs, depth, nc, nr);
        for (int i0 = 0; i0 < m; i0 += rowBlock) {
          final int mc = Math.min(rowBlock, m - i0);
          final int whole = mc - mc % MR; // rows of whole strips
          // in place: only a last short strip is packed (at 0)
          double[] pa = !inPlace
              ? scratch.packA(a, aOff + i0 * ars + p0 * acs, ars, acs, mc, depth,
                  j0 == 0 ? sums : null, sums == null ? 0 : e.sumsOff + eRow + i0, p0 == 0)
              : whole < mc ? scratch.packA(a, aOff + (i0 + whole) * ars + p0, ars, 1, mc - whole, depth, null, 0, false)
              : null;
          for (int j = 0; j < nc; j += nr) {
            final int bAt = j * depth;
            for (int i = 0; i < mc; i += MR) {
              final int aAt = inPlace ? 0 : i * depth;
              final int rowAt = aOff + (i0 + i) * ars + p0; // A's row i0 + i at step p0, in place
              final int cAt = cOff + (i0 + i) * ldc + j0 + j;
              if (i + MR <= mc && j + nr <= nc) {
                if (inPlace) {
                  tile8x2Rows(depth, a, rowAt, ars, pb, bAt, c, cAt, ldc, load);
                } else {
                  tile8x2(depth, pa, aAt, pb, bAt, c, cAt, ldc, load);
                }
              } else {
                // An edge tile goes through a full-size copy so that every element still gets the
                // same sequence of fused multiply-adds as inside (results independent of blocking).
                double[] t = scratch.tile;
                int rows = Math.min(MR, mc - i);
                int cols = Math.min(nr, nc - j);
                if (load) {
                  for (int r = 0; r < rows; r++) {
                    System.arraycopy(c, cAt + r * ldc, t, r * nr, cols);
                  }
                }
                if (inPlace && rows == MR) {
                  tile8x2Rows(depth, a, rowAt, ars, pb, bAt, t, 0, nr, load);
                } else {
                  tile8x2(depth, pa, aAt, pb, bAt, t, 0, nr, load);
                }
                for (int r = 0; r < rows; r++) {
                  System.arraycopy(t, r * nr, c, cAt + r * ldc, cols);
                }
              }
              if (finish && last && !byBlock) {
                finish(e, c, cAt, ldc, eRow + i0 + i, eCol + j0 + j, Math.min(MR, mc - i), Math.min(nr, nc - j));
              }
            }
          }
          if (finish && last && byBlock) {
            finish(e, c, cOff + i0 * ldc + j0, ldc, eRow + i0, eCol + j0, mc, nc);
          }
        }
        p0 += depth;
      }
    }
  }

  /**
   * The fused work on a finished tile of C ({@code rows x cols} at {@code cAt}, row {@code row}
   * and column {@code col} of the whole product): bias, relu, the derivative factors, and the
   * weight gradient's scale and SGD step on whole
   * vectors here, lane by lane the same IEEE operations as {@link GemmEpilogueF64} (no fused
   * multiply-add: {@code mul} then {@code sub}), and tanh and sigmoid through the activation
   * kernel's lane math ({@link DoubleLaneMath}, the same lanes as over whole rows); the columns
   * past the last whole vector there.
   */
  static void finish(GemmEpilogue e, double[] c, int cAt, int ldc, int row, int col, int rows, int cols) {
    final int l = S.length();
    final int whole = cols - cols % l;
    final boolean forward = e.kind == GemmEpilogue.Kind.BIAS_ACT;
    if (whole == 0) {
      e.finish(c, cAt, ldc, row, col, rows, cols);
      return;
    }
    if (e.kind == GemmEpilogue.Kind.SUMS) {
      DoubleVector scale = DoubleVector.broadcast(S, (double) e.scale);
      DoubleVector rate = DoubleVector.broadcast(S, (double) e.rate);
      double[] w = (double[]) e.update;
      for (int r = 0; r < rows; r++) {
        int at = cAt + r * ldc;
        int wAt = e.updateOff + (row + r) * ldc + col;
        for (int j = 0; j < whole; j += l) {
          DoubleVector g = DoubleVector.fromArray(S, c, at + j).mul(scale);
          g.intoArray(c, at + j);
          if (w != null) {
            DoubleVector.fromArray(S, w, wAt + j).sub(g.mul(rate)).intoArray(w, wAt + j);
          }
        }
      }
    } else if (forward) {
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
      // tanh and sigmoid: the lanes of the activation kernel's whole vectors, on the tile's rows
      // in one call (its constants broadcast once per tile, not once per row of 2L columns)
      int yAt = e.yOff + row * ldc + col;
      if (e.act == Gemm.Act.TANH) {
        DoubleLaneMath.tanh(rows, whole, c, cAt, ldc, y, yAt, ldc);
      } else if (e.act == Gemm.Act.SIGMOID) {
        DoubleLaneMath.sigmoid(rows, whole, c, cAt, ldc, y, yAt, ldc);
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

  /**
   * {@link #tile8x2} with A read in place: row r of the tile's A at {@code a[ao + r*ars + p]}
   * (A's rows contiguous along p). The same fused multiply-adds in the same order. Also
   * {@link PackedGemmF64}'s micro-kernel, on a B packed once.
   */
  static void tile8x2Rows(int depth, double[] a, int ao, int ars, double[] pb, int bo,
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
    final int a1 = ao + ars;
    final int a2 = a1 + ars;
    final int a3 = a2 + ars;
    final int a4 = a3 + ars;
    final int a5 = a4 + ars;
    final int a6 = a5 + ars;
    final int a7 = a6 + ars;
    for (int p = 0; p < depth; p++, bo += 2 * l) {
      DoubleVector b0 = DoubleVector.fromArray(S, pb, bo);
      DoubleVector b1 = DoubleVector.fromArray(S, pb, bo + l);
      DoubleVector x = DoubleVector.broadcast(S, a[ao + p]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = DoubleVector.broadcast(S, a[a1 + p]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = DoubleVector.broadcast(S, a[a2 + p]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = DoubleVector.broadcast(S, a[a3 + p]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = DoubleVector.broadcast(S, a[a4 + p]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = DoubleVector.broadcast(S, a[a5 + p]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = DoubleVector.broadcast(S, a[a6 + p]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = DoubleVector.broadcast(S, a[a7 + p]);
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

  /**
   * The k panel of B at {@code off} ({@code depth} steps, n columns) packed the way {@code packed}
   * packs it, in strips of 2L columns zero-padded past n, in the calling thread's scratch
   * ({@code strips * depth * 2L} values from 0, valid until its next product): for
   * {@link PackedGemmF64}, which keeps a whole B packed once.
   */
  static double[] packedB(double[] b, int off, int brs, int bcs, int depth, int n) {
    return SCRATCH.get().packB(b, off, brs, bcs, depth, n, 2 * S.length());
  }

  // ---- packing. A packed strip is a transposition of the operand whenever the operand is
  // contiguous along k (A·B's and A·Bᵀ's A, A·Bᵀ's B): element by element, each read of a strip's
  // row would be far from the last and each write a single lane. Blocks of L steps are instead
  // loaded as whole vectors along k and transposed in registers by interleaving stages: the stage
  // pairs vector i with vector i + h (h half the vectors) and writes their first halves
  // interleaved ({@link #LO}) and their second halves interleaved ({@link #HI}). In a block of
  // R = 2^r vectors of L lanes, an element's row and lane bits (r bits, then log2 L bits) rotate
  // left by one bit per stage, so after r stages vector v holds the block's values
  // [v*L, v*L + L) in step-major order (step, then row): exactly the packed layout.

  /** Whether the vector length suits the transposing stages (a power of two, at most 16). */
  private static final boolean TRANSPOSE = S.length() >= 2 && S.length() <= 16 && Integer.bitCount(S.length()) == 1;
  /**
   * {@code LO.selectFrom(a, b)}: {@code a0 b0 a1 b1 ...}, the first halves of a and b interleaved.
   * A vector of lane indices (0 to 2L - 1, past L: b's lanes) rather than a shuffle: the
   * two-vector {@code selectFrom} compiles to one two-table permute, where the two-vector
   * {@code rearrange} takes two permutes and a blend.
   */
  private static final DoubleVector LO = interleaving(0);
  /** {@code HI.selectFrom(a, b)}: the second halves of a and b interleaved. */
  private static final DoubleVector HI = interleaving(S.length() / 2);

  private static DoubleVector interleaving(int from) {
    int l = S.length();
    double[] lanes = new double[l];
    for (int t = 0; t < l / 2; t++) {
      lanes[2 * t] = from + t;
      lanes[2 * t + 1] = l + from + t; // past the lanes: the second vector's lane from + t
    }
    return DoubleVector.fromArray(S, lanes, 0);
  }

  /**
   * The values of 8 rows of A ({@code src[from + r*ars + p]}, r < 8) for p in {@code [0, steps)},
   * steps a multiple of L, into a packed A strip ({@code out[to + p*8 + r]}): 8 vectors per L
   * steps, transposed in three stages.
   */
  private static void transpose8(double[] src, int from, int ars, double[] out, int to, int steps) {
    final int l = S.length();
    for (int p = 0; p < steps; p += l, from += l, to += MR * l) {
      DoubleVector v0 = DoubleVector.fromArray(S, src, from);
      DoubleVector v1 = DoubleVector.fromArray(S, src, from + ars);
      DoubleVector v2 = DoubleVector.fromArray(S, src, from + 2 * ars);
      DoubleVector v3 = DoubleVector.fromArray(S, src, from + 3 * ars);
      DoubleVector v4 = DoubleVector.fromArray(S, src, from + 4 * ars);
      DoubleVector v5 = DoubleVector.fromArray(S, src, from + 5 * ars);
      DoubleVector v6 = DoubleVector.fromArray(S, src, from + 6 * ars);
      DoubleVector v7 = DoubleVector.fromArray(S, src, from + 7 * ars);
      for (int stage = 0; stage < 3; stage++) {
        DoubleVector w0 = LO.selectFrom(v0, v4);
        DoubleVector w1 = HI.selectFrom(v0, v4);
        DoubleVector w2 = LO.selectFrom(v1, v5);
        DoubleVector w3 = HI.selectFrom(v1, v5);
        DoubleVector w4 = LO.selectFrom(v2, v6);
        DoubleVector w5 = HI.selectFrom(v2, v6);
        DoubleVector w6 = LO.selectFrom(v3, v7);
        DoubleVector w7 = HI.selectFrom(v3, v7);
        v0 = w0;
        v1 = w1;
        v2 = w2;
        v3 = w3;
        v4 = w4;
        v5 = w5;
        v6 = w6;
        v7 = w7;
      }
      v0.intoArray(out, to);
      v1.intoArray(out, to + l);
      v2.intoArray(out, to + 2 * l);
      v3.intoArray(out, to + 3 * l);
      v4.intoArray(out, to + 4 * l);
      v5.intoArray(out, to + 5 * l);
      v6.intoArray(out, to + 6 * l);
      v7.intoArray(out, to + 7 * l);
    }
  }

  /**
   * The values of 16 columns of B ({@code src[from + q*bcs + p]}, q < 16: B's column {@code col + q})
   * for p in {@code [0, steps)}, steps a multiple of L, into packed B strips of width
   * {@code w = 2L} and depth {@code depth} ({@code out[strip*depth*w + p*w + column mod w]}):
   * 16 vectors per L steps, transposed in four stages. {@code col} is a multiple of 16.
   */
  private static void transpose16(double[] src, int from, int bcs, double[] out, int col, int depth, int w, int steps) {
    final int l = S.length();
    for (int p = 0; p < steps; p += l, from += l) {
      DoubleVector v0 = DoubleVector.fromArray(S, src, from);
      DoubleVector v1 = DoubleVector.fromArray(S, src, from + bcs);
      DoubleVector v2 = DoubleVector.fromArray(S, src, from + 2 * bcs);
      DoubleVector v3 = DoubleVector.fromArray(S, src, from + 3 * bcs);
      DoubleVector v4 = DoubleVector.fromArray(S, src, from + 4 * bcs);
      DoubleVector v5 = DoubleVector.fromArray(S, src, from + 5 * bcs);
      DoubleVector v6 = DoubleVector.fromArray(S, src, from + 6 * bcs);
      DoubleVector v7 = DoubleVector.fromArray(S, src, from + 7 * bcs);
      DoubleVector v8 = DoubleVector.fromArray(S, src, from + 8 * bcs);
      DoubleVector v9 = DoubleVector.fromArray(S, src, from + 9 * bcs);
      DoubleVector v10 = DoubleVector.fromArray(S, src, from + 10 * bcs);
      DoubleVector v11 = DoubleVector.fromArray(S, src, from + 11 * bcs);
      DoubleVector v12 = DoubleVector.fromArray(S, src, from + 12 * bcs);
      DoubleVector v13 = DoubleVector.fromArray(S, src, from + 13 * bcs);
      DoubleVector v14 = DoubleVector.fromArray(S, src, from + 14 * bcs);
      DoubleVector v15 = DoubleVector.fromArray(S, src, from + 15 * bcs);
      for (int stage = 0; stage < 4; stage++) {
        DoubleVector w0 = LO.selectFrom(v0, v8);
        DoubleVector w1 = HI.selectFrom(v0, v8);
        DoubleVector w2 = LO.selectFrom(v1, v9);
        DoubleVector w3 = HI.selectFrom(v1, v9);
        DoubleVector w4 = LO.selectFrom(v2, v10);
        DoubleVector w5 = HI.selectFrom(v2, v10);
        DoubleVector w6 = LO.selectFrom(v3, v11);
        DoubleVector w7 = HI.selectFrom(v3, v11);
        DoubleVector w8 = LO.selectFrom(v4, v12);
        DoubleVector w9 = HI.selectFrom(v4, v12);
        DoubleVector w10 = LO.selectFrom(v5, v13);
        DoubleVector w11 = HI.selectFrom(v5, v13);
        DoubleVector w12 = LO.selectFrom(v6, v14);
        DoubleVector w13 = HI.selectFrom(v6, v14);
        DoubleVector w14 = LO.selectFrom(v7, v15);
        DoubleVector w15 = HI.selectFrom(v7, v15);
        v0 = w0;
        v1 = w1;
        v2 = w2;
        v3 = w3;
        v4 = w4;
        v5 = w5;
        v6 = w6;
        v7 = w7;
        v8 = w8;
        v9 = w9;
        v10 = w10;
        v11 = w11;
        v12 = w12;
        v13 = w13;
        v14 = w14;
        v15 = w15;
      }
      // vector v holds the block's values [v*L, v*L + L) in step-major order: step p + v*L/16,
      // columns col + (v*L mod 16) onwards
      v0.intoArray(out, stripAt(0, col, p, depth, w));
      v1.intoArray(out, stripAt(1, col, p, depth, w));
      v2.intoArray(out, stripAt(2, col, p, depth, w));
      v3.intoArray(out, stripAt(3, col, p, depth, w));
      v4.intoArray(out, stripAt(4, col, p, depth, w));
      v5.intoArray(out, stripAt(5, col, p, depth, w));
      v6.intoArray(out, stripAt(6, col, p, depth, w));
      v7.intoArray(out, stripAt(7, col, p, depth, w));
      v8.intoArray(out, stripAt(8, col, p, depth, w));
      v9.intoArray(out, stripAt(9, col, p, depth, w));
      v10.intoArray(out, stripAt(10, col, p, depth, w));
      v11.intoArray(out, stripAt(11, col, p, depth, w));
      v12.intoArray(out, stripAt(12, col, p, depth, w));
      v13.intoArray(out, stripAt(13, col, p, depth, w));
      v14.intoArray(out, stripAt(14, col, p, depth, w));
      v15.intoArray(out, stripAt(15, col, p, depth, w));
    }
  }

  /** Where vector v of a {@link #transpose16} block (columns from col, steps from p) goes in the packed strips. */
  private static int stripAt(int v, int col, int p, int depth, int w) {
    final int first = v * S.length();
    final int column = col + (first & 15);
    return column / w * depth * w + (p + (first >> 4)) * w + column % w;
  }

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
      final int l = S.length();
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
        int done = 0;
        if (acs == 1 && sums == null && valid == MR && TRANSPOSE) {
          // A's rows contiguous along p (A·B, A·Bᵀ): whole blocks of L steps through registers
          done = depth - depth % l;
          transpose8(src, off + i0 * ars, ars, out, base, done);
        }
        for (int r = 0; r < valid; r++) {
          // One row of A at a time: contiguous reads when acs == 1 (A·B, A·Bᵀ).
          if (sums == null) {
            for (int p = done, from = off + (i0 + r) * ars + done * acs, to = base + done * MR + r; p < depth;
                p++, from += acs, to += MR) {
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
      final int l = S.length();
      int done = 0; // columns [0, done) packed by the vector paths
      if (bcs == 1 && w == 2 * l) {
        // B's rows contiguous (A·B, Aᵀ·B): 8 rows of B at a time across every whole strip, so
        // that the rows being read stay in L1 (strip by strip, all of the panel's rows are read
        // 2L values at a time, and at a row stride of 4 KiB they evict one another)
        done = n - n % w;
        for (int p0 = 0; p0 < depth; p0 += 8) {
          int p1 = Math.min(depth, p0 + 8);
          for (int j0 = 0; j0 < done; j0 += w) {
            for (int p = p0, from = off + p0 * brs + j0, to = j0 * depth + p0 * w; p < p1; p++, from += brs, to += w) {
              DoubleVector.fromArray(S, src, from).intoArray(out, to);
              DoubleVector.fromArray(S, src, from + l).intoArray(out, to + l);
            }
          }
        }
      } else if (brs == 1 && w == 2 * l && TRANSPOSE) {
        // B's columns contiguous (A·Bᵀ): blocks of 16 columns by L steps through registers,
        // the steps past the last whole block element by element
        done = n - n % 16;
        int steps = depth - depth % l;
        for (int j0 = 0; j0 < done; j0 += 16) {
          transpose16(src, off + j0 * bcs, bcs, out, j0, depth, w, steps);
          for (int jj = j0; jj < j0 + 16; jj++) {
            for (int p = steps, from = off + jj * bcs + steps, to = jj / w * depth * w + steps * w + jj % w; p < depth;
                p++, from++, to += w) {
              out[to] = src[from];
            }
          }
        }
      }
      for (int s = done / w; s < strips; s++) {
        int j0 = s * w;
        int from0 = Math.max(j0, done);
        int width = Math.min(w, n - j0);
        int base = s * depth * w;
        if (bcs == 1) {
          for (int p = 0; p < depth; p++) {
            System.arraycopy(src, off + p * brs + from0, out, base + p * w + from0 - j0, j0 + width - from0);
          }
        } else {
          // B's columns are contiguous (A·Bᵀ): read each one along p, write it down the strip.
          for (int jj = from0 - j0; jj < width; jj++) {
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
