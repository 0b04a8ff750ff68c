package dev.nabla.runtime.kernels;

import dev.nabla.runtime.HeapLimits;
import dev.nabla.runtime.MemoryLimitException;

/**
 * A convolution layer's forward pass over a batch in double, with the layer's element-wise work
 * done on each instance while its output is still in cache: the product
 * {@code Y_b[o, P] = K[o, r] · cols_b[r, P]} through im2col ({@link ConvPlan}), then, as the
 * layer has them, the per-channel bias ({@code z = y + bias[channel]}, one bias per row of the
 * product), relu ({@code a = Scalars.relu(z)}) and max pooling ({@link Pools#max} of a, or of
 * z without relu). Generated code used to make a pass over the whole batch for each of these,
 * each a hand-off to the pool; here each instance is done whole by one thread, the instances
 * split across the {@link Parallel} pool, one hand-off per layer.
 *
 * <p>Each value gets the same arithmetic as the separate loops gave it (the product by
 * {@link Gemm#ab}, then {@code z + bias} and {@code Scalars.relu} element by element), so the
 * results are the same bits, and they do not depend on the thread count (every instance is
 * computed whole by one thread).
 *
 * <p>The scratch is one {@code [r, P]} im2col matrix per part of the split, allocated here, so
 * a step allocates nothing. Its padding entries are zero from the start and only this class
 * writes the matrix, always at the same entries, so im2col writes the input's elements only (it
 * does not clear the padding again on every call).
 */
public final class ConvForwardF64 {
  private final ConvPlan g;
  private final int batch;
  private final boolean relu;
  /** The pooling of the layer's output, or null. */
  private final PoolWindows pool;
  private final double[] scratch;
  private final Job job = new Job();

  /** The scratch for {@code batch} instances of a layer: {@code relu} and {@code pool} (or null) as it has them. */
  public ConvForwardF64(ConvPlan plan, int batch, boolean relu, PoolWindows pool) {
    if (batch < 1) {
      throw new IllegalArgumentException("ConvForward: batch " + batch);
    }
    long size = scratchFixed(plan);
    // Generated code counts the scratch in its run's check (HeapLimits.checkRun); this is for other callers.
    String what = "a convolution layer's scratch (forward of a " + plan.c() + "x" + plan.h() + "x" + plan.w()
        + " input, " + plan.o() + " output channels, kernel " + plan.kh() + "x" + plan.kw() + ")";
    if (size > HeapLimits.MAX_ARRAY) {
      throw new MemoryLimitException(what + " needs an array of " + size + " elements, more than a Java array holds ("
          + HeapLimits.MAX_ARRAY + ")");
    }
    HeapLimits.reserve(what, size * Double.BYTES);
    this.g = plan;
    this.batch = batch;
    this.relu = relu;
    this.pool = pool;
    this.scratch = new double[(int) size];
  }

  /**
   * The elements of the scratch a layer of {@code plan} allocates: one im2col matrix per thread of
   * the pool, none per instance. Generated code counts them in the run's memory check
   * ({@code HeapLimits.checkRun}).
   */
  public static long scratchFixed(ConvPlan plan) {
    return (long) Parallel.THREADS * plan.rows() * plan.positions();
  }

