package dev.nabla.runtime.kernels;

/**
 * A product whose B is packed once and then multiplied by many A's, a range of A's rows at a
 * time: a recurrence's per-step product {@code h @ Whᵀ} (forward) or {@code dz @ Wh} (backward),
 * where Wh is the same at all T steps of a pass and A is the batch's rows of the step. {@link Gemm}
 * packs B at every call (and transposes it for {@code abT}); here the generated code packs it
 * before the loop ({@link #packB}, {@link #packBT}, into an array of {@link #length} values it
 * allocated with its other buffers) and at each step calls {@link #ab} or {@link #abT} for its range
 * of instances inside the step's loop split by instances ({@link BatchLoops}), so that a step
 * hands its work to the threads once.
 *
 * <p><b>Same numbers as {@link Gemm}.</b> Rows {@code [from, to)} of C get the bits that
 * {@code Gemm.ab} / {@code Gemm.abT} of the whole {@code [m, n]} product give them, whatever the
 * range (so the results do not depend on how the batch is split, nor on the thread count): with
 * the SIMD kernels and at least {@value VectorGemm#MR} rows in all, each element is the chain of
 * fused multiply-adds over p of {@code Gemm}'s packed kernel, on B packed the same way
 * ({@code PackedGemmF64}); with fewer rows, or the scalar kernels, the range is computed by the
 * kernels {@code Gemm} itself uses for such a product, on B as given ({@code b}), which give every
 * element the same value for any band of rows.
 *
 * <p>B must be unchanged since it was packed: the caller packs it again after an update.
 * Arguments are checked as {@link Gemm} checks them ({@link IllegalArgumentException}).
 */
public final class PackedGemm {
  /** The widest strip of packed columns that {@link #length} makes room for: two 512-bit vectors of floats. */
  static final int STRIP = 32;

  private static final boolean SIMD = KernelSelection.CHOSEN.whyNotSimd() == null;

  private PackedGemm() {
  }

  /**
   * How many values a packed B of {@code k x n} takes: n rounded up to whole strips of
   * {@value #STRIP} columns, times k (any vector length up to 512 bits, float or double).
   */
  public static int length(int n, int k) {
    if (n < 0 || k < 0) {
      throw new IllegalArgumentException("PackedGemm.length: negative size n=" + n + ", k=" + k);
    }
    long length = (long) ((n + STRIP - 1) / STRIP) * STRIP * k;
    if (length > dev.nabla.runtime.HeapLimits.MAX_ARRAY) {
      throw new IllegalArgumentException("PackedGemm.length: a packed [" + k + ", " + n + "] is " + length
          + " values, more than a Java array holds");
    }
    return (int) length;
  }

  /** Packs {@code B[k, n]} (row-major at {@code bOff}, {@link #ab}'s B) into {@code packed}. */
  public static void packB(int n, int k, float[] b, int bOff, float[] packed) {
    checkPack("PackedGemm.packB", n, k, b.length, bOff, k, n, packed.length, b == packed);
    if (simd(false)) {
      PackedGemmF32.pack(n, k, b, bOff, n, 1, packed);
    }
  }

  /** Packs {@code B[n, k]} (row-major at {@code bOff}, {@link #abT}'s B, read transposed) into {@code packed}. */
  public static void packBT(int n, int k, float[] b, int bOff, float[] packed) {
    checkPack("PackedGemm.packBT", n, k, b.length, bOff, n, k, packed.length, b == packed);
    if (simd(false)) {
      PackedGemmF32.pack(n, k, b, bOff, 1, k, packed);
    }
  }

  /** {@link #packB(int, int, float[], int, float[])} in double. */
  public static void packB(int n, int k, double[] b, int bOff, double[] packed) {
    checkPack("PackedGemm.packB", n, k, b.length, bOff, k, n, packed.length, b == packed);
    if (simd(true)) {
      PackedGemmF64.pack(n, k, b, bOff, n, 1, packed);
    }
  }

  /** {@link #packBT(int, int, float[], int, float[])} in double. */
  public static void packBT(int n, int k, double[] b, int bOff, double[] packed) {
    checkPack("PackedGemm.packBT", n, k, b.length, bOff, n, k, packed.length, b == packed);
    if (simd(true)) {
      PackedGemmF64.pack(n, k, b, bOff, 1, k, packed);
    }
  }

