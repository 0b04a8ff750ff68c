package dev.nabla.runtime.kernels;

/**
 * The double loop behind {@link BatchedGemm}: a range of the matrices of a batched product, each
 * one handed to the active packed kernels ({@link GemmKernels#ACTIVE}) on strided views. The
 * float loop, {@code BatchedGemmF32}, is generated from this file at build time
 * ({@code FloatTwins}): edit this file only. Arguments are already checked.
 *
 * <p>Matrix {@code (o, s)} ({@code o < outer}, {@code s < inner}) of A starts at
 * {@code aOff + o*aOuter + s*aInner}, and likewise for B and C; a stride of 0 repeats one matrix
 * (a broadcast operand, or a C that sums the products of that level).
 */
final class BatchedGemmF64 {
  private BatchedGemmF64() {
  }

  /**
   * Computes the products {@code (o, s)} for {@code o} in {@code [o0, o1)} and {@code s} in
   * {@code [s0, s1)}, o outermost. Where C's stride of a level is 0 the products of that level
   * add up into one C: the first one of the level ({@code o == 0} or {@code s == 0}) writes it
   * unless {@code accumulate}, the others add to it, always in increasing order.
   */
  static void run(int o0, int o1, int s0, int s1, int m, int n, int k,
      double[] a, int aOff, int aOuter, int aInner, int ars, int acs,
      double[] b, int bOff, int bOuter, int bInner, int brs, int bcs,
      double[] c, int cOff, int cOuter, int cInner, boolean accumulate) {
    GemmKernels kernels = GemmKernels.ACTIVE;
    for (int o = o0; o < o1; o++) {
      for (int s = s0; s < s1; s++) {
        boolean add = accumulate || (cOuter == 0 && o > 0) || (cInner == 0 && s > 0);
        kernels.gemm(m, n, k, a, aOff + o * aOuter + s * aInner, ars, acs,
            b, bOff + o * bOuter + s * bInner, brs, bcs,
            c, cOff + o * cOuter + s * cInner, n, add);
      }
    }
  }
}
