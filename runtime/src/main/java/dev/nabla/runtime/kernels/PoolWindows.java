package dev.nabla.runtime.kernels;

/**
 * The windows of a max pooling that {@link ConvForwardF64} applies to a convolution's output
 * ({@code [o, oh, ow]} of its {@link ConvPlan}): window size, stride, padding and the pooled
 * size, as {@link Pools#max} takes them.
 */
public record PoolWindows(int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
  public PoolWindows {
    if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || ph < 0 || pw < 0 || oh < 1 || ow < 1) {
      throw new IllegalArgumentException("PoolWindows: bad sizes " + this);
    }
  }

  /** The pooled size of one instance with {@code channels} channels. */
  int size(int channels) {
    return channels * oh * ow;
  }
}
