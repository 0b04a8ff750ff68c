package dev.nabla.runtime.kernels;

/**
 * The work a fused product does besides {@code C = op(A)·op(B)} (see {@link Gemm}'s fused
 * overloads): which form, and the arrays it reads or writes. A product kernel applies it to each
 * block of C as soon as the block's last k panel is done, while the block is still in L1
 * ({@code VectorGemmF64.packed}), or to the whole of C after the product (the other kernels); the
 * column sums of A are taken while A is packed. Every element goes through the same arithmetic
 * either way, so the results do not depend on the kernel, the blocking or the thread count.
 *
 * <p>One instance per calling thread, filled in by {@link Gemm} for one call and cleared after
 * it (no allocation per call); a parallel product's workers only read it. The row of C passed
 * to {@link #finish} counts from the whole product's first row: a worker computing a band of
 * rows adds the band's first row, so that it reads and writes the right rows of Y and the saved
 * values.
 */
final class GemmEpilogue {
  /** The forms of fused work. */
  enum Kind {
    /** {@code C = P + bias[j]} (no bias when null), then {@code Y = act(C)} unless identity. */
    BIAS_ACT,
    /** {@code C = P * act'(saved)} with the derivative written from the saved value. */
    DERIVATIVE,
    /**
     * {@code C = P * scale} (just P when the scale is 1) and {@code sums[i] = sum_p op(A)[i, p]},
     * taken while A is packed ({@link Gemm} scales the sums); with an {@code update} array W,
     * then the plain SGD step {@code W[i, j] = W[i, j] - rate * C[i, j]} in C's precision.
     */
    SUMS
  }

  Kind kind;
  Gemm.Act act = Gemm.Act.IDENTITY;
  /** {@code float[]} or {@code double[]}, like C; null where the form does not use it. */
  Object bias;
  int biasOff;
  Object y;
  int yOff;
  Object saved;
  int savedOff;
  Object sums;
  int sumsOff;
  /** {@link Kind#SUMS}'s factor of C, applied as {@code c * scale} once C is complete. */
  double scale = 1;
  /**
   * {@link Kind#SUMS}'s params updated by plain SGD from the finished C (laid out as C, at
   * {@code updateOff}), or null; {@code rate} is the learning rate, a value of C's precision.
   */
  Object update;
  int updateOff;
  double rate;

  private static final ThreadLocal<GemmEpilogue> MINE = ThreadLocal.withInitial(GemmEpilogue::new);

  /** The calling thread's instance, cleared. */
  static GemmEpilogue mine() {
    return MINE.get();
  }

  private static final ThreadLocal<GemmEpilogue> SPARE = ThreadLocal.withInitial(GemmEpilogue::new);

  /**
   * The calling thread's spare instance, set to this work without the bias: for a kernel that
   * has added the bias itself and applies the activation through {@link #finish}. The threads
   * of a parallel product share the caller's instance, so no kernel may change it (one that set
   * the caller's bias to null for the call made another thread's band add its bias twice).
   * {@link #clear} it after use.
   */
  GemmEpilogue withoutBias() {
    GemmEpilogue s = SPARE.get();
    s.kind = kind;
    s.act = act;
    s.scale = scale;
    s.bias = null;
    s.biasOff = 0;
    s.y = y;
    s.yOff = yOff;
    s.saved = saved;
    s.savedOff = savedOff;
    s.sums = sums;
    s.sumsOff = sumsOff;
    return s;
  }

  /** Drops the references to the caller's arrays. */
  void clear() {
    bias = y = saved = sums = update = null;
  }

  /** Whether the sums of A's rows are taken while A is packed. */
  boolean sumsA() {
    return kind == Kind.SUMS;
  }

  /** Whether there is element-wise work on C's blocks (every form but unscaled sums with no update). */
  boolean finishes() {
    return kind != Kind.SUMS || scale != 1 || update != null;
  }

  /**
   * Applies the element-wise form to the block of C of {@code rows x cols} at {@code cAt}
   * (leading dimension {@code ldc}), which is row {@code row} and column {@code col} of the
   * whole product's C. Nothing for unscaled {@link Kind#SUMS}.
   */
  void finish(float[] c, int cAt, int ldc, int row, int col, int rows, int cols) {
    if (finishes()) {
      GemmEpilogueF32.finish(this, c, cAt, ldc, row, col, rows, cols);
    }
  }

  /** The double version of {@link #finish(float[], int, int, int, int, int, int)}. */
  void finish(double[] c, int cAt, int ldc, int row, int col, int rows, int cols) {
    if (finishes()) {
      GemmEpilogueF64.finish(this, c, cAt, ldc, row, col, rows, cols);
    }
  }
}
