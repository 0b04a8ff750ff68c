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
 * The depth k is cut into panels of at most {@value #KC}. In {@code packed} and {@code rows} each
 * element of C receives the same sequence of fused multiply-adds (starting from C or zero per
 * panel) whatever the tile it falls in. Threads split a product in bands of whole 8-row blocks
 * (at least 16 rows), or of whole 32-column tiles when it is wider than tall ({@link Gemm}); a band
 * of rows has all the columns and a band of columns all the rows, so every band takes the kernel
 * the whole product would: the results are identical whatever the thread count.
 */
final class VectorGemm implements GemmKernels {
  /**
   * Depth of a k panel. Each panel after the first reloads every tile of C and stores it again,
   * and a training step's C (256 x 512 floats per thread, 512 KB) does not stay in L2 from one
   * panel to the next: at 1024 a dense layer's products up to 1024 inputs are one panel. The
   * B strip of a tile (1024 x 32 floats, 128 KB) then streams from L2 rather than sitting in L1,
   * which the micro-kernel's two loads per 16 multiply-adds absorb. Against 256 (four panels
   * at k = 1024): the 784-1024-1024-10 step 2.4-7% faster, the medium MLP and the LSTM 1.6%,
   * LeNet-5 and the CNN unchanged (BENCHMARKS.md, "One k panel").
   */
  static final int KC = 1024;
  /** Rows of C per micro-tile: eight broadcasts of A per step. */
  static final int MR = 8;
  /**
   * Most rows of A packed at once: an {@code MC x KC} float panel is at most 1 MB, 256 KB at a
   * batch's depth of 256 (a weight gradient's), inside L2 (1 MiB) with the B strip being read
   * and C's tiles. The rows are cut into the fewest such blocks, of
   * equal height ({@link #evenly}).
   */
  static final int MC = 256;
  /**
   * Columns of B packed at once: a {@code KC x NC} float panel is 4 MB, so a product with a
   * very wide B (a large vocabulary's output layer) does not need a scratch panel as big as B.
   */
  static final int NC = 1024;

  /** How many parts of at most {@code most} a size of {@code size} is cut into (at least 1). */
  static int parts(int size, int most) {
    return Math.max(1, (size + most - 1) / most);
  }

  /** The size of each of {@code parts} equal blocks covering {@code size}, rounded up to a multiple of {@code unit}. */
  static int evenly(int size, int parts, int unit) {
    int each = (size + parts - 1) / parts;
    return Math.max(unit, (each + unit - 1) / unit * unit);
  }

  /**
   * The end of k panel {@code q} of {@code panels} covering {@code [0, k)}: equal depths in
   * whole blocks of 16 steps (the packing's transposing blocks; 16 is a multiple of every vector
   * length), the remainder spread over the first panels. Where the panels end changes no result:
   * each element of C gets the same fused multiply-adds in order of p, kept in C between panels.
   */
  static int panelEnd(int k, int panels, int q) {
    if (q == panels - 1) {
      return k;
    }
    int blocks = (k + 15) / 16;
    int before = blocks / panels * (q + 1) + Math.min(q + 1, blocks % panels);
    return Math.min(k, before * 16);
  }

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
