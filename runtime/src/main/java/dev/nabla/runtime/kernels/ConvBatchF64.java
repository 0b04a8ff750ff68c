package dev.nabla.runtime.kernels;

import dev.nabla.runtime.HeapLimits;
import dev.nabla.runtime.MemoryLimitException;
import java.util.Arrays;

/**
 * One convolution op over a whole batch in double (see {@link ConvPlan} for the products and
 * which path each op takes), with its scratch allocated once here, so a step allocates nothing.
 * The instances are split across the {@link Parallel} pool; each thread has its own slice of the
 * scratch. An operand's {@code step} is the distance between two instances' blocks in its array
 * (0 for a value shared by the batch, such as a param kernel).
 *
 * <p>Results do not depend on the thread count: every instance is computed whole by one thread,
 * and the kernel's adjoint is one product whose elements {@link Gemm} computes each on one
 * thread in a fixed order (or, on the direct path, per-instance adjoints summed in instance
 * order).
 */
public final class ConvBatchF64 {
  private final ConvPlan g;
  private final ConvPlan.Kind kind;
  private final ConvPlan.Path path;
  private final boolean gemm;
  private final int batch;
  /**
   * Whether {@link ConvPlan.Path#GEMM_GROUPS} sums {@code dKᵀ[r, o] = cols_b · dY_bᵀ}: when there
   * are fewer output channels than the packed kernel's {@value #PACKED_ROWS} rows (and at least as
   * many kernel rows), as a product with fewer rows sums its dot products' vector lanes, whose
   * order is not the same in every JIT tier (so not on every run).
   */
  private final boolean transposedSums;
  /** The fewest rows of C for which {@link Gemm} uses its packed kernel (VectorGemm.MR). */
  static final int PACKED_ROWS = 8;
  /** Instances per group of {@link ConvPlan.Path#GEMM_GROUPS} (the last group may have fewer). */
  private final int perGroup;
  /**
   * Forward and input adjoint through the products: one {@code [r, P]} im2col matrix per
   * thread. Kernel adjoint: the batch's {@code [B P, r]} patches, then its {@code [B P, o]}
   * transposed output adjoints ({@code GEMM}); each group's {@code [o, r]} sum, then each group's
   * {@code [r, P]} im2col matrix ({@code GEMM_GROUPS}); the {@code [B, o r]} per-instance
   * adjoints ({@code DIRECT}).
   */
  private final double[] scratch;
  private final Job job = new Job();
  /** The name in error messages (made once: a step allocates nothing). */
  private final String op;

  /** The scratch for op {@code kind} of {@code plan} at batch size {@code batch}, on the plan's path. */
  public ConvBatchF64(ConvPlan plan, ConvPlan.Kind kind, int batch) {
    this(plan, kind, batch, plan.path(kind));
  }

  /** As above, on a given path, for tests and benchmarks. */
  public ConvBatchF64(ConvPlan plan, ConvPlan.Kind kind, int batch, ConvPlan.Path path) {
    if (batch < 1) {
      throw new IllegalArgumentException("ConvBatch: batch " + batch);
    }
    if (path == ConvPlan.Path.GEMM_GROUPS && kind != ConvPlan.Kind.KERNEL_GRAD) {
      throw new IllegalArgumentException("ConvBatch: " + path + " is a path of the kernel's adjoint, not of " + kind);
    }
    this.g = plan;
    this.kind = kind;
    this.op = "ConvBatch." + kind;
    this.batch = batch;
    this.path = path;
    this.gemm = path != ConvPlan.Path.DIRECT;
    this.perGroup = (batch + ConvPlan.GROUPS - 1) / ConvPlan.GROUPS;
    this.transposedSums = plan.o() < PACKED_ROWS && plan.rows() >= PACKED_ROWS;
    long size = scratchPerInstance(plan, kind, path) * batch + scratchFixed(plan, kind, path);
    // Generated code counts the scratch in its run's check (HeapLimits.checkRun); this is for other callers.
    String what = "a convolution's scratch (" + kind.name().toLowerCase(java.util.Locale.ROOT) + " of a " + plan.c() + "x"
        + plan.h() + "x" + plan.w() + " input, " + plan.o() + " output channels, kernel " + plan.kh() + "x" + plan.kw()
        + ", batch " + batch + ")";
    if (size > HeapLimits.MAX_ARRAY) {
      throw new MemoryLimitException(what + " needs an array of " + size + " elements, more than a Java array holds ("
          + HeapLimits.MAX_ARRAY + ")");
    }
    HeapLimits.reserve(what, size * Double.BYTES);
    this.scratch = new double[(int) size];
  }

