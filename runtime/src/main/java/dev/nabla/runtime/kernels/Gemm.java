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
 * <p><b>Alpha only for the batch mean.</b> The kernels compute the plain product; scaling is the
 * separate {@link #scale(double[], int, int, double)}, except for the factor a model almost
 * always needs, the {@code 1/B} of a weight gradient's batch mean: the column-sum form of
 * {@code aTb} takes it as {@code scale}, applied to each block of C while it is in cache (the
 * same bits as {@code x *= scale} afterwards, without the pass over C).
 *
 * <p><b>Checks.</b> Sizes must be non-negative and every block must fit its array, else an
 * {@link IllegalArgumentException} names the kernel and both shapes. C must not overlap A or
 * B in the same array (also an {@link IllegalArgumentException}). The float kernels accumulate
 * in float.
 *
 * <p><b>Fused work.</b> Overloads of the three kernels do a dense layer's neighbouring
 * element-wise work inside the product, on each block of C while it is still in cache, instead of
 * in separate passes over memory (and separate hand-offs to the worker threads):
 *
 * <table>
 *   <caption>Fused forms ({@code P = op(A)·op(B)}, the plain product; C never accumulates)</caption>
 *   <tr><th>extra arguments</th><th>computes</th><th>use</th></tr>
 *   <tr><td>{@code bias, biasOff, act, y, yOff}</td>
 *       <td>{@code C[i,j] = P[i,j] + bias[j]}, then {@code Y[i,j] = act(C[i,j])}</td>
 *       <td>forward {@code Z = X·Wᵀ + b}, {@code Y = act(Z)}</td></tr>
 *   <tr><td>{@code act, saved, savedOff}</td>
 *       <td>{@code C[i,j] = P[i,j] * act'(S[i,j])}</td>
 *       <td>backward {@code dZ = (dY'·W) * act'(Z)}</td></tr>
 *   <tr><td>{@code sums, sumsOff} ({@code aTb} only)</td>
 *       <td>{@code C = Aᵀ·B} and {@code sums[i] = sum_p A[p,i]}</td>
 *       <td>weight and bias gradients {@code dW = dZᵀ·X}, {@code db = sum_b dZ[b,.]}</td></tr>
 *   <tr><td>{@code sums, sumsOff, scale} ({@code aTb} only)</td>
 *       <td>the same, C and the sums then times {@code scale}</td>
 *       <td>their batch means, {@code scale = 1/B}</td></tr>
 * </table>
 *
 * Each fused form gives the same bits as the plain product followed by the generated code's
 * separate loops: {@code z = p + bias[j]} and {@code Scalars.relu(z)} or the {@link Activations}
 * row kernel over each row of C (so C's rows must be the rows that kernel would be given: the
 * instances, with the layer's units as columns); {@code p * Scalars.step(z)}, {@code p * (1 - y *
 * y)}, {@code p * (y * (1 - y))}; and {@code sums[i] = 0; sums[i] += A[p,i]} for p in order. See
 * {@link Act} for which saved value each derivative reads. {@code bias} may be null (no bias);
 * with {@link Act#IDENTITY} nothing is written to Y ({@code y} may be null); Y may be C itself
 * (same array and offset: only the activation is kept). Y, S and the sums must not overlap C
 * other than being C itself, nor A or B ({@link IllegalArgumentException}).
 *
 * <p>The implementation is plain Java (see {@code GemmF64}: k and row panels for the cache, 4x4
 * register blocks); a SIMD version may replace it behind this API.
 */
public final class Gemm {
  private Gemm() {
  }

  /**
   * The activation of a fused product. Forward: {@code Y = act(C)} after the bias. Backward:
   * {@code C = P * act'(S)}, with the derivative written from what the forward pass kept:
   * relu from its input z ({@code Scalars.step(z)}, 1 at 0), tanh and sigmoid from their output
   * y ({@code 1 - y * y}, {@code y * (1 - y)}).
   */
  public enum Act {
    /** No activation (forward: Y not written; backward: C = P). */
    IDENTITY,
    RELU,
    TANH,
    SIGMOID
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

  /**
   * {@code C[m,n] = A[m,k] · B[k,n] + bias[j]}, then {@code Y = act(C)}
   * (see the class comment, "Fused work").
   */
  public static void ab(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, float[] bias, int biasOff, Act act, float[] y, int yOff) {
    check("Gemm.ab", m, n, k, a.length, aOff, m, k, b.length, bOff, k, n, c.length, cOff, a == c, b == c);
    GemmEpilogue e = biasAct("Gemm.ab", m, n, a, aOff, m, k, b, bOff, k, n, c, cOff,
        bias, bias == null ? 0 : bias.length, biasOff, act, y, y == null ? 0 : y.length, yOff);
    run(m, n, k, a, aOff, k, 1, b, bOff, n, 1, c, cOff, e);
  }

  /**
   * {@code C[m,n] = (A[m,k] · B[k,n]) * act'(S)}, S the
   * {@code [m, n]} block of {@code saved} at {@code savedOff} (see {@link Act}).
   */
  public static void ab(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, Act act, float[] saved, int savedOff) {
    check("Gemm.ab", m, n, k, a.length, aOff, m, k, b.length, bOff, k, n, c.length, cOff, a == c, b == c);
    GemmEpilogue e = derivative("Gemm.ab", m, n, c, cOff, act, saved, saved.length, savedOff);
    run(m, n, k, a, aOff, k, 1, b, bOff, n, 1, c, cOff, e);
  }

  /**
   * {@code C[m,n] = A[m,k] · B[n,k]ᵀ + bias[j]}, then {@code Y = act(C)}
   * (see the class comment, "Fused work").
   */
  public static void abT(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, float[] bias, int biasOff, Act act, float[] y, int yOff) {
    check("Gemm.abT", m, n, k, a.length, aOff, m, k, b.length, bOff, n, k, c.length, cOff, a == c, b == c);
    GemmEpilogue e = biasAct("Gemm.abT", m, n, a, aOff, m, k, b, bOff, n, k, c, cOff,
        bias, bias == null ? 0 : bias.length, biasOff, act, y, y == null ? 0 : y.length, yOff);
    run(m, n, k, a, aOff, k, 1, b, bOff, 1, k, c, cOff, e);
  }

  /**
   * {@code C[m,n] = (A[m,k] · B[n,k]ᵀ) * act'(S)}, S the
   * {@code [m, n]} block of {@code saved} at {@code savedOff} (see {@link Act}).
   */
  public static void abT(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, Act act, float[] saved, int savedOff) {
    check("Gemm.abT", m, n, k, a.length, aOff, m, k, b.length, bOff, n, k, c.length, cOff, a == c, b == c);
    GemmEpilogue e = derivative("Gemm.abT", m, n, c, cOff, act, saved, saved.length, savedOff);
    run(m, n, k, a, aOff, k, 1, b, bOff, 1, k, c, cOff, e);
  }

  /**
   * {@code C[m,n] = A[k,m]ᵀ · B[k,n] + bias[j]}, then {@code Y = act(C)}
   * (see the class comment, "Fused work").
   */
  public static void aTb(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, float[] bias, int biasOff, Act act, float[] y, int yOff) {
    check("Gemm.aTb", m, n, k, a.length, aOff, k, m, b.length, bOff, k, n, c.length, cOff, a == c, b == c);
    GemmEpilogue e = biasAct("Gemm.aTb", m, n, a, aOff, k, m, b, bOff, k, n, c, cOff,
        bias, bias == null ? 0 : bias.length, biasOff, act, y, y == null ? 0 : y.length, yOff);
    run(m, n, k, a, aOff, 1, m, b, bOff, n, 1, c, cOff, e);
  }

  /**
   * {@code C[m,n] = (A[k,m]ᵀ · B[k,n]) * act'(S)}, S the
   * {@code [m, n]} block of {@code saved} at {@code savedOff} (see {@link Act}).
   */
  public static void aTb(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, Act act, float[] saved, int savedOff) {
    check("Gemm.aTb", m, n, k, a.length, aOff, k, m, b.length, bOff, k, n, c.length, cOff, a == c, b == c);
    GemmEpilogue e = derivative("Gemm.aTb", m, n, c, cOff, act, saved, saved.length, savedOff);
    run(m, n, k, a, aOff, 1, m, b, bOff, n, 1, c, cOff, e);
  }

  /**
   * {@code C[m,n] = A[k,m]ᵀ · B[k,n]} and {@code sums[sumsOff + i] = sum_p A[p,i]}: a
   * weight gradient and its bias's batch sum in one pass over {@code dZ} (see the class comment).
   */
  public static void aTb(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, float[] sums, int sumsOff) {
    check("Gemm.aTb", m, n, k, a.length, aOff, k, m, b.length, bOff, k, n, c.length, cOff, a == c, b == c);
    GemmEpilogue e = sums("Gemm.aTb", m, n, k, a, aOff, b, bOff, c, cOff, sums, sums.length, sumsOff);
    run(m, n, k, a, aOff, 1, m, b, bOff, n, 1, c, cOff, e);
  }

  /**
   * The batch mean of a weight gradient and of its bias's: {@code C[i,j] = (A[k,m]ᵀ · B[k,n])[i,j]
   * * scale} and {@code sums[sumsOff + i] = (sum_p A[p,i]) * scale}, each the same bits as the
   * unscaled form followed by {@code x *= scale} (C is scaled block by block while in cache, not
   * in a pass of its own).
   */
  public static void aTb(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, float[] sums, int sumsOff, float scale) {
    check("Gemm.aTb", m, n, k, a.length, aOff, k, m, b.length, bOff, k, n, c.length, cOff, a == c, b == c);
    GemmEpilogue e = sums("Gemm.aTb", m, n, k, a, aOff, b, bOff, c, cOff, sums, sums.length, sumsOff);
    e.scale = scale;
    run(m, n, k, a, aOff, 1, m, b, bOff, n, 1, c, cOff, e);
    for (int i = sumsOff, end = sumsOff + m; i < end; i++) {
      sums[i] *= scale;
    }
  }

  /** The double version of {@link #aTb(int, int, int, float[], int, float[], int, float[], int, float[], int, float)}. */
  public static void aTb(int m, int n, int k, double[] a, int aOff, double[] b, int bOff,
      double[] c, int cOff, double[] sums, int sumsOff, double scale) {
    check("Gemm.aTb", m, n, k, a.length, aOff, k, m, b.length, bOff, k, n, c.length, cOff, a == c, b == c);
    GemmEpilogue e = sums("Gemm.aTb", m, n, k, a, aOff, b, bOff, c, cOff, sums, sums.length, sumsOff);
    e.scale = scale;
    run(m, n, k, a, aOff, 1, m, b, bOff, n, 1, c, cOff, e);
    for (int i = sumsOff, end = sumsOff + m; i < end; i++) {
      sums[i] *= scale;
    }
  }

  /**
   * {@code C[m,n] = A[m,k] · B[k,n] + bias[j]}, then {@code Y = act(C)} in double
   * (see the class comment, "Fused work").
   */
  public static void ab(int m, int n, int k, double[] a, int aOff, double[] b, int bOff,
      double[] c, int cOff, double[] bias, int biasOff, Act act, double[] y, int yOff) {
    check("Gemm.ab", m, n, k, a.length, aOff, m, k, b.length, bOff, k, n, c.length, cOff, a == c, b == c);
    GemmEpilogue e = biasAct("Gemm.ab", m, n, a, aOff, m, k, b, bOff, k, n, c, cOff,
        bias, bias == null ? 0 : bias.length, biasOff, act, y, y == null ? 0 : y.length, yOff);
    run(m, n, k, a, aOff, k, 1, b, bOff, n, 1, c, cOff, e);
  }

  /**
   * {@code C[m,n] = (A[m,k] · B[k,n]) * act'(S)} in double, S the
   * {@code [m, n]} block of {@code saved} at {@code savedOff} (see {@link Act}).
   */
  public static void ab(int m, int n, int k, double[] a, int aOff, double[] b, int bOff,
      double[] c, int cOff, Act act, double[] saved, int savedOff) {
    check("Gemm.ab", m, n, k, a.length, aOff, m, k, b.length, bOff, k, n, c.length, cOff, a == c, b == c);
    GemmEpilogue e = derivative("Gemm.ab", m, n, c, cOff, act, saved, saved.length, savedOff);
    run(m, n, k, a, aOff, k, 1, b, bOff, n, 1, c, cOff, e);
  }

  /**
   * {@code C[m,n] = A[m,k] · B[n,k]ᵀ + bias[j]}, then {@code Y = act(C)} in double
   * (see the class comment, "Fused work").
   */
  public static void abT(int m, int n, int k, double[] a, int aOff, double[] b, int bOff,
      double[] c, int cOff, double[] bias, int biasOff, Act act, double[] y, int yOff) {
    check("Gemm.abT", m, n, k, a.length, aOff, m, k, b.length, bOff, n, k, c.length, cOff, a == c, b == c);
    GemmEpilogue e = biasAct("Gemm.abT", m, n, a, aOff, m, k, b, bOff, n, k, c, cOff,
        bias, bias == null ? 0 : bias.length, biasOff, act, y, y == null ? 0 : y.length, yOff);
    run(m, n, k, a, aOff, k, 1, b, bOff, 1, k, c, cOff, e);
  }

  /**
   * {@code C[m,n] = (A[m,k] · B[n,k]ᵀ) * act'(S)} in double, S the
   * {@code [m, n]} block of {@code saved} at {@code savedOff} (see {@link Act}).
   */
  public static void abT(int m, int n, int k, double[] a, int aOff, double[] b, int bOff,
      double[] c, int cOff, Act act, double[] saved, int savedOff) {
    check("Gemm.abT", m, n, k, a.length, aOff, m, k, b.length, bOff, n, k, c.length, cOff, a == c, b == c);
    GemmEpilogue e = derivative("Gemm.abT", m, n, c, cOff, act, saved, saved.length, savedOff);
    run(m, n, k, a, aOff, k, 1, b, bOff, 1, k, c, cOff, e);
  }

  /**
   * {@code C[m,n] = A[k,m]ᵀ · B[k,n] + bias[j]}, then {@code Y = act(C)} in double
   * (see the class comment, "Fused work").
   */
  public static void aTb(int m, int n, int k, double[] a, int aOff, double[] b, int bOff,
      double[] c, int cOff, double[] bias, int biasOff, Act act, double[] y, int yOff) {
    check("Gemm.aTb", m, n, k, a.length, aOff, k, m, b.length, bOff, k, n, c.length, cOff, a == c, b == c);
    GemmEpilogue e = biasAct("Gemm.aTb", m, n, a, aOff, k, m, b, bOff, k, n, c, cOff,
        bias, bias == null ? 0 : bias.length, biasOff, act, y, y == null ? 0 : y.length, yOff);
    run(m, n, k, a, aOff, 1, m, b, bOff, n, 1, c, cOff, e);
  }

  /**
   * {@code C[m,n] = (A[k,m]ᵀ · B[k,n]) * act'(S)} in double, S the
   * {@code [m, n]} block of {@code saved} at {@code savedOff} (see {@link Act}).
   */
  public static void aTb(int m, int n, int k, double[] a, int aOff, double[] b, int bOff,
      double[] c, int cOff, Act act, double[] saved, int savedOff) {
    check("Gemm.aTb", m, n, k, a.length, aOff, k, m, b.length, bOff, k, n, c.length, cOff, a == c, b == c);
    GemmEpilogue e = derivative("Gemm.aTb", m, n, c, cOff, act, saved, saved.length, savedOff);
    run(m, n, k, a, aOff, 1, m, b, bOff, n, 1, c, cOff, e);
  }

  /**
   * {@code C[m,n] = A[k,m]ᵀ · B[k,n]} and {@code sums[sumsOff + i] = sum_p A[p,i]} in double: a
   * weight gradient and its bias's batch sum in one pass over {@code dZ} (see the class comment).
   */
  public static void aTb(int m, int n, int k, double[] a, int aOff, double[] b, int bOff,
      double[] c, int cOff, double[] sums, int sumsOff) {
    check("Gemm.aTb", m, n, k, a.length, aOff, k, m, b.length, bOff, k, n, c.length, cOff, a == c, b == c);
    GemmEpilogue e = sums("Gemm.aTb", m, n, k, a, aOff, b, bOff, c, cOff, sums, sums.length, sumsOff);
    run(m, n, k, a, aOff, 1, m, b, bOff, n, 1, c, cOff, e);
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

  /** The checks of a product's sizes and blocks (also {@link PackedGemm}'s). */
  static void check(String op, int m, int n, int k,
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

  /** Checks a forward fused form's arrays and fills in the calling thread's epilogue. */
  private static GemmEpilogue biasAct(String op, int m, int n, Object a, int aOff, int aRows, int aCols,
      Object b, int bOff, int bRows, int bCols, Object c, int cOff,
      Object bias, int biasLen, int biasOff, Act act, Object y, int yLen, int yOff) {
    if (act == null) {
      throw new IllegalArgumentException(op + ": no activation (Act.IDENTITY for none)");
    }
    long size = (long) m * n;
    if (bias != null) {
      Checks.range(op, "bias", biasLen, biasOff, n);
      apart(op, "bias", bias, biasOff, n, "C", c, cOff, size);
    }
    if (act != Act.IDENTITY) {
      if (y == null) {
        throw new IllegalArgumentException(op + ": activation " + act + " but no Y");
      }
      Checks.block(op, "Y", yLen, yOff, m, n);
      if (!(y == c && yOff == cOff)) {
        apart(op, "Y", y, yOff, size, "C", c, cOff, size);
      }
      apart(op, "Y", y, yOff, size, "A", a, aOff, (long) aRows * aCols);
      apart(op, "Y", y, yOff, size, "B", b, bOff, (long) bRows * bCols);
      if (bias != null) {
        apart(op, "Y", y, yOff, size, "bias", bias, biasOff, n);
      }
    }
    GemmEpilogue e = GemmEpilogue.mine();
    e.kind = GemmEpilogue.Kind.BIAS_ACT;
    e.scale = 1;
    e.act = act;
    e.bias = bias;
    e.biasOff = biasOff;
    e.y = act == Act.IDENTITY ? null : y;
    e.yOff = yOff;
    return e;
  }

  /** Checks a backward fused form's arrays and fills in the calling thread's epilogue. */
  private static GemmEpilogue derivative(String op, int m, int n, Object c, int cOff,
      Act act, Object saved, int savedLen, int savedOff) {
    if (act == null) {
      throw new IllegalArgumentException(op + ": no activation (Act.IDENTITY for none)");
    }
    long size = (long) m * n;
    Checks.block(op, "S", savedLen, savedOff, m, n);
    if (!(saved == c && savedOff == cOff)) {
      apart(op, "S", saved, savedOff, size, "C", c, cOff, size);
    }
    GemmEpilogue e = GemmEpilogue.mine();
    e.kind = GemmEpilogue.Kind.DERIVATIVE;
    e.scale = 1;
    e.act = act;
    e.saved = saved;
    e.savedOff = savedOff;
    return e;
  }

  /** Checks the sums' range for {@code aTb} and fills in the calling thread's epilogue. */
  private static GemmEpilogue sums(String op, int m, int n, int k, Object a, int aOff, Object b, int bOff,
      Object c, int cOff, Object sums, int sumsLen, int sumsOff) {
    Checks.range(op, "sums", sumsLen, sumsOff, m);
    apart(op, "sums", sums, sumsOff, m, "A", a, aOff, (long) k * m);
    apart(op, "sums", sums, sumsOff, m, "B", b, bOff, (long) k * n);
    apart(op, "sums", sums, sumsOff, m, "C", c, cOff, (long) m * n);
    GemmEpilogue e = GemmEpilogue.mine();
    e.kind = GemmEpilogue.Kind.SUMS;
    e.scale = 1;
    e.sums = sums;
    e.sumsOff = sumsOff;
    return e;
  }

  /** Fails when two blocks of the same array overlap. */
  private static void apart(String op, String name1, Object array1, int off1, long len1,
      String name2, Object array2, int off2, long len2) {
    if (array1 == array2 && overlaps(off1, len1, off2, len2)) {
      throw new IllegalArgumentException(op + ": " + name1 + " (" + len1 + " elements at offset " + off1
          + ") overlaps " + name2 + " (" + len2 + " elements at offset " + off2 + ")");
    }
  }

  private static boolean overlaps(long off1, long len1, long off2, long len2) {
    return len1 > 0 && len2 > 0 && off1 < off2 + len2 && off2 < off1 + len1;
  }

  // ---- threads: a large product is split across the pool in bands of C's rows, or of its
  // columns when C is wider than tall. Every element of C is computed by one thread in the same
  // order as without threads, so results do not depend on the thread count.
  //
  // Which way: each thread packs the whole of the operand the split does not cut (B for bands of
  // rows, A for bands of columns) and its share of the other. A training step's forward products
  // and input gradients are [batch, units] with a weight matrix as B: split by rows, both threads
  // packed all of the weights (1 M values for a 1024 x 1024 layer) to compute 128 rows each, a
  // third of their time. Split by columns, each packs half of the weights and all of the
  // (smaller) batch. Packing costs about the values packed, so the split that cuts the larger of
  // n and m packs least.

  /** Products with fewer multiply-adds than this stay on the calling thread. */
  static final long PARALLEL_MIN_MACS = 1L << 21;

  /** Bands of C's rows are multiples of this: the tallest register tile of the kernels (8 rows). */
  static final int BAND_ROWS = 8;

  /** Bands of C's columns are multiples of this: the widest register tile of the kernels (32 floats). */
  static final int BAND_COLS = 32;

  private static final RowsJob JOB = new RowsJob();

  private static void run(int m, int n, int k, float[] a, int aOff, int ars, int acs,
      float[] b, int bOff, int brs, int bcs, float[] c, int cOff, boolean accumulate) {
    if (!split(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate)) {
      GemmKernels.ACTIVE.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, n, accumulate);
    }
  }

  private static void run(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, boolean accumulate) {
    if (!split(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate)) {
      GemmKernels.ACTIVE.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, n, accumulate);
    }
  }

  /**
   * Runs a large product in bands across the pool; false, having done nothing, when it is too
   * small or the pool is busy, and the caller computes it. The arrays are all {@code float[]}
   * or all {@code double[]}.
   */
  private static boolean split(int m, int n, int k, Object a, int aOff, int ars, int acs,
      Object b, int bOff, int brs, int bcs, Object c, int cOff, boolean accumulate) {
    return split(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate, null);
  }

  /** Whether a product this large is split by columns (see above); false: by rows, if at all. */
  static boolean byColumns(int m, int n) {
    return n > m && n >= 2 * BAND_COLS;
  }

  /** {@link #split} with fused work ({@code e}, null for none), done by each band's thread. */
  private static boolean split(int m, int n, int k, Object a, int aOff, int ars, int acs,
      Object b, int bOff, int brs, int bcs, Object c, int cOff, boolean accumulate, GemmEpilogue e) {
    if ((long) m * n * k < PARALLEL_MIN_MACS) {
      return false;
    }
    boolean columns = byColumns(m, n);
    if (!columns && m < 2 * BAND_ROWS || !JOB.claim()) {
      return false;
    }
    try {
      JOB.set(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate);
      JOB.columns = columns;
      JOB.epilogue = e;
      return Parallel.run(JOB);
    } finally {
      JOB.release();
    }
  }

  /** A fused product: {@code e} is the calling thread's epilogue, cleared afterwards. */
  private static void run(int m, int n, int k, float[] a, int aOff, int ars, int acs,
      float[] b, int bOff, int brs, int bcs, float[] c, int cOff, GemmEpilogue e) {
    try {
      if (!split(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, false, e)) {
        GemmKernels.ACTIVE.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, n, false, e, 0, 0);
      }
    } finally {
      e.clear();
    }
  }

  /** The double version of the fused {@code run} above. */
  private static void run(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, GemmEpilogue e) {
    try {
      if (!split(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, false, e)) {
        GemmKernels.ACTIVE.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, n, false, e, 0, 0);
      }
    } finally {
      e.clear();
    }
  }

  /** The reusable job of a parallel product: part p computes a band of C's rows or columns. */
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
    /** Bands of columns rather than rows. */
    boolean columns;
    Object a;
    Object b;
    Object c;
    /** The fused work, or null. */
    GemmEpilogue epilogue;

    @Override
    void clear() {
      a = b = c = null;
      epilogue = null;
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
      // Bands of whole register tiles (8 rows, or 32 columns), so every band but the last uses
      // full tiles; a band of rows has all the columns and a band of columns all the rows, so
      // each takes the kernel the whole product would.
      int size = columns ? n : m;
      int unit = columns ? BAND_COLS : BAND_ROWS;
      int blocks = (size + unit - 1) / unit;
      int from = Math.min(size, (int) ((long) blocks * part / parts) * unit);
      int to = Math.min(size, (int) ((long) blocks * (part + 1) / parts) * unit);
      if (from >= to) {
        return;
      }
      int rows = columns ? m : to - from;
      int cols = columns ? to - from : n;
      int at = columns ? aOff : aOff + from * ars;
      int bt = columns ? bOff + from * bcs : bOff;
      int ct = columns ? cOff + from : cOff + from * n;
      int row = columns ? 0 : from;
      int col = columns ? from : 0;
      GemmEpilogue e = epilogue;
      if (a instanceof float[] fa) {
        if (e == null) {
          GemmKernels.ACTIVE.gemm(rows, cols, k, fa, at, ars, acs, (float[]) b, bt, brs, bcs,
              (float[]) c, ct, n, accumulate);
        } else {
          GemmKernels.ACTIVE.gemm(rows, cols, k, fa, at, ars, acs, (float[]) b, bt, brs, bcs,
              (float[]) c, ct, n, accumulate, e, row, col);
        }
      } else if (e == null) {
        GemmKernels.ACTIVE.gemm(rows, cols, k, (double[]) a, at, ars, acs, (double[]) b, bt, brs, bcs,
            (double[]) c, ct, n, accumulate);
      } else {
        GemmKernels.ACTIVE.gemm(rows, cols, k, (double[]) a, at, ars, acs, (double[]) b, bt, brs, bcs,
            (double[]) c, ct, n, accumulate, e, row, col);
      }
    }
  }
}