  /**
   * For every instance b: {@code z_b = conv(x_b, k_b)} plus {@code bias} (null: none) per output
   * channel; then, if the layer has relu, {@code a_b = relu(z_b)}; then, if it pools,
   * {@code p_b = maxpool(a_b)} (or of z_b). Arrays the layer does not have are null. An
   * operand's step is the distance between two instances' blocks (0 for a kernel shared by the
   * batch).
   */
  public void forward(double[] x, int xOff, int xStep, double[] k, int kOff, int kStep, double[] bias, int biasOff,
      double[] z, int zOff, int zStep, double[] a, int aOff, int aStep, double[] p, int pOff, int pStep) {
    String op = "ConvForward";
    Checks.range(op, "input", x.length, xOff, last(xStep, g.inputSize()));
    Checks.range(op, "kernel", k.length, kOff, last(kStep, g.kernelSize()));
    Checks.range(op, "output", z.length, zOff, last(zStep, g.outputSize()));
    if (bias != null) {
      Checks.range(op, "bias", bias.length, biasOff, g.o());
    }
    if ((a != null) != relu || (p != null) != (pool != null)) {
      throw new IllegalArgumentException(op + ": made " + (relu ? "with" : "without") + " relu and "
          + (pool != null ? "with" : "without") + " pooling, called with other outputs");
    }
    if (a != null) {
      Checks.range(op, "activation", a.length, aOff, last(aStep, g.outputSize()));
    }
    if (p != null) {
      Checks.range(op, "pooled", p.length, pOff, last(pStep, pool.size(g.o())));
    }
    if (xStep < 0 || kStep < 0 || zStep < 0 || aStep < 0 || pStep < 0) {
      throw new IllegalArgumentException(op + ": negative step");
    }
    if (batch > 1 && job.claim()) {
      try {
        job.x = x;
        job.k = k;
        job.bias = bias;
        job.z = z;
        job.a = a;
        job.p = p;
        job.xOff = xOff;
        job.xStep = xStep;
        job.kOff = kOff;
        job.kStep = kStep;
        job.biasOff = biasOff;
        job.zOff = zOff;
        job.zStep = zStep;
        job.aOff = aOff;
        job.aStep = aStep;
        job.pOff = pOff;
        job.pStep = pStep;
        if (Parallel.run(job)) {
          return;
        }
      } finally {
        job.release();
      }
    }
    instances(0, 0, batch, x, xOff, xStep, k, kOff, kStep, bias, biasOff, z, zOff, zStep, a, aOff, aStep,
        p, pOff, pStep);
  }