  /**
   * The elements per instance of the scratch that op {@code kind} of {@code plan} allocates on the
   * plan's path: with {@link #scratchFixed}, {@code perInstance * batch + fixed} elements in one
   * array. Generated code counts them in the run's memory check ({@code HeapLimits.checkRun}).
   */
  public static long scratchPerInstance(ConvPlan plan, ConvPlan.Kind kind) {
    return scratchPerInstance(plan, kind, plan.path(kind));
  }

  /** The elements of that scratch that do not grow with the batch (they grow with the pool's threads). */
  public static long scratchFixed(ConvPlan plan, ConvPlan.Kind kind) {
    return scratchFixed(plan, kind, plan.path(kind));
  }

  private static long scratchPerInstance(ConvPlan plan, ConvPlan.Kind kind, ConvPlan.Path path) {
    if (kind != ConvPlan.Kind.KERNEL_GRAD) {
      return 0;
    }
    return switch (path) {
      case DIRECT -> plan.kernelSize();
      case GEMM -> (long) plan.positions() * (plan.rows() + plan.o());
      case GEMM_GROUPS -> 0;
    };
  }

  private static long scratchFixed(ConvPlan plan, ConvPlan.Kind kind, ConvPlan.Path path) {
    long cols = (long) plan.rows() * plan.positions();
    return switch (path) {
      case DIRECT -> 0;
      case GEMM -> kind == ConvPlan.Kind.KERNEL_GRAD ? 0 : Parallel.THREADS * cols;
      case GEMM_GROUPS -> ConvPlan.GROUPS * (plan.kernelSize() + cols);
    };
  }

  /** The scratch's length (for tests). */
  int scratchLength() {
    return scratch.length;
  }

  /** The path this op takes. */
  public ConvPlan.Path path() {
    return path;
  }

  /** {@code y_b = conv(x_b, k_b)} for every instance b (y overwritten). */
  public void forward(double[] x, int xOff, int xStep, double[] k, int kOff, int kStep,
      double[] y, int yOff, int yStep) {
    expect(ConvPlan.Kind.FORWARD);
    check(x, xOff, xStep, g.inputSize(), k, kOff, kStep, g.kernelSize(), y, yOff, yStep, g.outputSize());
    run(x, xOff, xStep, k, kOff, kStep, y, yOff, yStep);
  }

  /** {@code dx_b = conv_input_grad(dy_b, k_b)} for every instance b (dx overwritten). */
  public void inputGrad(double[] dy, int dyOff, int dyStep, double[] k, int kOff, int kStep,
      double[] dx, int dxOff, int dxStep) {
    expect(ConvPlan.Kind.INPUT_GRAD);
    check(dy, dyOff, dyStep, g.outputSize(), k, kOff, kStep, g.kernelSize(), dx, dxOff, dxStep, g.inputSize());
    run(dy, dyOff, dyStep, k, kOff, kStep, dx, dxOff, dxStep);
  }

  /** {@code dk = sum_b conv_kernel_grad(x_b, dy_b)} (dk, one kernel, overwritten). */
  public void kernelGradSum(double[] x, int xOff, int xStep, double[] dy, int dyOff, int dyStep,
      double[] dk, int dkOff) {
    expect(ConvPlan.Kind.KERNEL_GRAD);
    check(x, xOff, xStep, g.inputSize(), dy, dyOff, dyStep, g.outputSize(), dk, dkOff, 0, g.kernelSize());
    run(x, xOff, xStep, dy, dyOff, dyStep, null, 0, 0);
    int r = g.rows();
    int o = g.o();
    if (path == ConvPlan.Path.GEMM_GROUPS) {
      int size = o * r;
      int groups = (batch + perGroup - 1) / perGroup;
      for (int oc = 0; oc < o; oc++) {
        for (int j = 0; j < r; j++) {
          // the groups' sums added in group order; a transposed sum is [r, o]
          int at = transposedSums ? j * o + oc : oc * r + j;
          double sum = scratch[at];
          for (int group = 1; group < groups; group++) {
            sum += scratch[group * size + at];
          }
          dk[dkOff + oc * r + j] = sum;
        }
      }
    } else if (gemm) {
      // dK[o, r] = dYᵀ[B P, o]ᵀ · patches[B P, r]
      int n = batch * g.positions();
      Gemm.aTb(o, r, n, scratch, n * r, scratch, 0, dk, dkOff, false);
    } else {
      int size = o * r;
      System.arraycopy(scratch, 0, dk, dkOff, size);
      for (int b = 1; b < batch; b++) {
        int from = b * size;
        for (int i = 0; i < size; i++) {
          dk[dkOff + i] += scratch[from + i];
        }
      }
    }
  }

  private void expect(ConvPlan.Kind called) {
    if (called != kind) {
      throw new IllegalStateException("ConvBatch: made for " + kind + ", called for " + called);
    }
  }

