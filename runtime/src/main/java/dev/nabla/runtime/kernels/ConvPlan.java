package dev.nabla.runtime.kernels;

/**
 * One convolution of a model (see {@link Convolutions} for the layout and the arguments) and how
 * its batch is computed ({@link ConvBatchF64}): by the direct loops of {@link ConvF64}, or
 * lowered to the packed matrix kernels of {@link Gemm} through im2col/col2im. Generated code
 * makes one per convolution op when it builds a pass, so the path and the scratch sizes are
 * fixed before the first step.
 *
 * <p>With {@code r = c kh kw} rows of im2col's matrix (one per input channel and kernel
 * element) and {@code P = oh ow} columns (one per output position), the three ops are products:
 * the output {@code Y_b[o, P] = K[o, r] · cols_b[r, P]}; the input's adjoint is col2im of
 * {@code Kᵀ[r, o] · dY_b[o, P]}; the kernel's adjoint summed over the batch is
 * {@code dK[o, r] = sum_b dY_b[o, P] · cols_bᵀ[P, r]}.
 *
 * <p><b>Which path</b> ({@link #path(Kind)}), from {@code KernelRounds conv} (BENCHMARKS.md,
 * "Convolutions"): on the layers of LeNet-5 and the wider CNN at batch 64 the products beat the
 * direct loops on every op, 4-5x on LeNet's first layer (6 output channels, 25 kernel rows) and
 * 23-27x on the CNN's second; for the kernel's adjoint one product per instance summed in fixed
 * groups ({@link Path#GEMM_GROUPS}) beat one {@code aTb} over all the batch's positions
 * ({@link Path#GEMM}) by 1.7-5x, as the latter must first copy the patches and the output
 * adjoints into transposed layouts. So the forward pass and the input's adjoint take
 * {@code GEMM} and the kernel's adjoint {@code GEMM_GROUPS}; {@code DIRECT} and the one-product
 * kernel adjoint remain for tests and measurements.
 */
public record ConvPlan(int c, int h, int w, int o, int kh, int kw,
    int sh, int sw, int ph, int pw, int dh, int dw, int oh, int ow) {

  /** Which of the three convolution ops. */
  public enum Kind {
    /** y from (x, K). */
    FORWARD,
    /** x's adjoint from (dy, K). */
    INPUT_GRAD,
    /** K's adjoint summed over the batch, from (x, dy). */
    KERNEL_GRAD
  }

  /** How an op's batch is computed. */
  public enum Path {
    /** The direct loops of {@link ConvF64}, instance by instance. */
    DIRECT,
    /**
     * Through the matrix kernels: instance by instance for the forward pass and the input's
     * adjoint; for the kernel's adjoint, one {@code aTb} over all the batch's positions.
     */
    GEMM,
    /**
     * The kernel's adjoint only: one {@code abT} per instance ({@code dY_b · cols_bᵀ}), summed
     * within each of {@link #GROUPS} fixed groups of instances (the groups split across the
     * pool), then the groups' sums added in order, so the result does not depend on the thread
     * count.
     */
    GEMM_GROUPS
  }

  /** The groups of instances of {@link Path#GEMM_GROUPS}: fixed, so results do not depend on the thread count. */
  public static final int GROUPS = 8;

  public ConvPlan {
    if (c < 1 || h < 1 || w < 1 || o < 1 || kh < 1 || kw < 1 || sh < 1 || sw < 1 || ph < 0 || pw < 0
        || dh < 1 || dw < 1 || oh < 1 || ow < 1) {
      throw new IllegalArgumentException("ConvPlan: bad sizes " + this);
    }
  }

  /** im2col's rows: input channels times kernel elements. */
  public int rows() {
    return c * kh * kw;
  }

  /** im2col's columns: output positions. */
  public int positions() {
    return oh * ow;
  }

  public int inputSize() {
    return c * h * w;
  }

  public int kernelSize() {
    return o * rows();
  }

  public int outputSize() {
    return o * positions();
  }

  /** The path op {@code kind} takes (see the class comment for the measurements behind it): the fastest measured. */
  public Path path(Kind kind) {
    if (kind != Kind.KERNEL_GRAD) {
      return Path.GEMM;
    }
    // Fewer than 8 rows both ways: any product of it sums vector lanes in a JIT-tier-dependent order.
    return Math.max(o, rows()) >= ConvBatchF64.PACKED_ROWS ? Path.GEMM_GROUPS : Path.DIRECT;
  }
}
