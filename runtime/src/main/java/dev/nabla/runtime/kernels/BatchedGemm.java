package dev.nabla.runtime.kernels;

/**
 * Batched matrix products: {@code outer x inner} products of small matrices in one call, for
 * NumPy's {@code matmul} of stacks ({@code [B, h, T, d] @ [B, h, d, T]}: outer = the batch,
 * inner = the heads). Each product goes through the same packed kernels as {@link Gemm}; the
 * call splits the products (not the rows of one product) across the thread pool when there is
 * enough work, and allocates nothing.
 *
 * <p>Matrix {@code (o, s)} of A starts at {@code aOff + o*aOuter + s*aInner} (likewise B and C)
 * and is a contiguous row-major block: A is {@code [m, k]}, or {@code [k, m]} read transposed
 * when {@code transposeA}; B is {@code [k, n]}, or {@code [n, k]} when {@code transposeB}; C is
 * {@code [m, n]}. A stride of 0 in A or B repeats one matrix for that level (a broadcast
 * operand: a param shared by the batch, or a stack dim of 1). A stride of 0 in C sums the
 * products of that level into one C (the adjoint of a broadcast operand): the first writes it
 * (or adds, with {@code accumulate}), the others add, in increasing order of the level's index.
 *
 * <p>Two layouts become one large product of {@link Gemm}: a shared B with A's matrices
 * stacked row after row ({@code [B*T, d] @ [d, e]}), and a C summing products whose transposed
 * A and B are stacked along k ({@code sum_b X_b^T dZ_b}).
 *
 * <p><b>Results</b> do not depend on the thread count: every product is computed whole by one
 * thread, and the products summed into one C are added by one thread in increasing order.
 *
 * <p><b>Checks.</b> Sizes and counts non-negative, strides non-negative, every matrix inside its
 * array, C's matrices not overlapping one another (a non-zero {@code cInner} is at least
 * {@code m*n}, a non-zero {@code cOuter} at least {@code inner*cInner} or {@code m*n}), and C
 * not in the same array as A or B; else an {@link IllegalArgumentException} naming the sizes.
 */
public final class BatchedGemm {
  private BatchedGemm() {
  }

  /** Batched products with at least this many multiply-adds in all are split across the pool. */
  static final long PARALLEL_MIN_MACS = 1L << 18;

  /** {@code C(o,s) (=|+=) op(A(o,s)) · op(B(o,s))} for every {@code o < outer, s < inner}, in double. */
  public static void gemm(boolean transposeA, boolean transposeB, int outer, int inner, int m, int n, int k,
      double[] a, int aOff, int aOuter, int aInner,
      double[] b, int bOff, int bOuter, int bInner,
      double[] c, int cOff, int cOuter, int cInner, boolean accumulate) {
    check(transposeA, transposeB, outer, inner, m, n, k, a.length, aOff, aOuter, aInner,
        b.length, bOff, bOuter, bInner, c.length, cOff, cOuter, cInner, a == c, b == c);
    run(transposeA, transposeB, outer, inner, m, n, k, a, aOff, aOuter, aInner, b, bOff, bOuter, bInner,
        c, cOff, cOuter, cInner, accumulate);
  }

  /** {@code C(o,s) (=|+=) op(A(o,s)) · op(B(o,s))} for every {@code o < outer, s < inner}, in float. */
  public static void gemm(boolean transposeA, boolean transposeB, int outer, int inner, int m, int n, int k,
      float[] a, int aOff, int aOuter, int aInner,
      float[] b, int bOff, int bOuter, int bInner,
      float[] c, int cOff, int cOuter, int cInner, boolean accumulate) {
    check(transposeA, transposeB, outer, inner, m, n, k, a.length, aOff, aOuter, aInner,
        b.length, bOff, bOuter, bInner, c.length, cOff, cOuter, cInner, a == c, b == c);
    run(transposeA, transposeB, outer, inner, m, n, k, a, aOff, aOuter, aInner, b, bOff, bOuter, bInner,
        c, cOff, cOuter, cInner, accumulate);
  }

