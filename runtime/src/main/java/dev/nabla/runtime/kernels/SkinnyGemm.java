package dev.nabla.runtime.kernels;

/**
 * Weight gradients {@code C = Aᵀ·B} of many rows into at most 128 columns (an LSTM's {@code dWx}:
 * 512 x 28 over the 1,792 rows of a batch's steps, and {@code dWh}: 512 x 128), on the SIMD kernel {@link SkinnyGemmF64} (and its
 * float twin) instead of {@link VectorGemm}'s packed one. The packed kernel puts C's columns in
 * vector lanes and packs A into strips of 8 of C's rows first, one value at a time: at 28 columns
 * a tile of 32 lanes wastes 4, every tile is an edge tile (computed in a copy), and the packing
 * costs about a quarter of the arithmetic. Here C's rows are the lanes (a row of A is consecutive
 * rows of C) and A's panels are copied whole vectors at a time; see {@link SkinnyGemmF64}.
 *
 * <p>{@link Gemm}'s {@code aTb} forms call {@link #aTb} after checking their arguments; it
 * declines (returns false, having done nothing) without the Vector API, for double when the
 * double SIMD kernels are off, and for shapes it does not take ({@link #takes}). The results are
 * the bits of the packed kernel's, so which kernel runs a product changes no number.
 *
 * <p><b>Threads.</b> A product of at least {@link Gemm#PARALLEL_MIN_MACS} multiply-adds is split
 * across the pool in bands of whole blocks of C's rows ({@link SkinnyGemmF64#block()}); each element
 * of C is computed by one thread with the same arithmetic whatever the band, so the results do
 * not depend on the thread count.
 */
final class SkinnyGemm {
  /**
   * The most columns of C this kernel takes. Measured at 512 rows of C and depth 1,792 on one
   * thread (BENCHMARKS.md, Recurrence): 28 columns 1.7x the packed kernel's speed, 128 columns
   * 1.17x; the large MLPs' weight gradients (784 and 1,024 columns) stay on the packed kernel.
   */
  static final int MOST_COLUMNS = 128;

  /** The float kernel runs: the SIMD kernels were chosen, and {@code -Dnabla.gemm.skinny=false} is not set. */
  static final boolean FLOAT = KernelSelection.CHOSEN.whyNotSimd() == null
      && !"false".equals(System.getProperty("nabla.gemm.skinny"));
  /** The double kernel runs: as {@link #FLOAT}, and the double SIMD kernels are on. */
  static final boolean DOUBLE = FLOAT && VectorGemm.DOUBLE_SIMD;

  private static final BandsJob JOB = new BandsJob();

  private SkinnyGemm() {
  }

  /**
   * Whether {@code C[m, n] = A[k, m]ᵀ · B[k, n]} goes to this kernel: at most
   * {@value #MOST_COLUMNS} columns, at least one block of the kernel's rows ({@code block}), a depth of
   * at least {@value #LEAST_DEPTH}.
   */
  static boolean takes(int m, int n, int k, int block) {
    return n >= 1 && n <= MOST_COLUMNS && k >= LEAST_DEPTH && m >= block;
  }

  /**
   * The least depth this kernel takes. It was measured to win at depth 1,792 (an LSTM's B * T rows);
   * at a convolution's per-instance depths (16 to 100: LeNet-5's input gradient, 150 x 100 over 16)
   * it was slower than the packed kernel (idle, `nabla bench --profile` of LeNet-5: that product
   * 974 µs with this kernel, 737 µs with {@code -Dnabla.gemm.skinny=false}), since its block
   * copies are paid per call and amortized over k.
   */
  static final int LEAST_DEPTH = 512;

  /**
   * {@code C[m, n] (=|+=) A[k, m]ᵀ · B[k, n]} times {@code scale}, and with {@code sums} (else
   * null) {@code sums[sumsOff + i] = (sum_p A[p, i]) * scale}, all matrices contiguous and
   * row-major at their offsets; arguments already checked. False, having done nothing, when this
   * kernel does not take the product.
   */
  static boolean aTb(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
      boolean accumulate, float[] sums, int sumsOff, float scale) {
    if (!FLOAT || !takes(m, n, k, SkinnyGemmF32.block())) {
      return false;
    }
    if (!split(SkinnyGemmF32.block(), m, n, k, a, aOff, b, bOff, c, cOff, accumulate, sums, sumsOff, scale)) {
      SkinnyGemmF32.aTb(0, m, n, k, a, aOff, m, b, bOff, n, c, cOff, n, accumulate, sums, sumsOff, scale);
    }
    return true;
  }

  /** The double version of {@link #aTb(int, int, int, float[], int, float[], int, float[], int, boolean, float[], int, float)}. */
  static boolean aTb(int m, int n, int k, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff,
      boolean accumulate, double[] sums, int sumsOff, double scale) {
    if (!DOUBLE || !takes(m, n, k, SkinnyGemmF64.block())) {
      return false;
    }
    if (!split(SkinnyGemmF64.block(), m, n, k, a, aOff, b, bOff, c, cOff, accumulate, sums, sumsOff, scale)) {
      SkinnyGemmF64.aTb(0, m, n, k, a, aOff, m, b, bOff, n, c, cOff, n, accumulate, sums, sumsOff, scale);
    }
    return true;
  }

  /** Runs the product in bands across the pool; false, having done nothing, when it is small or the pool is busy. */
  private static boolean split(int block, int m, int n, int k, Object a, int aOff, Object b, int bOff, Object c,
      int cOff, boolean accumulate, Object sums, int sumsOff, double scale) {
    if ((long) m * n * k < Gemm.PARALLEL_MIN_MACS || m < 2 * block || !JOB.claim()) {
      return false;
    }
    try {
      BandsJob j = JOB;
      j.block = block;
      j.m = m;
      j.n = n;
      j.k = k;
      j.a = a;
      j.aOff = aOff;
      j.b = b;
      j.bOff = bOff;
      j.c = c;
      j.cOff = cOff;
      j.accumulate = accumulate;
      j.sums = sums;
      j.sumsOff = sumsOff;
      j.scale = scale;
      return Parallel.run(j);
    } finally {
      JOB.release();
    }
  }

  /** The reusable job of a parallel product: part p computes a band of whole blocks of C's rows. */
  private static final class BandsJob extends Parallel.ReusableJob {
    /** Rows of C per block of the kernel. */
    int block;
    int m;
    int n;
    int k;
    int aOff;
    int bOff;
    int cOff;
    int sumsOff;
    boolean accumulate;
    double scale;
    Object a;
    Object b;
    Object c;
    Object sums;

    @Override
    void clear() {
      a = b = c = sums = null;
    }

    @Override
    public void run(int part, int parts) {
      int unit = block;
      int blocks = (m + unit - 1) / unit;
      int from = Math.min(m, (int) ((long) blocks * part / parts) * unit);
      int to = Math.min(m, (int) ((long) blocks * (part + 1) / parts) * unit);
      if (from >= to) {
        return;
      }
      if (a instanceof float[] fa) {
        SkinnyGemmF32.aTb(from, to, n, k, fa, aOff, m, (float[]) b, bOff, n, (float[]) c, cOff, n, accumulate,
            (float[]) sums, sumsOff, (float) scale);
      } else {
        SkinnyGemmF64.aTb(from, to, n, k, (double[]) a, aOff, m, (double[]) b, bOff, n, (double[]) c, cOff, n,
            accumulate, (double[]) sums, sumsOff, scale);
      }
    }
  }
}
