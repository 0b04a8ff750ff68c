package dev.nabla.runtime.kernels;

/**
 * One implementation of the matrix-product kernels behind {@link Gemm}: the scalar Java loops,
 * or the SIMD ones on the incubating Vector API ({@code VectorGemm}). {@link #ACTIVE} is the one
 * {@link KernelSelection} picked, together with the softmax and activation kernels.
 *
 * <p>Element-wise contract of {@link #gemm}: {@code C[i,j] (=|+=) sum_{p<k} A(i,p) B(p,j)} with
 * {@code A(i,p) = a[aOff + i*ars + p*acs]}, {@code B(p,j) = b[bOff + p*brs + j*bcs]} and
 * {@code C[i,j] = c[cOff + i*ldc + j]} ({@code ldc >= n}: C may be a band of columns of a wider
 * matrix). Arguments are already checked.
 */
interface GemmKernels {
  GemmKernels ACTIVE = KernelSelection.CHOSEN.gemm();

  /** A short description for the log line and {@code nabla bench}. */
  String description();

  void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs,
      float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int ldc, boolean accumulate);

  void gemm(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, int ldc, boolean accumulate);

  /**
   * {@link #gemm} with the fused work {@code e} (see {@link GemmEpilogue}; never null here), C
   * being rows {@code [eRow, eRow + m)} and columns {@code [eCol, eCol + n)} of the whole
   * product's. The sums of A's rows ({@link GemmEpilogue.Kind#SUMS}) are taken only by the call
   * whose columns start at 0, so that a product split into bands of columns takes them once.
   *
   * <p>Abstract, not a default method: an interface with default methods is initialized with the
   * first class implementing it, and {@link #ACTIVE} reads {@link KernelSelection#CHOSEN}, which
   * is null while {@code KernelSelection} builds the kernels (a JVM whose first call is
   * {@code Gemm.kernels()} failed with an ExceptionInInitializerError).
   */
  void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs,
      float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int ldc, boolean accumulate,
      GemmEpilogue e, int eRow, int eCol);

  /** The double version of the fused {@code gemm} above. */
  void gemm(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, int ldc, boolean accumulate,
      GemmEpilogue e, int eRow, int eCol);

  /** The fused {@code gemm} on any kernels: the sums of A's rows first, the product, then the element-wise work over the whole of C. */
  static void fusedAfter(GemmKernels kernels, int m, int n, int k, float[] a, int aOff, int ars, int acs,
      float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int ldc, boolean accumulate,
      GemmEpilogue e, int eRow, int eCol) {
    if (e.sumsA() && eCol == 0) {
      GemmEpilogueF32.sums(e, m, k, a, aOff, ars, acs, eRow);
    }
    kernels.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
    e.finish(c, cOff, ldc, eRow, eCol, m, n);
  }

  /** The double version of {@code fusedAfter} above. */
  static void fusedAfter(GemmKernels kernels, int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, int ldc, boolean accumulate,
      GemmEpilogue e, int eRow, int eCol) {
    if (e.sumsA() && eCol == 0) {
      GemmEpilogueF64.sums(e, m, k, a, aOff, ars, acs, eRow);
    }
    kernels.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
    e.finish(c, cOff, ldc, eRow, eCol, m, n);
  }

  /** The plain-Java kernels ({@link GemmF32}, {@link GemmF64}). */
  final class Scalar implements GemmKernels {
    @Override
    public String description() {
      return "scalar Java kernels";
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs,
        float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int ldc, boolean accumulate) {
      GemmF32.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
    }

    @Override
    public void gemm(int m, int n, int k, double[] a, int aOff, int ars, int acs,
        double[] b, int bOff, int brs, int bcs, double[] c, int cOff, int ldc, boolean accumulate) {
      GemmF64.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs,
        int bcs, float[] c, int cOff, int ldc, boolean accumulate, GemmEpilogue e, int eRow, int eCol) {
      GemmKernels.fusedAfter(this, m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate, e, eRow, eCol);
    }

    @Override
    public void gemm(int m, int n, int k, double[] a, int aOff, int ars, int acs, double[] b, int bOff, int brs,
        int bcs, double[] c, int cOff, int ldc, boolean accumulate, GemmEpilogue e, int eRow, int eCol) {
      GemmKernels.fusedAfter(this, m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate, e, eRow, eCol);
    }
  }
}
