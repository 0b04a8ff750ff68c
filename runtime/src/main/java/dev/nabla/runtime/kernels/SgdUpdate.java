package dev.nabla.runtime.kernels;

/**
 * The plain SGD step of a param from its gradient, {@code w[j] -= rate * g[j]} in the param's
 * precision (a float param: a float product, then a float difference), split across the
 * kernels' pool by ranges of the elements when large ({@link BatchLoops}): every element gets
 * the same arithmetic wherever it runs. The step {@link Gemm}'s SGD form of {@code aTb} takes
 * from a weight gradient's blocks gives the same bits.
 *
 * <p>One instance per caller (it holds the arrays of the call in progress); a step allocates
 * nothing.
 */
public final class SgdUpdate implements BatchLoops.Body {
  private float[] fw;
  private float[] fg;
  private float frate;
  private double[] dw;
  private double[] dg;
  private double drate;

  /** {@code w[j] -= rate * g[j]} for every j of w; g at least as long. */
  public void apply(float[] w, float[] g, float rate) {
    fw = w;
    fg = g;
    frate = rate;
    run(0, w.length, g.length);
  }

  /** The double version of {@link #apply(float[], float[], float)}. */
  public void apply(double[] w, double[] g, double rate) {
    dw = w;
    dg = g;
    drate = rate;
    run(1, w.length, g.length);
  }

  /** Runs loop {@code loop} over the {@code size} elements, then drops the arrays. */
  private void run(int loop, int size, int gradients) {
    try {
      Checks.range("SgdUpdate", "g", gradients, 0, size);
      BatchLoops.run(this, loop, size, 1);
    } finally {
      fw = fg = null;
      dw = dg = null;
    }
  }

  /** Elements {@code [from, to)}: loop 0 the float arrays, 1 the double ones. */
  @Override
  public void rows(int loop, int from, int to) {
    if (loop == 0) {
      float[] w = fw;
      float[] g = fg;
      float rate = frate;
      for (int j = from; j < to; j++) {
        w[j] -= rate * g[j];
      }
    } else {
      double[] w = dw;
      double[] g = dg;
      double rate = drate;
      for (int j = from; j < to; j++) {
        w[j] -= rate * g[j];
      }
    }
  }
}
