package dev.nabla.compiler.graph;

/**
 * Row-major strides of a shape: element {@code (i0, i1, ...)} of a value is at flat index
 * {@code sum_k ik * stride[k]}. The layout ops ({@link Permute}, {@link Subscript},
 * {@link PadAxes}, {@link ConcatAxis}, {@link Stack}) describe their element moves with them.
 */
public final class Strides {
  private Strides() {}

  public static int[] of(Shape shape) {
    int[] s = new int[shape.rank()];
    int step = 1;
    for (int k = shape.rank() - 1; k >= 0; k--) {
      s[k] = step;
      step *= shape.dim(k);
    }
    return s;
  }

  /** The flat index of element {@code at} (one index per axis) of a value of this shape. */
  public static int offset(java.util.List<Integer> at, Shape shape) {
    int[] s = of(shape);
    int flat = 0;
    for (int k = 0; k < s.length; k++) {
      flat += at.get(k) * s[k];
    }
    return flat;
  }

  /**
   * Copies the box {@code dims} from {@code src} (starting at {@code srcOffset}, axis k stepping
   * by {@code srcStrides[k]}) to {@code dst} (likewise): the reference evaluator's one loop for
   * every layout op.
   */
  static void copy(int[] dims, double[] src, int srcOffset, int[] srcStrides, double[] dst, int dstOffset, int[] dstStrides) {
    int count = 1;
    for (int d : dims) {
      count *= d;
    }
    int[] at = new int[dims.length];
    for (int n = 0; n < count; n++) {
      int s = srcOffset;
      int t = dstOffset;
      for (int k = 0; k < dims.length; k++) {
        s += at[k] * srcStrides[k];
        t += at[k] * dstStrides[k];
      }
      dst[t] = src[s];
      for (int k = dims.length - 1; k >= 0 && ++at[k] == dims[k]; k--) {
        at[k] = 0;
      }
    }
  }
}
