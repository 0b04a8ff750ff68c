package dev.nabla.runtime.kernels;

/**
 * One convolution of a model (see {@link Convolutions} for the layout and the arguments) and how
 * its batch is computed: by the direct loops of {@link ConvF64}, or lowered to the packed matrix
 * kernels of {@link Gemm} through im2col/col2im ({@link ConvBatchF64}). Generated code makes one
 * per convolution when it builds a pass, so the choice and the scratch sizes are fixed before
 * the first step.
 *
 * <p>With {@code r = c kh kw} rows of im2col's matrix (one per input channel and kernel
 * element) and {@code P = oh ow} columns (one per output position), the three ops are products:
 * the output {@code Y[o, P] = K[o, r] · cols[r, P]}; the input's adjoint is col2im of
 * {@code Kᵀ[r, o] · dY[o, P]}; the kernel's adjoint summed over the batch is
 * {@code dK[o, r] = sum_b dY_b[o, P] · cols_b[r, P]ᵀ}, one {@code aTb} over all the batch's
 * output positions ({@code k = B P}).
 *
 * <p><b>Which is faster</b> (measured with {@code ConvBenchmark}, see BENCHMARKS.md): the
 * products win once the work per output element ({@code r} multiply-adds for the forward pass,
 * {@code o} for the input's adjoint) fills the kernels' register tiles, and lose where a product
 * would have a tiny dimension (6 output channels, a 1-channel input's 9 or 25 kernel rows), for
 * which the direct loops' long contiguous rows do better. {@link #gemm(Kind)} is that rule.
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

  /**
   * Whether op {@code kind} goes through the matrix kernels (else the direct loops): the
   * product's smallest dimension must be at least {@link #MIN_GEMM_DIM}. For the forward pass
   * that is {@code min(o, r)}, for the input's adjoint {@code min(r, o)} (its depth is o), for the
   * kernel's adjoint {@code min(o, r)} (its depth is the batch's positions).
   */
  public boolean gemm(Kind kind) {
    return Math.min(o, rows()) >= MIN_GEMM_DIM;
  }

  /** See {@link #gemm(Kind)}: below this, a product's register tiles are mostly empty. */
  static final int MIN_GEMM_DIM = 16;
}