  /** The elements from the first instance's block to the end of the last one's. */
  private int last(int step, int size) {
    long end = (long) step * (batch - 1) + size;
    return end > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) end;
  }

  /** Instances {@code [from, to)} with scratch slot {@code slot}. */
  private void instances(int slot, int from, int to, double[] x, int xOff, int xStep, double[] k, int kOff, int kStep,
      double[] bias, int biasOff, double[] z, int zOff, int zStep, double[] a, int aOff, int aStep,
      double[] p, int pOff, int pStep) {
    int r = g.rows();
    int positions = g.positions();
    int cols = slot * r * positions;
    for (int i = from; i < to; i++) {
      int zi = zOff + i * zStep;
      columns(x, xOff + i * xStep, scratch, cols);
      Gemm.ab(g.o(), positions, r, k, kOff + i * kStep, scratch, cols, z, zi, false);
      int ai = aOff + i * aStep;
      if (bias != null || relu) {
        biasRelu(bias, biasOff, z, zi, a, ai);
      }
      if (pool != null) {
        PoolWindows w = pool;
        Pools.max(relu ? a : z, relu ? ai : zi, p, pOff + i * pStep, g.o(), g.oh(), g.ow(),
            w.kh(), w.kw(), w.sh(), w.sw(), w.ph(), w.pw(), w.oh(), w.ow());
      }
    }
  }

  /** {@code z += bias[channel]} row by row (bias may be null), then {@code a = relu(z)} if the layer has relu. */
  private void biasRelu(double[] bias, int biasOff, double[] z, int zi, double[] a, int ai) {
    int positions = g.positions();
    for (int ch = 0; ch < g.o(); ch++) {
      int row = zi + ch * positions;
      int at = ai + ch * positions;
      if (bias != null && relu) {
        double b = bias[biasOff + ch];
        for (int j = 0; j < positions; j++) {
          double v = z[row + j] + b;
          z[row + j] = v;
          a[at + j] = Scalars.relu(v);
        }
      } else if (bias != null) {
        double b = bias[biasOff + ch];
        for (int j = row, end = row + positions; j < end; j++) {
          z[j] = z[j] + b;
        }
      } else if (relu) {
        for (int j = 0; j < positions; j++) {
          a[at + j] = Scalars.relu(z[row + j]);
        }
      }
    }
  }

  /**
   * im2col, {@code cols[(ci kh + p) kw + q, i ow + j] = x[ci, i sh - ph + p dh, j sw - pw + q dw]},
   * writing only the entries inside the input (the padding's stay 0, see the class comment). With
   * unit strides and {@code ow = w} (a "same" convolution), a row of cols is the input channel's
   * plane shifted by one offset: one copy of the inside rows, then the few entries that wrapped
   * round a row's edge set back to 0; otherwise one copy per output row.
   */
  private void columns(double[] x, int xOff, double[] cols, int colsOff) {
    int oh = g.oh();
    int ow = g.ow();
    int h = g.h();
    int w = g.w();
    boolean flat = g.sh() == 1 && g.sw() == 1 && ow == w;
    int row = colsOff;
    for (int ci = 0; ci < g.c(); ci++) {
      for (int p = 0; p < g.kh(); p++) {
        int iFrom = ConvF64.firstInside(g.ph() - p * g.dh(), g.sh());
        int iTo = ConvF64.endInside(h - 1 + g.ph() - p * g.dh(), g.sh(), oh);
        for (int q = 0; q < g.kw(); q++, row += oh * ow) {
          int jFrom = ConvF64.firstInside(g.pw() - q * g.dw(), g.sw());
          int jTo = ConvF64.endInside(w - 1 + g.pw() - q * g.dw(), g.sw(), ow);
          if (iFrom >= iTo || jFrom >= jTo) {
            continue;
          }
          // x's element for output position (iFrom, 0), which may lie left of its row
          int in = xOff + (ci * h + iFrom * g.sh() - g.ph() + p * g.dh()) * w - g.pw() + q * g.dw();
          if (flat) {
            int first = row + iFrom * ow;
            System.arraycopy(x, in + jFrom, cols, first + jFrom, (iTo - iFrom - 1) * ow + jTo - jFrom);
            for (int i = iFrom; i < iTo; i++) {
              int out = row + i * ow;
              for (int j = i > iFrom ? 0 : jFrom; j < jFrom; j++) {
                cols[out + j] = 0d;
              }
              for (int j = jTo, end = i < iTo - 1 ? ow : jTo; j < end; j++) {
                cols[out + j] = 0d;
              }
            }
            continue;
          }
          for (int i = iFrom; i < iTo; i++, in += g.sh() * w) {
            int out = row + i * ow;
            if (g.sw() == 1) {
              System.arraycopy(x, in + jFrom, cols, out + jFrom, jTo - jFrom);
            } else {
              for (int j = jFrom; j < jTo; j++) {
                cols[out + j] = x[in + j * g.sw()];
              }
            }
          }
        }
      }
    }
  }

  /** The reusable job: part p runs the p-th of the parts' equal ranges of instances with scratch slot p. */
  private final class Job extends Parallel.ReusableJob {
    double[] x;
    double[] k;
    double[] bias;
    double[] z;
    double[] a;
    double[] p;
    int xOff;
    int xStep;
    int kOff;
    int kStep;
    int biasOff;
    int zOff;
    int zStep;
    int aOff;
    int aStep;
    int pOff;
    int pStep;

    @Override
    void clear() {
      x = k = bias = z = a = p = null;
    }

    @Override
    public void run(int part, int parts) {
      int from = (int) ((long) batch * part / parts);
      int to = (int) ((long) batch * (part + 1) / parts);
      if (from < to) {
        instances(part, from, to, x, xOff, xStep, k, kOff, kStep, bias, biasOff, z, zOff, zStep, a, aOff, aStep,
            p, pOff, pStep);
      }
    }
  }
}
