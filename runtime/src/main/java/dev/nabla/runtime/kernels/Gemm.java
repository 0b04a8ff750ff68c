package dev.nabla.runtime.kernels;

/**
 * Matrix products on flat row-major arrays with offsets, in the three layouts a dense layer
 * needs. Every matrix is a contiguous row-major block starting at its offset, so generated code
 * can multiply slices of its buffers without allocating.
 *
 * <table>
 *   <caption>Kernels (all matrices row-major; {@code accumulate} picks {@code +=} over {@code =})</caption>
 *   <tr><th>method</th><th>formula</th><th>operands</th><th>use</th></tr>
 *   <tr><td>{@link #ab}</td><td>C (=|+=) A·B</td>
 *       <td>A [m,k], B [k,n], C [m,n]</td><td>backward {@code dY = dZ·W}</td></tr>
 *   <tr><td>{@link #abT}</td><td>C (=|+=) A·Bᵀ</td>
 *       <td>A [m,k], B [n,k], C [m,n]</td><td>forward {@code Z = X·Wᵀ} of a batch</td></tr>
 *   <tr><td>{@link #aTb}</td><td>C (=|+=) Aᵀ·B</td>
 *       <td>A [k,m], B [k,n], C [m,n]</td><td>weight gradient {@code dW = dZᵀ·Y}</td></tr>
 * </table>
 *
 * <p>Element-wise: {@code C[i,j] = (accumulate ? C[i,j] : 0) + sum_{p<k} A(i,p) B(p,j)}. With
 * {@code k == 0} the sum is empty: C is zeroed (or left as is when accumulating).
 *
 * <p><b>No alpha.</b> The kernels compute the plain product; scaling is the separate
 * {@link #scale(double[], int, int, double)}. In a model the factor is almost always the
 * {@code 1/B} of the batch mean, which generated code folds into the (small) upstream
 * gradient once instead of into every product; where it is needed afterwards,
 * {@code scale} costs O(m·n) next to the O(m·n·k) product.
 *
 * <p><b>Checks.</b> Sizes must be non-negative and every block must fit its array, else an
 * {@link IllegalArgumentException} names the kernel and both shapes. C must not overlap A or
 * B in the same array (also an {@link IllegalArgumentException}). The float kernels accumulate
 * in float.
 *
 * <p>The implementation is plain Java (see {@code GemmF64}: k and row panels for the cache, 4x4
 * register blocks); a SIMD version may replace it behind this API.
 */
public final class Gemm {
  private Gemm() {
  }

  /**
   * The kernels in use and, for the scalar ones, why and how to get SIMD: {@code "scalar Java
   * kernels (start java with --add-modules jdk.incubator.vector for SIMD)"}.
   */
  public static String kernels() {
    return KernelSelection.CHOSEN.line();
  }

  /** Which kernels are active ("SIMD kernels (Vector API, 512-bit vectors)" or scalar) and the thread count. */
  public static String implementation() {
    return GemmKernels.ACTIVE.description() + ", " + Parallel.THREADS + (Parallel.THREADS == 1 ? " thread" : " threads");
  }

  /** {@code C[m,n] (=|+=) A[m,k] · B[k,n]}. */
  public static void ab(int m, int n, int k, double[] a, int aOff, double[] b, int bOff,
      double[] c, int cOff, boolean accumulate) {
    check("Gemm.ab", m, n, k, a.length, aOff, m, k, b.length, bOff, k, n, c.length, cOff, a == c, b == c);
    run(m, n, k, a, aOff, k, 1, b, bOff, n, 1, c, cOff, accumulate);
  }

  /** {@code C[m,n] (=|+=) A[m,k] · B[k,n]} in float. */
  public static void ab(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, boolean accumulate) {
    check("Gemm.ab", m, n, k, a.length, aOff, m, k, b.length, bOff, k, n, c.length, cOff, a == c, b == c);
    run(m, n, k, a, aOff, k, 1, b, bOff, n, 1, c, cOff, accumulate);
  }

  /** {@code C[m,n] (=|+=) A[m,k] · B[n,k]ᵀ}, i.e. {@code C[i,j] = sum_p A[i,p] B[j,p]}. */
  public static void abT(int m, int n, int k, double[] a, int aOff, double[] b, int bOff,
      double[] c, int cOff, boolean accumulate) {
    check("Gemm.abT", m, n, k, a.length, aOff, m, k, b.length, bOff, n, k, c.length, cOff, a == c, b == c);
    run(m, n, k, a, aOff, k, 1, b, bOff, 1, k, c, cOff, accumulate);
  }

  /** {@code C[m,n] (=|+=) A[m,k] · B[n,k]ᵀ} in float. */
  public static void abT(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, boolean accumulate) {
    check("Gemm.abT", m, n, k, a.length, aOff, m, k, b.length, bOff, n, k, c.length, cOff, a == c, b == c);
    run(m, n, k, a, aOff, k, 1, b, bOff, 1, k, c, cOff, accumulate);
  }

  /** {@code C[m,n] (=|+=) A[k,m]ᵀ · B[k,n]}, i.e. {@code C[i,j] = sum_p A[p,i] B[p,j]}. */
  public static void aTb(int m, int n, int k, double[] a, int aOff, double[] b, int bOff,
      double[] c, int cOff, boolean accumulate) {
    check("Gemm.aTb", m, n, k, a.length, aOff, k, m, b.length, bOff, k, n, c.length, cOff, a == c, b == c);
    run(m, n, k, a, aOff, 1, m, b, bOff, n, 1, c, cOff, accumulate);
  }