  /** The checked call, for arrays that are all {@code float[]} or all {@code double[]}. */
  private static void run(boolean ta, boolean tb, int outer, int inner, int m, int n, int k,
      Object a, int aOff, int aOuter, int aInner, Object b, int bOff, int bOuter, int bInner,
      Object c, int cOff, int cOuter, int cInner, boolean accumulate) {
    if (outer == 0 || inner == 0) {
      return;
    }
    if (aOuter == inner * aInner && bOuter == inner * bInner && cOuter == inner * cInner) {
      // One level: the products are evenly spaced.
      int count = outer * inner;
      if (bInner == 0 && !ta && aInner == m * k && cInner == m * n) {
        // A's matrices one under another against one B: [count*m, k] · op(B).
        one(tb ? Layout.ABT : Layout.AB, count * m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        return;
      }
      if (cInner == 0 && ta && !tb && aInner == k * m && bInner == k * n) {
        // A sum of Aᵀ·B whose A and B stack along k: one Aᵀ·B of depth count*k.
        one(Layout.ATB, m, n, count * k, a, aOff, b, bOff, c, cOff, accumulate);
        return;
      }
      outer = count;
      inner = 1;
      aOuter = aInner;
      bOuter = bInner;
      cOuter = cInner;
    }
    int ars = ta ? 1 : k;
    int acs = ta ? m : 1;
    int brs = tb ? 1 : n;
    int bcs = tb ? k : 1;
    if (!split(outer, inner, m, n, k, a, aOff, aOuter, aInner, ars, acs, b, bOff, bOuter, bInner, brs, bcs,
        c, cOff, cOuter, cInner, accumulate)) {
      products(0, outer, 0, inner, m, n, k, a, aOff, aOuter, aInner, ars, acs, b, bOff, bOuter, bInner, brs, bcs,
          c, cOff, cOuter, cInner, accumulate);
    }
  }

  private enum Layout { AB, ABT, ATB }

  /** One large product of {@link Gemm} (which splits its rows across the pool when large). */
  private static void one(Layout l, int m, int n, int k, Object a, int aOff, Object b, int bOff,
      Object c, int cOff, boolean accumulate) {
    if (a instanceof float[] fa) {
      float[] fb = (float[]) b;
      float[] fc = (float[]) c;
      switch (l) {
        case AB -> Gemm.ab(m, n, k, fa, aOff, fb, bOff, fc, cOff, accumulate);
        case ABT -> Gemm.abT(m, n, k, fa, aOff, fb, bOff, fc, cOff, accumulate);
        case ATB -> Gemm.aTb(m, n, k, fa, aOff, fb, bOff, fc, cOff, accumulate);
      }
    } else {
      double[] da = (double[]) a;
      double[] db = (double[]) b;
      double[] dc = (double[]) c;
      switch (l) {
        case AB -> Gemm.ab(m, n, k, da, aOff, db, bOff, dc, cOff, accumulate);
        case ABT -> Gemm.abT(m, n, k, da, aOff, db, bOff, dc, cOff, accumulate);
        case ATB -> Gemm.aTb(m, n, k, da, aOff, db, bOff, dc, cOff, accumulate);
      }
    }
  }

  /** Products {@code o0 <= o < o1, s0 <= s < s1} on the calling thread, in the arrays' precision. */
  private static void products(int o0, int o1, int s0, int s1, int m, int n, int k,
      Object a, int aOff, int aOuter, int aInner, int ars, int acs,
      Object b, int bOff, int bOuter, int bInner, int brs, int bcs,
      Object c, int cOff, int cOuter, int cInner, boolean accumulate) {
    if (a instanceof float[] fa) {
      BatchedGemmF32.run(o0, o1, s0, s1, m, n, k, fa, aOff, aOuter, aInner, ars, acs,
          (float[]) b, bOff, bOuter, bInner, brs, bcs, (float[]) c, cOff, cOuter, cInner, accumulate);
    } else {
      BatchedGemmF64.run(o0, o1, s0, s1, m, n, k, (double[]) a, aOff, aOuter, aInner, ars, acs,
          (double[]) b, bOff, bOuter, bInner, brs, bcs, (double[]) c, cOff, cOuter, cInner, accumulate);
    }
  }

  private static void check(boolean ta, boolean tb, int outer, int inner, int m, int n, int k,
      int aLen, int aOff, int aOuter, int aInner, int bLen, int bOff, int bOuter, int bInner,
      int cLen, int cOff, int cOuter, int cInner, boolean aIsC, boolean bIsC) {
    String op = "BatchedGemm." + (ta ? "aT" : "a") + (tb ? "bT" : "b");
    if (outer < 0 || inner < 0 || m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException(op + ": negative size outer=" + outer + ", inner=" + inner
          + ", m=" + m + ", n=" + n + ", k=" + k);
    }
    if (aOuter < 0 || aInner < 0 || bOuter < 0 || bInner < 0 || cOuter < 0 || cInner < 0) {
      throw new IllegalArgumentException(op + ": negative stride");
    }
    if (aIsC || bIsC) {
      throw new IllegalArgumentException(op + ": C is in the same array as " + (aIsC ? "A" : "B"));
    }
    long cSize = (long) m * n;
    if ((cInner != 0 && cInner < cSize)
        || (cOuter != 0 && cOuter < (cInner != 0 ? (long) inner * cInner : cSize))) {
      throw new IllegalArgumentException(op + ": C's matrices [" + m + ", " + n + "] overlap with strides "
          + cOuter + ", " + cInner);
    }
    if (outer == 0 || inner == 0) {
      return;
    }
    block(op, "A", aLen, aOff, aOuter, aInner, outer, inner, ta ? k : m, ta ? m : k);
    block(op, "B", bLen, bOff, bOuter, bInner, outer, inner, tb ? n : k, tb ? k : n);
    block(op, "C", cLen, cOff, cOuter, cInner, outer, inner, m, n);
  }

  /** Checks that the last of the {@code outer x inner} blocks fits (strides are non-negative). */
  private static void block(String op, String name, int length, int off, int outerStride, int innerStride,
      int outer, int inner, int rows, int cols) {
    long last = off + (long) (outer - 1) * outerStride + (long) (inner - 1) * innerStride;
    if (last > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(op + ": " + name + "'s last matrix starts at " + last
          + ", past its array of " + length + " elements");
    }
    Checks.block(op, name, length, off, rows, cols);
    Checks.block(op, name, length, (int) last, rows, cols);
  }

  // ---- threads: the products are split by ranges of one level whose C differs from product
  // to product, so that products summed into one C stay on one thread, in order.

  private static final ProductsJob JOB = new ProductsJob();

  private static boolean split(int outer, int inner, int m, int n, int k,
      Object a, int aOff, int aOuter, int aInner, int ars, int acs,
      Object b, int bOff, int bOuter, int bInner, int brs, int bcs,
      Object c, int cOff, int cOuter, int cInner, boolean accumulate) {
    boolean byOuter = cOuter != 0 && outer > 1;
    boolean byInner = cInner != 0 && inner > 1;
    if ((!byOuter && !byInner) || (long) outer * inner * m * n * k < PARALLEL_MIN_MACS || !JOB.claim()) {
      return false;
    }
    try {
      JOB.byOuter = byOuter;
      JOB.outer = outer;
      JOB.inner = inner;
      JOB.m = m;
      JOB.n = n;
      JOB.k = k;
      JOB.a = a;
      JOB.aOff = aOff;
      JOB.aOuter = aOuter;
      JOB.aInner = aInner;
      JOB.ars = ars;
      JOB.acs = acs;
      JOB.b = b;
      JOB.bOff = bOff;
      JOB.bOuter = bOuter;
      JOB.bInner = bInner;
      JOB.brs = brs;
      JOB.bcs = bcs;
      JOB.c = c;
      JOB.cOff = cOff;
      JOB.cOuter = cOuter;
      JOB.cInner = cInner;
      JOB.accumulate = accumulate;
      return Parallel.run(JOB);
    } finally {
      JOB.release();
    }
  }

  /** The reusable job: part p computes the p-th range of one level's products. */
  private static final class ProductsJob extends Parallel.ReusableJob {
    boolean byOuter;
    int outer;
    int inner;
    int m;
    int n;
    int k;
    Object a;
    int aOff;
    int aOuter;
    int aInner;
    int ars;
    int acs;
    Object b;
    int bOff;
    int bOuter;
    int bInner;
    int brs;
    int bcs;
    Object c;
    int cOff;
    int cOuter;
    int cInner;
    boolean accumulate;

    @Override
    void clear() {
      a = b = c = null;
    }

    @Override
    public void run(int part, int parts) {
      int count = byOuter ? outer : inner;
      int from = (int) ((long) count * part / parts);
      int to = (int) ((long) count * (part + 1) / parts);
      if (from >= to) {
        return;
      }
      int o0 = byOuter ? from : 0;
      int o1 = byOuter ? to : outer;
      int s0 = byOuter ? 0 : from;
      int s1 = byOuter ? inner : to;
      products(o0, o1, s0, s1, m, n, k, a, aOff, aOuter, aInner, ars, acs, b, bOff, bOuter, bInner, brs, bcs,
          c, cOff, cOuter, cInner, accumulate);
    }
  }
}
