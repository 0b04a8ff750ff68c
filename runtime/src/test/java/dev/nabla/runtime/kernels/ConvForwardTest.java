package dev.nabla.runtime.kernels;

import static dev.nabla.runtime.kernels.ConvBatchTest.filled;
import static dev.nabla.runtime.kernels.ConvBatchTest.plan;
import static dev.nabla.runtime.kernels.ConvBatchTest.random;
import static dev.nabla.runtime.kernels.ConvBatchTest.toFloat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ConvForwardF64} and its float twin bit for bit against the separate passes it replaces:
 * the product of {@link ConvBatchF64} ({@code GEMM}), then {@code z + bias} and
 * {@code Scalars.relu} element by element, then {@link Pools#max}; with and without bias, relu and
 * pooling, "same" convolutions (im2col's one shifted copy per row of cols) and the others (a copy
 * per output row), a shared and a per-instance kernel, offsets into larger arrays, two calls on
 * the same scratch, and one thread against the pool.
 */
class ConvForwardTest {
  /** {c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw}. */
  static Stream<Arguments> layers() {
    int[][] g = {
        {1, 8, 8, 6, 5, 5, 1, 1, 2, 2, 1, 1},      // LeNet's first layer, small: "same"
        {6, 7, 7, 16, 3, 3, 1, 1, 0, 0, 1, 1},     // no padding
        {3, 10, 9, 4, 3, 2, 2, 3, 1, 0, 1, 1},     // strides, uneven padding
        {2, 9, 9, 3, 3, 3, 1, 1, 2, 2, 2, 2},      // dilated "same"
        {2, 6, 7, 5, 3, 1, 1, 1, 0, 0, 1, 1},      // ow = w without padding: the shifted copy, fewer rows
        {4, 6, 6, 17, 2, 2, 2, 2, 1, 1, 1, 1},     // even kernel, stride 2, padding
        {5, 1, 13, 7, 1, 4, 1, 2, 0, 3, 1, 2},     // 1-D: h = kh = 1
        {32, 6, 6, 20, 3, 3, 1, 1, 1, 1, 1, 1},    // r >= 16 and o >= 16, "same"
    };
    Stream.Builder<Arguments> b = Stream.builder();
    for (int[] s : g) {
      for (int form = 0; form < 8; form++) {
        b.add(Arguments.of(s, (form & 1) != 0, (form & 2) != 0, (form & 4) != 0));
      }
    }
    return b.build();
  }

  /** 2x2 windows at stride 2 where they fit, else 3x3 at stride 2 padded by 1 (or 1x3 for 1-D). */
  private static PoolWindows windows(ConvPlan g) {
    if (g.oh() >= 2 && g.ow() >= 2) {
      return new PoolWindows(2, 2, 2, 2, 0, 0, g.oh() / 2, g.ow() / 2);
    }
    return new PoolWindows(1, 3, 1, 2, 0, 1, g.oh(), (g.ow() + 2 - 3) / 2 + 1);
  }

  @ParameterizedTest(name = "{0} bias={1} relu={2} pool={3}")
  @MethodSource("layers")
  void givesTheSeparatePassesBits(int[] s, boolean withBias, boolean relu, boolean pooled) {
    ConvPlan g = plan(s);
    PoolWindows w = pooled ? windows(g) : null;
    for (boolean sharedKernel : new boolean[] {true, false}) {
      int batch = sharedKernel ? 5 : 3;
      SplittableRandom r = new SplittableRandom(s[0] * 131L + s[3] * 17L + (sharedKernel ? 1 : 0));
      ConvForwardF64 layer = new ConvForwardF64(g, batch, relu, w);
      ConvForwardF32 layerF = new ConvForwardF32(g, batch, relu, w);
      for (int call = 0; call < 2; call++) { // the second call on scratch the first one left
        double[] x = random(r, 3 + batch * g.inputSize());
        double[] k = random(r, 2 + (sharedKernel ? 1 : batch) * g.kernelSize());
        double[] bias = withBias ? random(r, 1 + g.o()) : null;
        int kStep = sharedKernel ? 0 : g.kernelSize();
        double[][] want = separate(g, batch, relu, w, x, k, kStep, bias);
        double[][] got = fused(layer, g, batch, relu, w, x, k, kStep, bias);
        for (int v = 0; v < 3; v++) {
          if (want[v] != null) {
            assertThat(got[v]).as("double value %d, call %d, shared kernel %s", v, call, sharedKernel).containsExactly(want[v]);
          }
        }
        float[][] wantF = separate(g, batch, relu, w, toFloat(x), toFloat(k), kStep, toFloat(bias));
        float[][] gotF = fused(layerF, g, batch, relu, w, toFloat(x), toFloat(k), kStep, toFloat(bias));
        for (int v = 0; v < 3; v++) {
          if (wantF[v] != null) {
            assertThat(gotF[v]).as("float value %d, call %d, shared kernel %s", v, call, sharedKernel).containsExactly(wantF[v]);
          }
        }
      }
    }
  }

  /** z (pre-activation), a (relu of z or null) and p (pooled or null), each with a guard element either side. */
  private static double[][] fused(ConvForwardF64 layer, ConvPlan g, int batch, boolean relu, PoolWindows w,
      double[] x, double[] k, int kStep, double[] bias) {
    int ps = w == null ? 0 : w.size(g.o());
    double[] z = filled(2 + batch * g.outputSize());
    double[] a = relu ? filled(2 + batch * g.outputSize()) : null;
    double[] p = w != null ? filled(2 + batch * ps) : null;
    layer.forward(x, 3, g.inputSize(), k, 2, kStep, bias, 1, z, 1, g.outputSize(), a, 1, g.outputSize(), p, 1, ps);
    return new double[][] {z, a, p};
  }

  private static float[][] fused(ConvForwardF32 layer, ConvPlan g, int batch, boolean relu, PoolWindows w,
      float[] x, float[] k, int kStep, float[] bias) {
    int ps = w == null ? 0 : w.size(g.o());
    float[] z = toFloat(filled(2 + batch * g.outputSize()));
    float[] a = relu ? toFloat(filled(2 + batch * g.outputSize())) : null;
    float[] p = w != null ? toFloat(filled(2 + batch * ps)) : null;
    layer.forward(x, 3, g.inputSize(), k, 2, kStep, bias, 1, z, 1, g.outputSize(), a, 1, g.outputSize(), p, 1, ps);
    return new float[][] {z, a, p};
  }

  /** The passes generated code made before: the product, a bias loop, a relu loop, the pooling. */
  private static double[][] separate(ConvPlan g, int batch, boolean relu, PoolWindows w,
      double[] x, double[] k, int kStep, double[] bias) {
    int ys = g.outputSize();
    int ps = w == null ? 0 : w.size(g.o());
    double[] y = new double[batch * ys];
    new ConvBatchF64(g, ConvPlan.Kind.FORWARD, batch, ConvPlan.Path.GEMM).forward(x, 3, g.inputSize(), k, 2, kStep, y, 0, ys);
    double[] z = filled(2 + batch * ys);
    for (int i = 0; i < y.length; i++) {
      z[1 + i] = bias == null ? y[i] : y[i] + bias[1 + i % ys / g.positions()];
    }
    double[] a = null;
    if (relu) {
      a = filled(2 + batch * ys);
      for (int i = 1; i <= y.length; i++) {
        a[i] = Scalars.relu(z[i]);
      }
    }
    double[] p = null;
    if (w != null) {
      p = filled(2 + batch * ps);
      for (int b = 0; b < batch; b++) {
        Pools.max(relu ? a : z, 1 + b * ys, p, 1 + b * ps, g.o(), g.oh(), g.ow(), w.kh(), w.kw(), w.sh(), w.sw(),
            w.ph(), w.pw(), w.oh(), w.ow());
      }
    }
    return new double[][] {z, a, p};
  }

  private static float[][] separate(ConvPlan g, int batch, boolean relu, PoolWindows w,
      float[] x, float[] k, int kStep, float[] bias) {
    int ys = g.outputSize();
    int ps = w == null ? 0 : w.size(g.o());
    float[] y = new float[batch * ys];
    new ConvBatchF32(g, ConvPlan.Kind.FORWARD, batch, ConvPlan.Path.GEMM).forward(x, 3, g.inputSize(), k, 2, kStep, y, 0, ys);
    float[] z = toFloat(filled(2 + batch * ys));
    for (int i = 0; i < y.length; i++) {
      z[1 + i] = bias == null ? y[i] : y[i] + bias[1 + i % ys / g.positions()];
    }
    float[] a = null;
    if (relu) {
      a = toFloat(filled(2 + batch * ys));
      for (int i = 1; i <= y.length; i++) {
        a[i] = Scalars.relu(z[i]);
      }
    }
    float[] p = null;
    if (w != null) {
      p = toFloat(filled(2 + batch * ps));
      for (int b = 0; b < batch; b++) {
        Pools.max(relu ? a : z, 1 + b * ys, p, 1 + b * ps, g.o(), g.oh(), g.ow(), w.kh(), w.kw(), w.sh(), w.sw(),
            w.ph(), w.pw(), w.oh(), w.ow());
      }
    }
    return new float[][] {z, a, p};
  }

  @org.junit.jupiter.api.Test
  void theThreadCountChangesNoBit() {
    ConvPlan g = plan(new int[] {3, 12, 12, 8, 3, 3, 1, 1, 1, 1, 1, 1});
    PoolWindows w = windows(g);
    int batch = 37;
    SplittableRandom r = new SplittableRandom(5);
    float[] x = toFloat(random(r, 3 + batch * g.inputSize()));
    float[] k = toFloat(random(r, 2 + g.kernelSize()));
    float[] bias = toFloat(random(r, 1 + g.o()));
    float[][] pooled = fused(new ConvForwardF32(g, batch, true, w), g, batch, true, w, x, k, 0, bias);
    Parallel.enabled = false;
    float[][] single;
    try {
      single = fused(new ConvForwardF32(g, batch, true, w), g, batch, true, w, x, k, 0, bias);
    } finally {
      Parallel.enabled = true;
    }
    for (int v = 0; v < 3; v++) {
      assertThat(pooled[v]).as("value %d", v).containsExactly(single[v]);
    }
  }

  @org.junit.jupiter.api.Test
  void rejectsBlocksOutsideTheirArraysAndOutputsTheLayerLacks() {
    ConvPlan g = plan(new int[] {2, 5, 5, 3, 3, 3, 1, 1, 0, 0, 1, 1});
    ConvForwardF64 layer = new ConvForwardF64(g, 4, true, null);
    double[] x = new double[4 * g.inputSize()];
    double[] k = new double[g.kernelSize()];
    double[] z = new double[4 * g.outputSize()];
    int ys = g.outputSize();
    assertThatThrownBy(() -> layer.forward(x, 1, g.inputSize(), k, 0, 0, null, 0, z, 0, ys, z.clone(), 0, ys, null, 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input");
    assertThatThrownBy(() -> layer.forward(x, 0, g.inputSize(), k, 0, 0, new double[2], 0, z, 0, ys, z.clone(), 0, ys, null, 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bias");
    assertThatThrownBy(() -> layer.forward(x, 0, g.inputSize(), k, 0, 0, null, 0, z, 0, ys, null, 0, 0, null, 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("with relu");
  }
}