  /** {@code C[m,n] (=|+=) A[k,m]ᵀ · B[k,n]} in float. */
  public static void aTb(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, boolean accumulate) {
    check("Gemm.aTb", m, n, k, a.length, aOff, k, m, b.length, bOff, k, n, c.length, cOff, a == c, b == c);
    run(m, n, k, a, aOff, 1, m, b, bOff, n, 1, c, cOff, accumulate);
  }

  /** {@code x[off .. off+len) *= alpha}. */
  public static void scale(double[] x, int off, int len, double alpha) {
    Checks.range("Gemm.scale", "x", x.length, off, len);
    for (int i = off, end = off + len; i < end; i++) {
      x[i] *= alpha;
    }
  }

  /** {@code x[off .. off+len) *= alpha} in float. */
  public static void scale(float[] x, int off, int len, float alpha) {
    Checks.range("Gemm.scale", "x", x.length, off, len);
    for (int i = off, end = off + len; i < end; i++) {
      x[i] *= alpha;
    }
  }

  private static void check(String op, int m, int n, int k,
      int aLen, int aOff, int aRows, int aCols,
      int bLen, int bOff, int bRows, int bCols,
      int cLen, int cOff, boolean aIsC, boolean bIsC) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException(op + ": negative size m=" + m + ", n=" + n + ", k=" + k);
    }
    Checks.block(op, "A", aLen, aOff, aRows, aCols);
    Checks.block(op, "B", bLen, bOff, bRows, bCols);
    Checks.block(op, "C", cLen, cOff, m, n);
    if (aIsC && overlaps(aOff, (long) aRows * aCols, cOff, (long) m * n)) {
      throw new IllegalArgumentException(op + ": C [" + m + ", " + n + "] at offset " + cOff
          + " overlaps A [" + aRows + ", " + aCols + "] at offset " + aOff);
    }
    if (bIsC && overlaps(bOff, (long) bRows * bCols, cOff, (long) m * n)) {
      throw new IllegalArgumentException(op + ": C [" + m + ", " + n + "] at offset " + cOff
          + " overlaps B [" + bRows + ", " + bCols + "] at offset " + bOff);
    }
  }

  private static boolean overlaps(long off1, long len1, long off2, long len2) {
    return len1 > 0 && len2 > 0 && off1 < off2 + len2 && off2 < off1 + len1;
  }

  // ---- threads: a large product's rows of C are split across the pool. Every element of C is
  // computed by one thread in the same order as without threads, so results do not depend on
  // the thread count.

  /** Products with fewer multiply-adds than this stay on the calling thread. */
  static final long PARALLEL_MIN_MACS = 1L << 21;

  /** Bands of C's rows are multiples of this: the tallest register tile of the kernels (8 rows). */
  static final int BAND_ROWS = 8;

  private static final RowsJob JOB = new RowsJob();

  private static void run(int m, int n, int k, float[] a, int aOff, int ars, int acs,
      float[] b, int bOff, int brs, int bcs, float[] c, int cOff, boolean accumulate) {
    if (!split(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate)) {
      GemmKernels.ACTIVE.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate);
    }
  }

  private static void run(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, boolean accumulate) {
    if (!split(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate)) {
      GemmKernels.ACTIVE.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate);
    }
  }

  /**
   * Runs a large product in bands across the pool; false, having done nothing, when it is too
   * small or the pool is busy, and the caller computes it. The arrays are all {@code float[]}
   * or all {@code double[]}.
   */
  private static boolean split(int m, int n, int k, Object a, int aOff, int ars, int acs,
      Object b, int bOff, int brs, int bcs, Object c, int cOff, boolean accumulate) {
    if ((long) m * n * k < PARALLEL_MIN_MACS || m < 2 * BAND_ROWS || !JOB.claim()) {
      return false;
    }
    try {
      JOB.set(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate);
      return Parallel.run(JOB);
    } finally {
      JOB.release();
    }
  }

  /** The reusable job of a parallel product: part p computes a band of C's rows. */
  private static final class RowsJob extends Parallel.ReusableJob {
    int m;
    int n;
    int k;
    int aOff;
    int ars;
    int acs;
    int bOff;
    int brs;
    int bcs;
    int cOff;
    boolean accumulate;
    Object a;
    Object b;
    Object c;

    @Override
    void clear() {
      a = b = c = null;
    }

    void set(int m, int n, int k, Object a, int aOff, int ars, int acs, Object b, int bOff, int brs,
        int bcs, Object c, int cOff, boolean accumulate) {
      this.a = a;
      this.b = b;
      this.c = c;
      this.m = m;
      this.n = n;
      this.k = k;
      this.aOff = aOff;
      this.ars = ars;
      this.acs = acs;
      this.bOff = bOff;
      this.brs = brs;
      this.bcs = bcs;
      this.cOff = cOff;
      this.accumulate = accumulate;
    }

    @Override
    public void run(int part, int parts) {
      // Bands of whole 8-row blocks, so every band but the last uses full register tiles.
      int blocks = (m + BAND_ROWS - 1) / BAND_ROWS;
      int from = Math.min(m, (int) ((long) blocks * part / parts) * BAND_ROWS);
      int to = Math.min(m, (int) ((long) blocks * (part + 1) / parts) * BAND_ROWS);
      if (from >= to) {
        return;
      }
      if (a instanceof float[] fa) {
        GemmKernels.ACTIVE.gemm(to - from, n, k, fa, aOff + from * ars, ars, acs, (float[]) b, bOff, brs, bcs,
            (float[]) c, cOff + from * n, accumulate);
      } else {
        GemmKernels.ACTIVE.gemm(to - from, n, k, (double[]) a, aOff + from * ars, ars, acs, (double[]) b, bOff,
            brs, bcs, (double[]) c, cOff + from * n, accumulate);
      }
    }
  }
}
