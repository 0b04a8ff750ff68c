package dev.nabla.benchmarks;

import dev.nabla.runtime.kernels.Activations;
import dev.nabla.runtime.kernels.ConvPlan;
import dev.nabla.runtime.kernels.Gemm;
import dev.nabla.runtime.kernels.Scalars;
import dev.nabla.runtime.kernels.Softmax;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A/B comparisons of kernels for a busy machine: every variant runs in turn in each round (so a
 * change of load hits them all alike), timed by the calling thread's CPU time (which the other
 * processes' load barely moves, unlike wall time), and each variant's median and quartiles over
 * the rounds are printed. Run it with one kernel thread, so the CPU time is the whole work:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Dnabla.threads=1 -cp benchmarks/target/benchmarks.jar \
 *     dev.nabla.benchmarks.KernelRounds layouts|fused|step|conv|convbwd|activations|lstm|softmax [ROUNDS] [B]
 * </pre>
 *
 * {@code layouts}: the float products A·B, A·Bᵀ and Aᵀ·B at n = 256 and 1024. {@code step [B]}:
 * the products of a 784-1024-1024-10 MLP training step at batch B (default 256), each as the
 * generated code calls it, and all of them in a row; with two threads, add
 * {@code -Dkernelrounds.clock=wall}. {@code fused}:
 * the second layer of the 784-1024-1024-10 MLP at batch 256, each product with its neighbouring
 * element-wise work in separate loops (the generated code before the fused products) against the
 * fused {@link Gemm} overloads (see {@link GemmEpilogueBenchmark}), and the fused forward with tanh
 * and sigmoid. {@code conv}: the LeNet-5 and
 * wider-CNN convolution ops at batch 64 through the matrix kernels and the direct loops
 * ({@link ConvLayers}). {@code convbwd}: the backward ops of the same layers as the generated code
 * calls them (the kernel's and the input's adjoints on the chosen paths, the 2x2 max pooling's
 * adjoint of the layer's output), for {@link KernelAB} across a change of the runtime.
 * {@code activations}: {@link Activations}' exp, tanh and sigmoid in
 * float and double over an LSTM step's gate block [64, 512], a small MLP's hidden layer [32, 32]
 * and a large one's [256, 1024] (arguments uniform in [-4, 4]; "flops" are elements).
 * {@code softmax}: float softmax, log-softmax and both in one pass over rows of 10 (a classifier's
 * last layer) at 32 and 256 rows (arguments uniform in [-6, 6]; "flops" are elements).
 */
public final class KernelRounds {
  private static final long ROUND_NANOS = 300_000_000L;

  private final Map<String, Runnable> variants = new LinkedHashMap<>();
  private final Map<String, Double> flops = new LinkedHashMap<>();

  private KernelRounds() {}

  public static void main(String[] args) {
    String which = args.length > 0 ? args[0] : "layouts";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    KernelRounds k = of(which, args.length > 2 ? Integer.parseInt(args[2]) : 256);
    k.run(rounds);
  }

  /** The cases of {@code which} (for {@code step}, at batch {@code batch}). */
  static KernelRounds of(String which, int batch) {
    KernelRounds k = new KernelRounds();
    switch (which) {
      case "layouts" -> k.layouts();
      case "fused" -> k.fused();
      case "step" -> k.step(batch);
      case "conv" -> k.conv();
      case "convbwd" -> k.convBackward();
      case "activations" -> k.activations();
      case "lstm" -> k.lstm(batch);
      case "softmax" -> k.softmax();
      default -> throw new IllegalArgumentException(
          "layouts, fused, step, conv, convbwd, activations, lstm or softmax, not " + which);
    }
    return k;
  }

  /**
   * The cases of {@code which} by name, each paired with its floating-point operations: for
   * {@link KernelAB}, which loads this class once per build of the runtime.
   */
  public static Map<String, Map.Entry<Double, Runnable>> cases(String which, int batch) {
    KernelRounds k = of(which, batch);
    Map<String, Map.Entry<Double, Runnable>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Runnable> v : k.variants.entrySet()) {
      out.put(v.getKey(), Map.entry(k.flops.get(v.getKey()), v.getValue()));
    }
    return out;
  }

  private void add(String name, double flop, Runnable r) {
    variants.put(name, r);
    flops.put(name, flop);
  }

  private void layouts() {
    SplittableRandom r = new SplittableRandom(1);
    for (int n : new int[] {256, 1024}) {
      float[] a = floats(r, n * n);
      float[] b = floats(r, n * n);
      float[] c = new float[n * n];
      double f = 2.0 * n * n * n;
      add("ab " + n, f, () -> Gemm.ab(n, n, n, a, 0, b, 0, c, 0, false));
      add("abT " + n, f, () -> Gemm.abT(n, n, n, a, 0, b, 0, c, 0, false));
      add("aTb " + n, f, () -> Gemm.aTb(n, n, n, a, 0, b, 0, c, 0, false));
    }
  }

  private void fused() {
    int batch = 256;
    int in = 1024;
    int out = 1024;
    SplittableRandom r = new SplittableRandom(1);
    float[] x = floats(r, batch * in);
    float[] w = floats(r, out * in);
    float[] bias = floats(r, out);
    float[] z = floats(r, batch * out);
    float[] y = new float[batch * out];
    float[] p = new float[batch * out];
    float[] dz = floats(r, batch * out);
    float[] dw = new float[out * in];
    float[] db = new float[out];
    double f = 2.0 * batch * in * out;
    add("forward separate", f, () -> {
      Gemm.abT(batch, out, in, x, 0, w, 0, p, 0, false);
      for (int i = 0; i < batch; i++) {
        for (int j = 0; j < out; j++) {
          z[i * out + j] = p[i * out + j] + bias[j];
        }
      }
      for (int i = 0; i < batch * out; i++) {
        y[i] = Scalars.relu(z[i]);
      }
    });
    add("forward fused", f, () -> Gemm.abT(batch, out, in, x, 0, w, 0, z, 0, bias, 0, Gemm.Act.RELU, y, 0));
    add("forward fused in place", f, () -> Gemm.abT(batch, out, in, x, 0, w, 0, p, 0, bias, 0, Gemm.Act.RELU, p, 0));
    add("forward product only", f, () -> Gemm.abT(batch, out, in, x, 0, w, 0, p, 0, false));
    add("forward fused tanh in place", f,
        () -> Gemm.abT(batch, out, in, x, 0, w, 0, p, 0, bias, 0, Gemm.Act.TANH, p, 0));
    add("forward fused sigmoid in place", f,
        () -> Gemm.abT(batch, out, in, x, 0, w, 0, p, 0, bias, 0, Gemm.Act.SIGMOID, p, 0));
    add("mask separate", f, () -> {
      Gemm.ab(batch, in, out, dz, 0, w, 0, p, 0, false);
      for (int i = 0; i < batch * in; i++) {
        y[i] = p[i] * Scalars.step(z[i]);
      }
    });
    add("mask fused", f, () -> Gemm.ab(batch, in, out, dz, 0, w, 0, y, 0, Gemm.Act.RELU, z, 0));
    add("gradients separate", f, () -> {
      Gemm.aTb(out, in, batch, dz, 0, x, 0, dw, 0, false);
      for (int j = 0; j < out; j++) {
        db[j] = 0;
      }
      for (int i = 0; i < batch; i++) {
        for (int j = 0; j < out; j++) {
          db[j] += dz[i * out + j];
        }
      }
    });
    add("gradients fused", f, () -> Gemm.aTb(out, in, batch, dz, 0, x, 0, dw, 0, db, 0));
  }

  /**
   * The products of one training step of the 784-1024-1024-10 MLP at batch {@code batch}, each
   * exactly as the generated code calls it (the fused forms), and the whole sequence.
   */
  private void step(int batch) {
    int[] sizes = {784, 1024, 1024, 10};
    SplittableRandom r = new SplittableRandom(1);
    int layers = sizes.length - 1;
    float[][] w = new float[layers][];
    float[][] bias = new float[layers][];
    float[][] gw = new float[layers][];
    float[][] gb = new float[layers][];
    float[][] z = new float[layers][];
    float[][] h = new float[layers + 1][];
    float[][] dz = new float[layers][];
    h[0] = floats(r, batch * sizes[0]);
    for (int l = 0; l < layers; l++) {
      w[l] = floats(r, sizes[l + 1] * sizes[l]);
      bias[l] = floats(r, sizes[l + 1]);
      gw[l] = new float[sizes[l + 1] * sizes[l]];
      gb[l] = new float[sizes[l + 1]];
      z[l] = floats(r, batch * sizes[l + 1]);
      h[l + 1] = floats(r, batch * sizes[l + 1]);
      dz[l] = floats(r, batch * sizes[l + 1]);
    }
    List<Runnable> all = new ArrayList<>();
    double total = 0;
    for (int l = 0; l < layers; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      int ll = l;
      boolean hidden = l < layers - 1;
      double f = 2.0 * batch * in * out;
      Runnable fwd = hidden
          ? () -> Gemm.abT(batch, out, in, h[ll], 0, w[ll], 0, z[ll], 0, bias[ll], 0, Gemm.Act.RELU, h[ll + 1], 0)
          : () -> Gemm.abT(batch, out, in, h[ll], 0, w[ll], 0, z[ll], 0, bias[ll], 0, Gemm.Act.IDENTITY, null, 0);
      add(String.format("fwd abT %dx%dx%d", batch, out, in), f, fwd);
      if (BANDS && hidden) {
        int half = batch / 2;
        add(String.format("  rows abT %dx%dx%d", half, out, in), f / 2,
            () -> Gemm.abT(half, out, in, h[ll], 0, w[ll], 0, z[ll], 0, bias[ll], 0, Gemm.Act.RELU, h[ll + 1], 0));
        add(String.format("  cols abT %dx%dx%d", batch, out / 2, in), f / 2,
            () -> Gemm.abT(batch, out / 2, in, h[ll], 0, w[ll], 0, z[ll], 0, bias[ll], 0, Gemm.Act.RELU, h[ll + 1], 0));
      }
      all.add(fwd);
      total += f;
    }
    for (int l = layers - 1; l >= 0; l--) {
      int in = sizes[l];
      int out = sizes[l + 1];
      int ll = l;
      double f = 2.0 * batch * in * out;
      if (l > 0) {
        Runnable dx = () -> Gemm.ab(batch, in, out, dz[ll], 0, w[ll], 0, dz[ll - 1], 0, Gemm.Act.RELU, z[ll - 1], 0);
        add(String.format("dX ab %dx%dx%d", batch, in, out), f, dx);
        if (BANDS && out > 10) {
          int half = batch / 2;
          add(String.format("  rows ab %dx%dx%d", half, in, out), f / 2,
              () -> Gemm.ab(half, in, out, dz[ll], 0, w[ll], 0, dz[ll - 1], 0, Gemm.Act.RELU, z[ll - 1], 0));
          // the band of columns reads W's half columns at W's row stride; a [out, in/2] matrix
          // stands in for it (same values packed, a shorter row stride)
          add(String.format("  cols ab %dx%dx%d", batch, in / 2, out), f / 2,
              () -> Gemm.ab(batch, in / 2, out, dz[ll], 0, w[ll], 0, dz[ll - 1], 0, Gemm.Act.RELU, z[ll - 1], 0));
        }
        all.add(dx);
        total += f;
      }
      Runnable dw = () -> Gemm.aTb(out, in, batch, dz[ll], 0, h[ll], 0, gw[ll], 0, gb[ll], 0);
      add(String.format("dW aTb %dx%dx%d", out, in, batch), f, dw);
      if (BANDS && out > 10) {
        int half = out / 2;
        add(String.format("  rows aTb %dx%dx%d", half, in, batch), f / 2,
            () -> Gemm.aTb(half, in, batch, dz[ll], 0, h[ll], 0, gw[ll], 0, gb[ll], 0));
      }
      all.add(dw);
      total += f;
    }
    add("whole step (products)", total, () -> all.forEach(Runnable::run));
  }

  /** The LeNet-5 and wider-CNN convolution ops at batch 64, matrix kernels against direct loops. */
  private void conv() {
    for (String layer : ConvLayers.LAYERS) {
      ConvLayers gemm = new ConvLayers(layer, 64, ConvPlan.Path.GEMM);
      ConvLayers groups = new ConvLayers(layer, 64, ConvPlan.Path.GEMM_GROUPS);
      ConvLayers direct = new ConvLayers(layer, 64, ConvPlan.Path.DIRECT);
      double f = gemm.flop();
      add(layer + " forward gemm", f, gemm::forward);
      add(layer + " forward direct", f, direct::forward);
      add(layer + " inputGrad gemm", f, gemm::inputGrad);
      add(layer + " inputGrad direct", f, direct::inputGrad);
      add(layer + " kernelGrad gemm", f, gemm::kernelGrad);
      add(layer + " kernelGrad groups", f, groups::kernelGrad);
      add(layer + " kernelGrad direct", f, direct::kernelGrad);
    }
  }

  /** The backward ops of the LeNet-5 and wider-CNN layers at batch 64, each on its chosen path. */
  private void convBackward() {
    for (String layer : ConvLayers.LAYERS) {
      ConvPlan plan = ConvLayers.plan(layer);
      ConvLayers chosen = new ConvLayers(layer, 64, plan.path(ConvPlan.Kind.KERNEL_GRAD));
      double f = chosen.flop();
      add(layer + " kernelGrad", f, chosen::kernelGrad);
      if (plan.c() > 1) { // the models' first layers read the input image, which has no adjoint
        add(layer + " inputGrad", f, chosen::inputGrad);
      }
      add(layer + " maxpool adjoint", 0, chosen::maxpoolGrad);
    }
  }

  /**
   * The products of the LSTM step ({@code benchmarks/models/lstm-t28-i28-h128.nn}: T = 28, input
   * 28, hidden 128) over all {@code B * T} rows, outside its loops, as the generated code calls
   * them: the input projection {@code xs @ Wxᵀ} and, after the backward loop, {@code dWx} with
   * {@code db}'s column sums and {@code dWh}, then the three gradients scaled by {@code 1/B}.
   */
  private void lstm(int batch) {
    int steps = 28;
    int in = 28;
    int hidden = 128;
    int gates = 4 * hidden;
    int rows = batch * steps;
    SplittableRandom r = new SplittableRandom(1);
    float[] xs = floats(r, rows * in);
    float[] wx = floats(r, gates * in);
    float[] z = new float[rows * gates];
    float[] dz = floats(r, rows * gates);
    float[] hs = floats(r, rows * hidden);
    float[] dwx = new float[gates * in];
    float[] dwh = new float[gates * hidden];
    float[] db = new float[gates];
    float invB = 1.0f / batch;
    add(String.format("xs Wx^T abT %dx%dx%d", rows, gates, in), 2.0 * rows * gates * in,
        () -> Gemm.abT(rows, gates, in, xs, 0, wx, 0, z, 0, false));
    add(String.format("dWx aTb %dx%dx%d+sums", gates, in, rows), 2.0 * rows * gates * in,
        () -> Gemm.aTb(gates, in, rows, dz, 0, xs, 0, dwx, 0, db, 0));
    add(String.format("dWh aTb %dx%dx%d", gates, hidden, rows), 2.0 * rows * gates * hidden,
        () -> Gemm.aTb(gates, hidden, rows, dz, 0, hs, 0, dwh, 0, false));
    add("scale dWx dWh db", dwx.length + dwh.length + db.length, () -> {
      for (int j = 0; j < dwx.length; j++) {
        dwx[j] *= invB;
      }
      for (int j = 0; j < dwh.length; j++) {
        dwh[j] *= invB;
      }
      for (int j = 0; j < db.length; j++) {
        db[j] *= invB;
      }
    });
  }

  private void activations() {
    SplittableRandom r = new SplittableRandom(1);
    for (int[] shape : new int[][] {{64, 512}, {32, 32}, {256, 1024}}) {
      int rows = shape[0];
      int n = shape[1];
      float[] x = floats(r, rows * n);
      double[] xd = new double[rows * n];
      for (int i = 0; i < x.length; i++) {
        x[i] *= 4;
        xd[i] = x[i];
      }
      float[] y = new float[rows * n];
      double[] yd = new double[rows * n];
      for (Activations.Fn fn : Activations.Fn.values()) {
        String name = fn.name().toLowerCase(java.util.Locale.ROOT) + " " + rows + "x" + n;
        add(name + " float", rows * n, () -> Activations.apply(fn, rows, n, x, 0, y, 0));
        add(name + " double", rows * n, () -> Activations.apply(fn, rows, n, xd, 0, yd, 0));
      }
    }
  }

  /** The float softmax rows of a classifier (10 classes) at the small and medium MLPs' batches. */
  private void softmax() {
    SplittableRandom r = new SplittableRandom(1);
    for (int rows : new int[] {32, 256}) {
      int n = 10;
      float[] x = floats(r, rows * n);
      for (int i = 0; i < x.length; i++) {
        x[i] *= 6;
      }
      float[] y = new float[rows * n];
      float[] logY = new float[rows * n];
      add("softmax and log " + rows + "x" + n, rows * n, () -> Softmax.softmaxAndLog(rows, n, x, 0, y, 0, logY, 0));
      add("softmax " + rows + "x" + n, rows * n, () -> Softmax.softmax(rows, n, x, 0, y, 0));
      add("log-softmax " + rows + "x" + n, rows * n, () -> Softmax.logSoftmax(rows, n, x, 0, logY, 0));
    }
  }

  private void run(int rounds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, List<Double>> times = new LinkedHashMap<>();
    for (String name : variants.keySet()) {
      times.put(name, new ArrayList<>());
    }
    for (int round = -3; round < rounds; round++) { // 3 rounds of warm-up
      for (Map.Entry<String, Runnable> v : variants.entrySet()) {
        long start = clock(threads);
        long now;
        int calls = 0;
        do {
          v.getValue().run();
          calls++;
          now = clock(threads);
        } while (now - start < ROUND_NANOS);
        if (round >= 0) {
          times.get(v.getKey()).add((now - start) / (double) calls);
        }
      }
    }
    for (Map.Entry<String, List<Double>> t : times.entrySet()) {
      List<Double> l = t.getValue();
      Collections.sort(l);
      double median = l.get(l.size() / 2);
      System.out.printf("%-28s %10.1f us (quartiles %.1f, %.1f)  %6.1f GFLOP/s%n", t.getKey(), median / 1e3,
          l.get(l.size() / 4) / 1e3, l.get(3 * l.size() / 4) / 1e3, flops.get(t.getKey()) / median);
    }
  }

  /**
   * The calling thread's CPU time, or with {@code -Dkernelrounds.clock=wall} the wall clock
   * (for products split across the pool, whose worker's time the caller's CPU time misses).
   */
  private static long clock(ThreadMXBean threads) {
    return WALL ? System.nanoTime() : threads.getCurrentThreadCpuTime();
  }

  /** {@code -Dkernelrounds.bands=true}: also each large product's half band (what a thread of two computes). */
  private static final boolean BANDS = Boolean.getBoolean("kernelrounds.bands");

  private static final boolean WALL = "wall".equals(System.getProperty("kernelrounds.clock"));

  private static float[] floats(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextDouble(-1, 1);
    }
    return a;
  }
}
