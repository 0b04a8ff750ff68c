package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ConvBatchF64} and its float twin, both paths (matrix kernels and direct loops), against
 * the direct per-instance loops of {@link Convolutions}: odd and even sizes, stride, padding,
 * dilation, 1-D, a shared and a per-instance kernel, offsets into larger arrays.
 */
class ConvBatchTest {
  /** {c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw}. */
  static final int[][] SHAPES = {
      {1, 8, 8, 6, 5, 5, 1, 1, 2, 2, 1, 1},      // LeNet's first layer, small
      {6, 7, 7, 16, 3, 3, 1, 1, 0, 0, 1, 1},     // odd
      {3, 10, 9, 4, 3, 2, 2, 3, 1, 0, 1, 1},     // strides, uneven padding
      {2, 9, 11, 5, 3, 3, 1, 2, 2, 1, 2, 3},     // dilation
      {4, 6, 6, 17, 2, 2, 2, 2, 1, 1, 1, 1},     // even kernel, stride 2, padding
      {5, 1, 13, 7, 1, 4, 1, 2, 0, 3, 1, 2},     // 1-D: h = kh = 1
      {32, 5, 5, 20, 3, 3, 1, 1, 1, 1, 1, 1},    // r >= 16 and o >= 16
  };

  static Stream<Arguments> geometries() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (int[] s : SHAPES) {
      for (ConvPlan.Path path : ConvPlan.Path.values()) {
        for (boolean sharedKernel : new boolean[] {true, false}) {
          b.add(Arguments.of(s, path, sharedKernel));
        }
      }
    }
    return b.build();
  }

  /** The geometry of a case row (also {@code ConvForwardTest}'s). */
  static ConvPlan plan(int[] s) {
    int oh = (s[1] + 2 * s[8] - s[10] * (s[4] - 1) - 1) / s[6] + 1;
    int ow = (s[2] + 2 * s[9] - s[11] * (s[5] - 1) - 1) / s[7] + 1;
    return new ConvPlan(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11], oh, ow);
  }

  /**
   * Forward pass and input adjoint on {@code path} ({@code GEMM_GROUPS}: on {@code GEMM}), the
   * kernel's adjoint on {@code path}; a batch of 5 (an odd batch; groups of one instance) or 19
   * (groups of 3, the last one short).
   */
  @ParameterizedTest(name = "{0} {1} sharedKernel={2}")
  @MethodSource("geometries")
  void agreesWithTheDirectLoops(int[] s, ConvPlan.Path path, boolean sharedKernel) {
    ConvPlan g = plan(s);
    int batch = sharedKernel ? 5 : 19;
    boolean gemm = path != ConvPlan.Path.DIRECT;
    ConvPlan.Path layer = gemm ? ConvPlan.Path.GEMM : path;
    SplittableRandom r = new SplittableRandom(s[0] * 131L + s[3] * 17L + path.ordinal());
    int xs = g.inputSize();
    int ks = g.kernelSize();
    int ys = g.outputSize();
    int kStep = sharedKernel ? 0 : ks;
    double[] x = random(r, 3 + batch * xs);
    double[] k = random(r, 2 + (sharedKernel ? 1 : batch) * ks);
    double[] dy = random(r, 1 + batch * ys);

    // the reference: per instance, the direct loops (and the kernel adjoints summed in instance order)
    double[] y = new double[batch * ys];
    double[] dx = new double[batch * xs];
    double[] dk = new double[ks];
    double[] one = new double[ks];
    for (int b = 0; b < batch; b++) {
      Convolutions.forward(x, 3 + b * xs, k, 2 + b * kStep, y, b * ys, g.c(), g.h(), g.w(), g.o(), g.kh(), g.kw(),
          g.sh(), g.sw(), g.ph(), g.pw(), g.dh(), g.dw(), g.oh(), g.ow());
      Convolutions.inputGrad(dy, 1 + b * ys, k, 2 + b * kStep, dx, b * xs, g.c(), g.h(), g.w(), g.o(), g.kh(), g.kw(),
          g.sh(), g.sw(), g.ph(), g.pw(), g.dh(), g.dw(), g.oh(), g.ow());
      Convolutions.kernelGrad(x, 3 + b * xs, dy, 1 + b * ys, one, 0, g.c(), g.h(), g.w(), g.o(), g.kh(), g.kw(),
          g.sh(), g.sw(), g.ph(), g.pw(), g.dh(), g.dw(), g.oh(), g.ow());
      for (int i = 0; i < ks; i++) {
        dk[i] += one[i];
      }
    }

    double[] y2 = filled(4 + batch * ys);
    double[] dx2 = filled(batch * xs + 1);
    double[] dk2 = filled(ks + 3);
    new ConvBatchF64(g, ConvPlan.Kind.FORWARD, batch, layer).forward(x, 3, xs, k, 2, kStep, y2, 4, ys);
    new ConvBatchF64(g, ConvPlan.Kind.INPUT_GRAD, batch, layer).inputGrad(dy, 1, ys, k, 2, kStep, dx2, 0, xs);
    new ConvBatchF64(g, ConvPlan.Kind.KERNEL_GRAD, batch, path).kernelGradSum(x, 3, xs, dy, 1, ys, dk2, 2);
    double tol = gemm ? 1e-12 : 0;
    for (int i = 0; i < y.length; i++) {
      assertThat(y2[4 + i]).as("y[%d]", i).isCloseTo(y[i], within(tol));
    }
    for (int i = 0; i < dx.length; i++) {
      assertThat(dx2[i]).as("dx[%d]", i).isCloseTo(dx[i], within(tol));
    }
    for (int i = 0; i < ks; i++) {
      assertThat(dk2[2 + i]).as("dk[%d]", i).isCloseTo(dk[i], within(tol * batch));
    }
    assertThat(y2[3]).isEqualTo(-7); // nothing written outside the blocks
    assertThat(dx2[batch * xs]).isEqualTo(-7);
    assertThat(dk2[1]).isEqualTo(-7);
    assertThat(dk2[ks + 2]).isEqualTo(-7);

    // float: the same to float's rounding
    float[] yf = new float[batch * ys];
    float[] dxf = new float[batch * xs];
    float[] dkf = new float[ks];
    new ConvBatchF32(g, ConvPlan.Kind.FORWARD, batch, layer).forward(toFloat(x), 3, xs, toFloat(k), 2, kStep, yf, 0, ys);
    new ConvBatchF32(g, ConvPlan.Kind.INPUT_GRAD, batch, layer).inputGrad(toFloat(dy), 1, ys, toFloat(k), 2, kStep, dxf, 0, xs);
    new ConvBatchF32(g, ConvPlan.Kind.KERNEL_GRAD, batch, path).kernelGradSum(toFloat(x), 3, xs, toFloat(dy), 1, ys, dkf, 0);
    for (int i = 0; i < y.length; i++) {
      assertThat((double) yf[i]).as("float y[%d]", i).isCloseTo(y[i], within(1e-4));
    }
    for (int i = 0; i < dx.length; i++) {
      assertThat((double) dxf[i]).as("float dx[%d]", i).isCloseTo(dx[i], within(1e-4));
    }
    for (int i = 0; i < ks; i++) {
      assertThat((double) dkf[i]).as("float dk[%d]", i).isCloseTo(dk[i], within(1e-4 * batch));
    }
  }

  /** The pool and one thread give the same bits on every path (the groups do not depend on the threads). */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.EnumSource(ConvPlan.Path.class)
  void theThreadCountChangesNoBit(ConvPlan.Path path) {
    ConvPlan g = plan(new int[] {3, 9, 9, 6, 3, 3, 1, 1, 1, 1, 1, 1});
    int batch = 203;
    ConvPlan.Path layer = path == ConvPlan.Path.GEMM_GROUPS ? ConvPlan.Path.GEMM : path;
    SplittableRandom r = new SplittableRandom(5);
    float[] x = toFloat(random(r, batch * g.inputSize()));
    float[] k = toFloat(random(r, g.kernelSize()));
    float[] dy = toFloat(random(r, batch * g.outputSize()));
    float[][] pooled = new float[3][];
    float[][] single = new float[3][];
    for (float[][] out : new float[][][] {pooled, single}) {
      Runnable step = () -> {
        out[0] = new float[batch * g.outputSize()];
        out[1] = new float[batch * g.inputSize()];
        out[2] = new float[g.kernelSize()];
        new ConvBatchF32(g, ConvPlan.Kind.FORWARD, batch, layer).forward(x, 0, g.inputSize(), k, 0, 0, out[0], 0, g.outputSize());
        new ConvBatchF32(g, ConvPlan.Kind.INPUT_GRAD, batch, layer).inputGrad(dy, 0, g.outputSize(), k, 0, 0, out[1], 0, g.inputSize());
        new ConvBatchF32(g, ConvPlan.Kind.KERNEL_GRAD, batch, path).kernelGradSum(x, 0, g.inputSize(), dy, 0, g.outputSize(), out[2], 0);
      };
      if (out == single) {
        Parallel.enabled = false;
        try {
          step.run();
        } finally {
          Parallel.enabled = true;
        }
      } else {
        step.run();
      }
    }
    for (int i = 0; i < 3; i++) {
      assertThat(pooled[i]).as("result %d", i).containsExactly(single[i]);
    }
  }

  /**
   * The scratch that generated code counts in its run's memory check ({@code scratchPerInstance},
   * {@code scratchFixed}) is what the op allocates, on every path the plans choose.
   */
  @org.junit.jupiter.api.Test
  void theCountedScratchIsTheAllocatedOne() {
    for (int[] s : SHAPES) {
      ConvPlan g = plan(s);
      for (ConvPlan.Kind kind : ConvPlan.Kind.values()) {
        for (int batch : new int[] {1, 7}) {
          long counted = ConvBatchF64.scratchPerInstance(g, kind) * batch + ConvBatchF64.scratchFixed(g, kind);
          assertThat((long) new ConvBatchF64(g, kind, batch).scratchLength()).as("%s at batch %d", kind, batch)
              .isEqualTo(counted);
          assertThat((long) new ConvBatchF32(g, kind, batch).scratchLength()).isEqualTo(counted);
        }
      }
    }
  }

  /** A scratch past a Java array is refused before anything is allocated, as a memory limit (not an OutOfMemoryError). */
  @org.junit.jupiter.api.Test
  void aScratchPastAJavaArrayIsRefused() {
    // 1 channel of 4096x4096 and a 7x7 kernel: 49 x 16M elements per im2col matrix, 8 of them
    ConvPlan g = new ConvPlan(1, 4096, 4096, 1, 7, 7, 1, 1, 3, 3, 1, 1, 4096, 4096);
    assertThatThrownBy(() -> new ConvBatchF32(g, ConvPlan.Kind.KERNEL_GRAD, 1))
        .isInstanceOf(dev.nabla.runtime.MemoryLimitException.class)
        .hasMessageContaining("a convolution's scratch (kernel_grad of a 1x4096x4096 input")
        .hasMessageContaining("more than a Java array holds");
  }

  @org.junit.jupiter.api.Test
  void rejectsBlocksOutsideTheirArraysAndTheWrongOp() {
    ConvPlan g = plan(new int[] {2, 5, 5, 3, 3, 3, 1, 1, 0, 0, 1, 1});
    ConvBatchF64 conv = new ConvBatchF64(g, ConvPlan.Kind.FORWARD, 4);
    double[] x = new double[4 * g.inputSize()];
    double[] k = new double[g.kernelSize()];
    assertThatThrownBy(() -> conv.forward(x, 1, g.inputSize(), k, 0, 0, new double[4 * g.outputSize()], 0, g.outputSize()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("first operand");
    assertThatThrownBy(() -> conv.inputGrad(x, 0, 0, k, 0, 0, x, 0, 0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("made for FORWARD");
    assertThatThrownBy(() -> new ConvBatchF64(g, ConvPlan.Kind.FORWARD, 4, ConvPlan.Path.GEMM_GROUPS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path of the kernel's adjoint");
  }

  static double[] random(SplittableRandom r, int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextDouble(-1, 1);
    }
    return a;
  }

  static double[] filled(int n) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, -7);
    return a;
  }

  /** The float copy of {@code a} (null for null: an absent bias or output). */
  static float[] toFloat(double[] a) {
    if (a == null) {
      return null;
    }
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }
}
