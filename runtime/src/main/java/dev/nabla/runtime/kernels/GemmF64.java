package dev.nabla.runtime.kernels;

/**
 * The double matrix-product core behind {@link Gemm}, on strided views, in plain Java.
 *
 * <p>Computes {@code C[i,j] (=|+=) sum_p A(i,p) * B(p,j)} for {@code i < m, j < n, p < k} where
 * {@code A(i,p) = a[aOff + i*ars + p*acs]}, {@code B(p,j) = b[bOff + p*brs + j*bcs]} and
 * {@code C[i,j] = c[cOff + i*ldc + j]} (C's rows {@code ldc >= n} apart). The three public
 * layouts of {@link Gemm} are just different strides.
 *
 * <p>Structure (plain Java, scalar FMAs that C2 keeps in registers):
 * <ul>
 *   <li>cache blocking: {@code k} in panels of {@link #KC}, rows in panels of {@link #MC}, so a
 *       4-column strip of B ({@code KC} rows) stays in L1 while it meets every row block of the
 *       A panel ({@code MC x KC}, in L2);</li>
 *   <li>register blocking: a 4x4 block of C in 16 local accumulators, 8 loads per 16
 *       multiply-adds; edges use 4x1, 1x4 and 1x1 kernels;</li>
 *   <li>no allocation; C is written once per k panel.</li>
 * </ul>
 * The float core, {@code GemmF32}, is generated from this file at build time ({@code FloatTwins}):
 * it accumulates in float, like BLAS sgemm. Edit this file only.
 * Callers ({@link Gemm}) have validated every index range.
 */
final class GemmF64 {
  /** Depth of a k panel. */
  static final int KC = 256;
  /** Rows of a row panel. */
  static final int MC = 64;

  private GemmF64() {
  }

  static void gemm(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, int ldc, boolean accumulate) {
    if (k == 0) {
      if (!accumulate) {
        for (int i = 0; i < m; i++) {
          java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0);
        }
      }
      return;
    }
    int ars2 = 2 * ars;
    int ars3 = 3 * ars;
    int bcs2 = 2 * bcs;
    int bcs3 = 3 * bcs;
    for (int p0 = 0; p0 < k; p0 += KC) {
      int p1 = Math.min(k, p0 + KC);
      boolean load = accumulate || p0 > 0;
      for (int i0 = 0; i0 < m; i0 += MC) {
        int i1 = Math.min(m, i0 + MC);
        int j = 0;
        for (; j + 3 < n; j += 4) {
          int i = i0;
          for (; i + 3 < i1; i += 4) {
            // the 4x4 kernel stays inline: as a separate method C2 compiles it ~35% slower
            int ap = aOff + i * ars + p0 * acs;
            int bp = bOff + p0 * brs + j * bcs;
            int c0 = cOff + i * ldc + j;
            int c1 = c0 + ldc;
            int c2 = c1 + ldc;
            int c3 = c2 + ldc;
            double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
            double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
            if (load) {
              s00 = c[c0]; s01 = c[c0 + 1]; s02 = c[c0 + 2]; s03 = c[c0 + 3];
              s10 = c[c1]; s11 = c[c1 + 1]; s12 = c[c1 + 2]; s13 = c[c1 + 3];
              s20 = c[c2]; s21 = c[c2 + 1]; s22 = c[c2 + 2]; s23 = c[c2 + 3];
              s30 = c[c3]; s31 = c[c3 + 1]; s32 = c[c3 + 2]; s33 = c[c3 + 3];
            }
            for (int p = p0; p < p1; p++, ap += acs, bp += brs) {
              double x0 = a[ap], x1 = a[ap + ars], x2 = a[ap + ars2], x3 = a[ap + ars3];
              double y0 = b[bp], y1 = b[bp + bcs], y2 = b[bp + bcs2], y3 = b[bp + bcs3];
              s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
              s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
              s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
              s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
            }
            c[c0] = s00; c[c0 + 1] = s01; c[c0 + 2] = s02; c[c0 + 3] = s03;
            c[c1] = s10; c[c1 + 1] = s11; c[c1 + 2] = s12; c[c1 + 3] = s13;
            c[c2] = s20; c[c2 + 1] = s21; c[c2 + 2] = s22; c[c2 + 3] = s23;
            c[c3] = s30; c[c3 + 1] = s31; c[c3 + 2] = s32; c[c3 + 3] = s33;
          }
          for (; i < i1; i++) {
            k1x4(a, aOff + i * ars + p0 * acs, acs, b, bOff + p0 * brs + j * bcs, brs, bcs,
                c, cOff + i * ldc + j, p1 - p0, load);
          }
        }
        for (; j < n; j++) {
          int i = i0;
          for (; i + 3 < i1; i += 4) {
            k4x1(ldc, a, aOff + i * ars + p0 * acs, ars, acs, b, bOff + p0 * brs + j * bcs, brs,
                c, cOff + i * ldc + j, p1 - p0, load);
          }
          for (; i < i1; i++) {
            k1x1(a, aOff + i * ars + p0 * acs, acs, b, bOff + p0 * brs + j * bcs, brs,
                c, cOff + i * ldc + j, p1 - p0, load);
          }
        }
      }
    }
  }

  private static void k4x1(int ldc, double[] a, int ap, int ars, int acs, double[] b, int bp, int brs,
      double[] c, int c0, int depth, boolean load) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    if (load) {
      s0 = c[c0]; s1 = c[c0 + ldc]; s2 = c[c0 + 2 * ldc]; s3 = c[c0 + 3 * ldc];
    }
    int ars2 = 2 * ars;
    int ars3 = 3 * ars;
    for (int p = 0; p < depth; p++, ap += acs, bp += brs) {
      double y = b[bp];
      s0 += a[ap] * y; s1 += a[ap + ars] * y; s2 += a[ap + ars2] * y; s3 += a[ap + ars3] * y;
    }
    c[c0] = s0; c[c0 + ldc] = s1; c[c0 + 2 * ldc] = s2; c[c0 + 3 * ldc] = s3;
  }

  private static void k1x4(double[] a, int ap, int acs, double[] b, int bp, int brs, int bcs,
      double[] c, int c0, int depth, boolean load) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    if (load) {
      s0 = c[c0]; s1 = c[c0 + 1]; s2 = c[c0 + 2]; s3 = c[c0 + 3];
    }
    int bcs2 = 2 * bcs;
    int bcs3 = 3 * bcs;
    for (int p = 0; p < depth; p++, ap += acs, bp += brs) {
      double x = a[ap];
      s0 += x * b[bp]; s1 += x * b[bp + bcs]; s2 += x * b[bp + bcs2]; s3 += x * b[bp + bcs3];
    }
    c[c0] = s0; c[c0 + 1] = s1; c[c0 + 2] = s2; c[c0 + 3] = s3;
  }

  private static void k1x1(double[] a, int ap, int acs, double[] b, int bp, int brs,
      double[] c, int c0, int depth, boolean load) {
    double s = load ? c[c0] : 0;
    for (int p = 0; p < depth; p++, ap += acs, bp += brs) {
      s += a[ap] * b[bp];
    }
    c[c0] = s;
  }
}