  /**
   * Rows {@code [from, to)} of {@code C[m,n] (=|+=) A[m,k] · B[k,n]}, with {@code packed} from
   * {@link #packB} of this B (the same bits as {@link Gemm#ab} of the whole product for them).
   */
  public static void ab(int m, int from, int to, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] packed, float[] c, int cOff, boolean accumulate) {
    check("PackedGemm.ab", m, from, to, n, k, a.length, aOff, b.length, bOff, k, n, packed.length, c.length, cOff,
        a == c, b == c, packed == c);
    run(GemmKernels.ACTIVE, simd(false), m, from, to, n, k, a, aOff, b, bOff, false, packed, c, cOff, accumulate);
  }

  /**
   * Rows {@code [from, to)} of {@code C[m,n] (=|+=) A[m,k] · B[n,k]ᵀ}, with {@code packed} from
   * {@link #packBT} of this B (the same bits as {@link Gemm#abT} of the whole product for them).
   */
  public static void abT(int m, int from, int to, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] packed, float[] c, int cOff, boolean accumulate) {
    check("PackedGemm.abT", m, from, to, n, k, a.length, aOff, b.length, bOff, n, k, packed.length, c.length, cOff,
        a == c, b == c, packed == c);
    run(GemmKernels.ACTIVE, simd(false), m, from, to, n, k, a, aOff, b, bOff, true, packed, c, cOff, accumulate);
  }

  /** {@link #ab(int, int, int, int, int, float[], int, float[], int, float[], float[], int, boolean)} in double. */
  public static void ab(int m, int from, int to, int n, int k, double[] a, int aOff, double[] b, int bOff,
      double[] packed, double[] c, int cOff, boolean accumulate) {
    check("PackedGemm.ab", m, from, to, n, k, a.length, aOff, b.length, bOff, k, n, packed.length, c.length, cOff,
        a == c, b == c, packed == c);
    run(GemmKernels.ACTIVE, simd(true), m, from, to, n, k, a, aOff, b, bOff, false, packed, c, cOff, accumulate);
  }

  /** {@link #abT(int, int, int, int, int, float[], int, float[], int, float[], float[], int, boolean)} in double. */
  public static void abT(int m, int from, int to, int n, int k, double[] a, int aOff, double[] b, int bOff,
      double[] packed, double[] c, int cOff, boolean accumulate) {
    check("PackedGemm.abT", m, from, to, n, k, a.length, aOff, b.length, bOff, n, k, packed.length, c.length, cOff,
        a == c, b == c, packed == c);
    run(GemmKernels.ACTIVE, simd(true), m, from, to, n, k, a, aOff, b, bOff, true, packed, c, cOff, accumulate);
  }

  /**
   * The rows' product, B being {@code [k, n]} ({@link #ab}) or {@code [n, k]} read transposed ({@link #abT}):
   * by the packed kernel when {@code simd} (the SIMD kernels are {@code kernels}) and there are
   * at least {@value VectorGemm#MR} rows in all, else by {@code kernels} on the range, as
   * {@code Gemm} would compute it.
   */
  static void run(GemmKernels kernels, boolean simd, int m, int from, int to, int n, int k, float[] a, int aOff,
      float[] b, int bOff, boolean transposed, float[] packed, float[] c, int cOff, boolean accumulate) {
    if (from == to || n == 0) {
      return;
    }
    final int brs = transposed ? 1 : n;
    final int bcs = transposed ? k : 1;
    if (simd && m >= VectorGemm.MR && k > 0) {
      if (PackedGemmF32.FITS) {
        PackedGemmF32.rows(from, to, n, k, a, aOff, packed, c, cOff, accumulate);
      } else {
        PackedGemmF32.fmaRows(from, to, n, k, a, aOff, b, bOff, brs, bcs, c, cOff, accumulate);
      }
    } else if (from == 0 && to == m && kernels == GemmKernels.ACTIVE) {
      // the whole product on one caller (a batch of one is never split by instances): Gemm,
      // which may split a large one across the pool by columns, as before the packing
      if (transposed) {
        Gemm.abT(m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
      } else {
        Gemm.ab(m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
      }
    } else {
      // the kernel Gemm takes for the whole product: fewer than MR rows, or the scalar kernels
      kernels.gemm(to - from, n, k, a, aOff + from * k, k, 1, b, bOff, brs, bcs, c, cOff + from * n, n,
          accumulate);
    }
  }

  /** The double version of the {@code run} above. */
  static void run(GemmKernels kernels, boolean simd, int m, int from, int to, int n, int k, double[] a, int aOff,
      double[] b, int bOff, boolean transposed, double[] packed, double[] c, int cOff, boolean accumulate) {
    if (from == to || n == 0) {
      return;
    }
    final int brs = transposed ? 1 : n;
    final int bcs = transposed ? k : 1;
    if (simd && m >= VectorGemm.MR && k > 0) {
      if (PackedGemmF64.FITS) {
        PackedGemmF64.rows(from, to, n, k, a, aOff, packed, c, cOff, accumulate);
      } else {
        PackedGemmF64.fmaRows(from, to, n, k, a, aOff, b, bOff, brs, bcs, c, cOff, accumulate);
      }
    } else if (from == 0 && to == m && kernels == GemmKernels.ACTIVE) {
      if (transposed) {
        Gemm.abT(m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
      } else {
        Gemm.ab(m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
      }
    } else {
      kernels.gemm(to - from, n, k, a, aOff + from * k, k, 1, b, bOff, brs, bcs, c, cOff + from * n, n,
          accumulate);
    }
  }

  /**
   * Whether the packed SIMD kernel computes the products of this precision: the SIMD kernels are
   * in use and, for double, {@code VectorGemm}'s double kernels are on. (Checked in this order so
   * that without the Vector API no SIMD class is loaded.)
   */
  private static boolean simd(boolean isDouble) {
    return SIMD && (!isDouble || VectorGemm.DOUBLE_SIMD);
  }

  private static void checkPack(String op, int n, int k, int bLen, int bOff, int bRows, int bCols, int packedLen,
      boolean same) {
    if (n < 0 || k < 0) {
      throw new IllegalArgumentException(op + ": negative size n=" + n + ", k=" + k);
    }
    Checks.block(op, "B", bLen, bOff, bRows, bCols);
    Checks.range(op, "packed", packedLen, 0, length(n, k));
    if (same) {
      throw new IllegalArgumentException(op + ": packed is B's own array");
    }
  }

  private static void check(String op, int m, int from, int to, int n, int k, int aLen, int aOff, int bLen, int bOff,
      int bRows, int bCols, int packedLen, int cLen, int cOff, boolean aIsC, boolean bIsC, boolean packedIsC) {
    Gemm.check(op, m, n, k, aLen, aOff, m, k, bLen, bOff, bRows, bCols, cLen, cOff, aIsC, bIsC);
    if (from < 0 || from > to || to > m) {
      throw new IllegalArgumentException(op + ": rows [" + from + ", " + to + ") are not within [0, " + m + ")");
    }
    Checks.range(op, "packed", packedLen, 0, length(n, k));
    if (packedIsC) {
      throw new IllegalArgumentException(op + ": C is the packed B's array");
    }
  }
}