  private void check(double[] a, int aOff, int aStep, int aSize, double[] b, int bOff, int bStep, int bSize,
      double[] c, int cOff, int cStep, int cSize) {
    Checks.range(op, "first operand", a.length, aOff, last(aStep, aSize));
    Checks.range(op, "second operand", b.length, bOff, last(bStep, bSize));
    Checks.range(op, "result", c.length, cOff, last(cStep, cSize));
    if (aStep < 0 || bStep < 0 || cStep < 0) {
      throw new IllegalArgumentException(op + ": negative step");
    }
  }

  /** The elements from the first instance's block to the end of the last one's. */
  private int last(int step, int size) {
    long end = (long) step * (batch - 1) + size;
    return end > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) end;
  }

  /**
   * Runs the per-instance part of the op across the pool (or, busy or off, on this thread): ranges
   * of instances, or for {@code GEMM_GROUPS} ranges of whole groups.
   */
  private void run(double[] a, int aOff, int aStep, double[] b, int bOff, int bStep, double[] c, int cOff, int cStep) {
    if (batch > 1 && job.claim()) {
      try {
        job.set(a, aOff, aStep, b, bOff, bStep, c, cOff, cStep);
        if (Parallel.run(job)) {
          return;
        }
      } finally {
        job.release();
      }
    }
    if (path == ConvPlan.Path.GEMM_GROUPS) {
      for (int group = 0; group * perGroup < batch; group++) {
        group(group, a, aOff, aStep, b, bOff, bStep);
      }
    } else {
      instances(0, 0, batch, a, aOff, aStep, b, bOff, bStep, c, cOff, cStep);
    }
  }

  /**
   * Group {@code group}'s sum of the kernel's adjoints {@code dY_b · cols_bᵀ} into its
   * {@code [o, r]} block of the scratch, the instances in order.
   */
  private void group(int group, double[] x, int xOff, int xStep, double[] dy, int dyOff, int dyStep) {
    int r = g.rows();
    int p = g.positions();
    int sum = group * g.kernelSize();
    int cols = ConvPlan.GROUPS * g.kernelSize() + group * r * p;
    for (int i = group * perGroup, end = Math.min(batch, i + perGroup), first = i; i < end; i++) {
      columns(x, xOff + i * xStep, scratch, cols, false);
      if (transposedSums) {
        Gemm.abT(r, g.o(), p, scratch, cols, dy, dyOff + i * dyStep, scratch, sum, i > first);
      } else {
        Gemm.abT(g.o(), r, p, dy, dyOff + i * dyStep, scratch, cols, scratch, sum, i > first);
      }
    }
  }

  /** Instances {@code [from, to)} of the op, with scratch slot {@code slot}. */
  private void instances(int slot, int from, int to, double[] a, int aOff, int aStep, double[] b, int bOff, int bStep,
      double[] c, int cOff, int cStep) {
    int r = g.rows();
    int p = g.positions();
    int cols = slot * r * p;
    for (int i = from; i < to; i++) {
      int ai = aOff + i * aStep;
      int bi = bOff + i * bStep;
      int ci = cOff + i * cStep;
      switch (kind) {
        case FORWARD -> {
          if (gemm) {
            columns(a, ai, scratch, cols, false);
            Gemm.ab(g.o(), p, r, b, bi, scratch, cols, c, ci, false);
          } else {
            ConvF64.forward(a, ai, b, bi, c, ci, g.c(), g.h(), g.w(), g.o(), g.kh(), g.kw(),
                g.sh(), g.sw(), g.ph(), g.pw(), g.dh(), g.dw(), g.oh(), g.ow());
          }
        }
        case INPUT_GRAD -> {
          if (gemm) {
            Gemm.aTb(r, p, g.o(), b, bi, a, ai, scratch, cols, false);
            columns(c, ci, scratch, cols, true);
          } else {
            ConvF64.inputGrad(a, ai, b, bi, c, ci, g.c(), g.h(), g.w(), g.o(), g.kh(), g.kw(),
                g.sh(), g.sw(), g.ph(), g.pw(), g.dh(), g.dw(), g.oh(), g.ow());
          }
        }
        case KERNEL_GRAD -> {
          if (gemm) {
            im2row(a, ai, scratch, i * p * r);
            transpose(b, bi, g.o(), p, scratch, batch * p * r + i * p * g.o());
          } else {
            ConvF64.kernelGrad(a, ai, b, bi, scratch, i * g.kernelSize(), g.c(), g.h(), g.w(), g.o(), g.kh(), g.kw(),
                g.sh(), g.sw(), g.ph(), g.pw(), g.dh(), g.dw(), g.oh(), g.ow());
          }
        }
      }
    }
  }

  /**
   * {@code cols[(ci kh + p) kw + q, i ow + j] = x[ci, i sh - ph + p dh, j sw - pw + q dw]}, 0 where
   * that is padding (im2col); or, {@code back}, x (overwritten) = every element of cols added
   * back at the element of x it stands for (col2im, the transpose).
   */
  private void columns(double[] x, int xOff, double[] cols, int colsOff, boolean back) {
    if (back) {
      Arrays.fill(x, xOff, xOff + g.inputSize(), 0d);
    }
    int oh = g.oh();
    int ow = g.ow();
    int row = colsOff;
    for (int ci = 0; ci < g.c(); ci++) {
      for (int p = 0; p < g.kh(); p++) {
        for (int q = 0; q < g.kw(); q++, row += oh * ow) {
          int jFrom = ConvF64.firstInside(g.pw() - q * g.dw(), g.sw());
          int jTo = ConvF64.endInside(g.w() - 1 + g.pw() - q * g.dw(), g.sw(), ow);
          for (int i = 0; i < oh; i++) {
            int out = row + i * ow;
            int ih = i * g.sh() - g.ph() + p * g.dh();
            if (ih < 0 || ih >= g.h() || jFrom >= jTo) {
              if (!back) {
                Arrays.fill(cols, out, out + ow, 0d);
              }
              continue;
            }
            int in = xOff + (ci * g.h() + ih) * g.w() - g.pw() + q * g.dw();
            if (back) {
              for (int j = jFrom; j < jTo; j++) {
                x[in + j * g.sw()] += cols[out + j];
              }
              continue;
            }
            Arrays.fill(cols, out, out + jFrom, 0d);
            if (g.sw() == 1) {
              System.arraycopy(x, in + jFrom, cols, out + jFrom, jTo - jFrom);
            } else {
              for (int j = jFrom; j < jTo; j++) {
                cols[out + j] = x[in + j * g.sw()];
              }
            }
            Arrays.fill(cols, out + jTo, out + ow, 0d);
          }
        }
      }
    }
  }

  /** im2col's matrix transposed: {@code rows[i ow + j, (ci kh + p) kw + q]}, one patch per row. */
  private void im2row(double[] x, int xOff, double[] rows, int rowsOff) {
    int oh = g.oh();
    int ow = g.ow();
    int r = g.rows();
    int col = 0;
    for (int ci = 0; ci < g.c(); ci++) {
      for (int p = 0; p < g.kh(); p++) {
        for (int q = 0; q < g.kw(); q++, col++) {
          int jFrom = ConvF64.firstInside(g.pw() - q * g.dw(), g.sw());
          int jTo = ConvF64.endInside(g.w() - 1 + g.pw() - q * g.dw(), g.sw(), ow);
          for (int i = 0; i < oh; i++) {
            int out = rowsOff + i * ow * r + col;
            int ih = i * g.sh() - g.ph() + p * g.dh();
            boolean inside = ih >= 0 && ih < g.h();
            int in = xOff + (ci * g.h() + ih) * g.w() - g.pw() + q * g.dw();
            for (int j = 0; j < ow; j++) {
              rows[out + j * r] = inside && j >= jFrom && j < jTo ? x[in + j * g.sw()] : 0d;
            }
          }
        }
      }
    }
  }

  /** {@code t[j, i] = a[i, j]} for an {@code [m, n]} block a. */
  private static void transpose(double[] a, int aOff, int m, int n, double[] t, int tOff) {
    for (int i = 0; i < m; i++) {
      int row = aOff + i * n;
      for (int j = 0; j < n; j++) {
        t[tOff + j * m + i] = a[row + j];
      }
    }
  }

  /** The reusable job: part p runs the p-th of the parts' equal ranges of instances with scratch slot p. */
  private final class Job extends Parallel.ReusableJob {
    double[] a;
    double[] b;
    double[] c;
    int aOff;
    int aStep;
    int bOff;
    int bStep;
    int cOff;
    int cStep;

    void set(double[] a, int aOff, int aStep, double[] b, int bOff, int bStep, double[] c, int cOff, int cStep) {
      this.a = a;
      this.aOff = aOff;
      this.aStep = aStep;
      this.b = b;
      this.bOff = bOff;
      this.bStep = bStep;
      this.c = c;
      this.cOff = cOff;
      this.cStep = cStep;
    }

    @Override
    void clear() {
      a = b = c = null;
    }

    @Override
    public void run(int part, int parts) {
      if (path == ConvPlan.Path.GEMM_GROUPS) {
        int groups = (batch + perGroup - 1) / perGroup;
        for (int group = groups * part / parts, end = groups * (part + 1) / parts; group < end; group++) {
          group(group, a, aOff, aStep, b, bOff, bStep);
        }
        return;
      }
      int from = (int) ((long) batch * part / parts);
      int to = (int) ((long) batch * (part + 1) / parts);
      if (from < to) {
        instances(part, from, to, a, aOff, aStep, b, bOff, bStep, c, cOff, cStep);
      }
    }
  }
}
