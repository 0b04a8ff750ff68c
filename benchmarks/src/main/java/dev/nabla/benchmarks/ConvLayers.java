package dev.nabla.benchmarks;

import dev.nabla.runtime.kernels.ConvBatchF32;
import dev.nabla.runtime.kernels.ConvPlan;
import dev.nabla.runtime.kernels.Pools;
import java.util.SplittableRandom;

/**
 * The convolution layers of the LeNet-5 and wider-CNN benchmarks ({@code anchors_bench.py
 * lenet|cnn}) at a batch size, in float, each op on the matrix-kernel path or the direct loops:
 * what {@link ConvBenchmark} and {@code KernelRounds conv} time.
 */
final class ConvLayers {
  /** {@code name: c, h, w, o, k, padding} (stride and dilation 1). */
  static final String[] LAYERS = {"lenet1", "lenet2", "cnn1", "cnn2"};

  static ConvPlan plan(String layer) {
    int[] s = switch (layer) {
      case "lenet1" -> new int[] {1, 28, 28, 6, 5, 2};
      case "lenet2" -> new int[] {6, 14, 14, 16, 5, 0};
      case "cnn1" -> new int[] {1, 28, 28, 32, 3, 1};
      case "cnn2" -> new int[] {32, 14, 14, 64, 3, 1};
      default -> throw new IllegalArgumentException("no layer " + layer);
    };
    int out = s[1] + 2 * s[5] - s[4] + 1;
    return new ConvPlan(s[0], s[1], s[2], s[3], s[4], s[4], 1, 1, s[5], s[5], 1, 1, out, out);
  }

  final ConvPlan plan;
  final int batch;
  final float[] x;
  final float[] k;
  final float[] y;
  final float[] dy;
  final float[] dx;
  final float[] dk;
  /** The max pooling adjoint's result, as large as the layer's output. */
  final float[] poolDx;
  final ConvBatchF32 forward;
  final ConvBatchF32 inputGrad;
  final ConvBatchF32 kernelGrad;

  /** The ops on {@code path}; {@code GEMM_GROUPS} is the kernel adjoint's, the others then take {@code GEMM}. */
  ConvLayers(String layer, int batch, ConvPlan.Path path) {
    this.plan = plan(layer);
    this.batch = batch;
    SplittableRandom r = new SplittableRandom(1);
    x = floats(r, batch * plan.inputSize());
    k = floats(r, plan.kernelSize());
    y = new float[batch * plan.outputSize()];
    dy = floats(r, batch * plan.outputSize());
    dx = new float[batch * plan.inputSize()];
    dk = new float[plan.kernelSize()];
    poolDx = new float[batch * plan.outputSize()];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) r.nextDouble(-1, 1); // the pooled output until a forward op overwrites it
    }
    ConvPlan.Path layerPath = path == ConvPlan.Path.GEMM_GROUPS ? ConvPlan.Path.GEMM : path;
    forward = new ConvBatchF32(plan, ConvPlan.Kind.FORWARD, batch, layerPath);
    inputGrad = new ConvBatchF32(plan, ConvPlan.Kind.INPUT_GRAD, batch, layerPath);
    kernelGrad = new ConvBatchF32(plan, ConvPlan.Kind.KERNEL_GRAD, batch, path);
  }

  /** Floating-point operations of one op over the batch: 2 multiply-adds' worth per term. */
  double flop() {
    return 2.0 * batch * plan.o() * plan.rows() * plan.positions();
  }

  void forward() {
    forward.forward(x, 0, plan.inputSize(), k, 0, 0, y, 0, plan.outputSize());
  }

  void inputGrad() {
    inputGrad.inputGrad(dy, 0, plan.outputSize(), k, 0, 0, dx, 0, plan.inputSize());
  }

  void kernelGrad() {
    kernelGrad.kernelGradSum(x, 0, plan.inputSize(), dy, 0, plan.outputSize(), dk, 0);
  }

  /**
   * The adjoint of a 2x2 max pooling of the layer's output, per instance as generated code calls
   * it: dy (as the pooled output) sent to the largest element of each window of y.
   */
  void maxpoolGrad() {
    int c = plan.o();
    int h = plan.oh();
    int w = plan.ow();
    int size = plan.outputSize();
    int pooled = c * (h / 2) * (w / 2);
    for (int b = 0; b < batch; b++) {
      Pools.maxScatter(y, b * size, dy, b * pooled, poolDx, b * size, c, h, w, 2, 2, 2, 2, 0, 0, h / 2, w / 2);
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
