package dev.nabla.runtime.train;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.kernels.BatchLoops;

/**
 * The sum of squares of every gradient of a step (the square of the global norm), in a fixed
 * order that does not depend on the thread count: each param is cut into chunks of
 * {@value #CHUNK} values, each chunk is summed by one thread into eight running sums (value j of
 * the chunk into sum {@code j mod 8}, in order of j) added pairwise, and the chunks' sums are added
 * in order of param and chunk on the calling thread ({@code ParamUpdateF64.sumOfSquares} and its
 * float twin sum a chunk). The chunks are split across the kernels'
 * pool by {@link BatchLoops}; the result is the same bits on one thread or two.
 *
 * <p>The eight running sums break the chain of dependent additions of one running sum (a
 * floating-point add waits for the last: 1.86 M values took about 1.6 ms on one core), and the
 * chunks let two threads share the pass. Every square is exact ({@code (double) f * f} of a float).
 *
 * <p>The tables are made once per optimizer; a sum allocates nothing.
 */
final class GradientNorm implements BatchLoops.Body {
  /** Values per chunk: one chunk is one unit of work handed to a thread. */
  static final int CHUNK = 1 << 13;

  private final int[] chunkParam;
  private final int[] chunkStart;
  private final double[] chunkSums;
  private NdArray[] grads;

  /** The chunk tables for params of these sizes. */
  GradientNorm(int[] sizes) {
    int chunks = 0;
    for (int size : sizes) {
      chunks += (size + CHUNK - 1) / CHUNK;
    }
    chunkParam = new int[chunks];
    chunkStart = new int[chunks];
    chunkSums = new double[chunks];
    for (int i = 0, c = 0; i < sizes.length; i++) {
      for (int start = 0; start < sizes[i]; start += CHUNK, c++) {
        chunkParam[c] = i;
        chunkStart[c] = start;
      }
    }
  }

  /** The sum of squares of every value of {@code grads} (one per param, the sizes given). */
  double sumOfSquares(NdArray[] grads) {
    this.grads = grads;
    try {
      BatchLoops.run(this, 0, chunkSums.length, CHUNK);
    } finally {
      this.grads = null;
    }
    double sq = 0;
    for (double s : chunkSums) {
      sq += s;
    }
    return sq;
  }

  /** Sums chunks {@code [from, to)} into their slots. */
  @Override
  public void rows(int loop, int from, int to) {
    for (int c = from; c < to; c++) {
      NdArray g = grads[chunkParam[c]];
      int start = chunkStart[c];
      int end = Math.min(g.size(), start + CHUNK);
      chunkSums[c] = g.dtype() == DType.F32
          ? ParamUpdateF32.sumOfSquares(g.floats(), start, end)
          : ParamUpdateF64.sumOfSquares(g.doubles(), start, end);
    }
  }
}
