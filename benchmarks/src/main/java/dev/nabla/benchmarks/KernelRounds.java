package dev.nabla.benchmarks;

import dev.nabla.runtime.kernels.ConvPlan;
import dev.nabla.runtime.kernels.Gemm;
import dev.nabla.runtime.kernels.Scalars;
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
 *     dev.nabla.benchmarks.KernelRounds layouts|fused|conv [ROUNDS]
 * </pre>
 *
 * {@code layouts}: the float products A·B, A·Bᵀ and Aᵀ·B at n = 256 and 1024. {@code fused}:
 * the second layer of the 784-1024-1024-10 MLP at batch 256, each product with its neighbouring
 * element-wise work in separate loops (the generated code before the fused products) against the
 * fused {@link Gemm} overloads (see {@link GemmEpilogueBenchmark}). {@code conv}: the LeNet-5 and
 * wider-CNN convolution ops at batch 64 through the matrix kernels and the direct loops
 * ({@link ConvLayers}).
 */
public final class KernelRounds {
  private static final long ROUND_NANOS = 300_000_000L;

  private final Map<String, Runnable> variants = new LinkedHashMap<>();
  private final Map<String, Double> flops = new LinkedHashMap<>();

  private KernelRounds() {}

  public static void main(String[] args) {
    String which = args.length > 0 ? args[0] : "layouts";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    KernelRounds k = new KernelRounds();
    switch (which) {
      case "layouts" -> k.layouts();
      case "fused" -> k.fused();
      case "conv" -> k.conv();
      default -> throw new IllegalArgumentException("layouts, fused or conv, not " + which);
    }
    k.run(rounds);
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

  private void run(int rounds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, List<Double>> times = new LinkedHashMap<>();
    for (String name : variants.keySet()) {
      times.put(name, new ArrayList<>());
    }
    for (int round = -3; round < rounds; round++) { // 3 rounds of warm-up
      for (Map.Entry<String, Runnable> v : variants.entrySet()) {
        long start = threads.getCurrentThreadCpuTime();
        long now;
        int calls = 0;
        do {
          v.getValue().run();
          calls++;
          now = threads.getCurrentThreadCpuTime();
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

  private static float[] floats(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextDouble(-1, 1);
    }
    return a;
  }
}
