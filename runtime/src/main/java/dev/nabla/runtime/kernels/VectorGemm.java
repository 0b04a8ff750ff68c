package dev.nabla.runtime.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * The matrix-product kernels on the incubating Vector API (JDK 25: {@code jdk.incubator.vector}).
 * Loaded by {@link KernelSelection} only when that module is present, so the runtime still
 * works without it. Three kernels cover the layouts, picked per call by the shape:
 *
 * <ul>
 *   <li>{@code packed} (at least {@value #MR} rows, any layout): A and B are packed into strips
 *       and an 8 x 2L register tile of C (L lanes) is updated with eight broadcasts of A and two
 *       vector loads of B per step: 16 fused multiply-adds per 10 loads. See
 *       {@code packed(...)} for the cache blocking.
 *   <li>{@code rows}: fewer rows, B's rows contiguous (A·B and Aᵀ·B): row by row, straight from
 *       the operands.
 *   <li>{@code dots}: fewer rows, A's rows and B's columns contiguous (A·Bᵀ): dot products in
 *       vector lanes.
 *   <li>{@link SmallGemmF64} (before {@code packed}: at least {@value #MR} rows, at most
 *       {@code 2^17} multiply-adds): unpacked 4 x 2L tiles, the same bits as {@code packed}
 *       without its copies.
 * </ul>
 *
 * <p><b>No masks.</b> Edges are handled by zero-padded packing, a full-size copy of an edge tile,
 * or scalar {@code Math.fma} tails, never by masked loads and stores: with masked vector code in
 * the same JVM, C2 was seen to leave these kernels' vectors boxed (tens of KB allocated per
 * training step of a model with odd layer sizes, and several times slower).
 *
 * <p>The kernels are {@link VectorGemmF64} and its generated float twin {@code VectorGemmF32}.
 * The depth k is cut into panels of {@value #KC}. In {@code packed} and {@code rows} each
 * element of C receives the same sequence of fused multiply-adds (starting from C or zero per
 * panel) whatever the tile it falls in. Threads split a product in bands of whole 8-row blocks
 * (at least 16 rows), or of whole 32-column tiles when it is wider than tall ({@link Gemm}); a band
 * of rows has all the columns and a band of columns all the rows, so every band takes the kernel
 * the whole product would: the results are identical whatever the thread count.
 */
final class VectorGemm implements GemmKernels {
  /** Depth of a k panel. */
  static final int KC = 256;
  /** Rows of C per micro-tile: eight broadcasts of A per step. */
  static final int MR = 8;
  /** Rows of A packed at once: an {@code MC x KC} float panel is 192 KB, well inside L2. */
  static final int MC = 192;
  /**
   * Columns of B packed at once: a {@code KC x NC} float panel is 4 MB, so a product with a
   * very wide B (a large vocabulary's output layer) does not need a scratch panel as big as B.
   */
  static final int NC = 4096;

  /**
   * The double kernels are on unless {@code -Dnabla.simd.double=false}. They were opt-in while C2
   * left the old double packed kernel's vectors boxed (about 30 KB per digits training step in a
   * JVM that had run the float kernels first); the 8 x 2L kernel that replaced it keeps its
   * accumulators in locals with no helper calls, and the allocation tests, which train float
   * and then double in one JVM, find steady steps at 0 bytes.
   */
  static final boolean DOUBLE_SIMD = !"false".equals(System.getProperty("nabla.simd.double"));

  @Override
  public String description() {
    return "SIMD kernels (Vector API, " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors)";
  }

  @Override
  public void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs,
      float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int ldc, boolean accumulate) {
    VectorGemmF32.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
  }

  @Override
  public void gemm(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, int ldc, boolean accumulate) {
    if (DOUBLE_SIMD) {
      VectorGemmF64.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
    } else {
      GemmF64.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
    }
  }

  @Override
  public void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs,
      float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int ldc, boolean accumulate,
      GemmEpilogue e, int eRow, int eCol) {
    VectorGemmF32.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate, e, eRow, eCol);
  }

  @Override
  public void gemm(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, int ldc, boolean accumulate,
      GemmEpilogue e, int eRow, int eCol) {
    if (DOUBLE_SIMD) {
      VectorGemmF64.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate, e, eRow, eCol);
    } else {
      GemmKernels.fusedAfter(this, m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate, e, eRow, eCol);
    }
  }
}
