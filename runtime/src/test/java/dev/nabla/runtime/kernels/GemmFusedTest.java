package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused products give exactly the bits of the plain product followed by the generated code's
 * separate loops (bias add, relu or the {@link Activations} row kernel, the derivative factor, the
 * bias gradient's batch sum), in every layout and precision, whatever kernel the shape takes:
 * the small-product kernels (fewer than 8 rows), the packed one with edge tiles and several k
 * panels, k = 0, and products large enough to be split across threads.
 */
class GemmFusedTest {
  private static final Gemm.Act[] ACTS = Gemm.Act.values();
  enum Layout { AB, ABT, ATB }

  static Stream<Arguments> shapes() {
    Stream.Builder<Arguments> s = Stream.builder();
    int[][] sizes = {{5, 7, 3}, {3, 40, 17}, {21, 37, 300}, {70, 130, 300}, {8, 40, 0}, {17, 16, 9}};
    for (Layout l : Layout.values()) {
      for (int[] mnk : sizes) {
        s.add(Arguments.of(l, mnk[0], mnk[1], mnk[2]));
      }
    }
    return s.build();
  }

  @ParameterizedTest(name = "{0} m={1} n={2} k={3}")
  @MethodSource("shapes")
  void biasAndActivationAsSeparateLoopsFloat(Layout l, int m, int n, int k) {
    SplittableRandom r = new SplittableRandom(m * 31L + n * 7L + k);
    float[] a = floats(r, m * k + 3);
    float[] b = floats(r, k * n + 2);
    float[] bias = floats(r, n + 1);
    for (Gemm.Act act : Gemm.Act.values()) {
      for (boolean withBias : new boolean[] {false, true}) {
        // expected: the plain product, then z = p + bias[j], then y = act(z)
        float[] z = new float[m * n + 4];
        plain(l, m, n, k, a, 3, b, 2, z, 4 - 4);
        if (withBias) {
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              z[i * n + j] = z[i * n + j] + bias[1 + j];
            }
          }
        }
        float[] y = new float[m * n + 4];
        activate(act, m, n, z, y);
        // fused, Y apart from C
        float[] c = floats(r, m * n + 4);
        float[] fy = new float[m * n + 5];
        fused(l, m, n, k, a, 3, b, 2, c, 0, withBias ? bias : null, 1, act, fy, 1);
        assertThat(Arrays.copyOf(c, m * n)).as("%s C", act).containsExactly(Arrays.copyOf(z, m * n));
        if (act != Gemm.Act.IDENTITY) {
          assertThat(fy[0]).isZero();
          assertThat(fy[m * n + 1]).isZero();
          sameActivation(act, Arrays.copyOfRange(fy, 1, m * n + 1), Arrays.copyOf(y, m * n));
        }
        // fused in place: C keeps only the activation
        float[] inPlace = floats(r, m * n + 4);
        fused(l, m, n, k, a, 3, b, 2, inPlace, 0, withBias ? bias : null, 1, act, inPlace, 0);
        sameActivation(act, Arrays.copyOf(inPlace, m * n), Arrays.copyOf(act == Gemm.Act.IDENTITY ? z : y, m * n));
      }
    }
  }

  @ParameterizedTest(name = "{0} m={1} n={2} k={3}")
  @MethodSource("shapes")
  void biasAndActivationAsSeparateLoopsDouble(Layout l, int m, int n, int k) {
    SplittableRandom r = new SplittableRandom(m * 37L + n * 11L + k);
    double[] a = doubles(r, m * k);
    double[] b = doubles(r, k * n);
    double[] bias = doubles(r, n);
    for (Gemm.Act act : Gemm.Act.values()) {
      double[] z = new double[m * n];
      plain(l, m, n, k, a, b, z);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          z[i * n + j] = z[i * n + j] + bias[j];
        }
      }
      double[] y = new double[m * n];
      activate(act, m, n, z, y);
      double[] c = new double[m * n];
      double[] fy = new double[m * n];
      switch (l) {
        case AB -> Gemm.ab(m, n, k, a, 0, b, 0, c, 0, bias, 0, act, fy, 0);
        case ABT -> Gemm.abT(m, n, k, a, 0, b, 0, c, 0, bias, 0, act, fy, 0);
        case ATB -> Gemm.aTb(m, n, k, a, 0, b, 0, c, 0, bias, 0, act, fy, 0);
      }
      assertThat(c).as("%s C", act).containsExactly(z);
      if (act == Gemm.Act.IDENTITY) {
        assertThat(fy).containsOnly(0.0);
      } else {
        sameActivation(act, fy, y);
      }
    }
  }

  /**
   * Bit for bit, tanh and sigmoid included: the activation kernels give the same bits in every
   * JIT tier (RELIABILITY.md section 8), so the kernel run through the fused product and the one
   * run separately agree exactly (they agreed only within 2 ulps while the kernels were
   * {@code lanewise(TANH/EXP)}, whose bits changed when C2 compiled them).
   */
  private static void sameActivation(Gemm.Act act, float[] got, float[] want) {
    assertThat(got).as("%s", act).containsExactly(want);
  }

  private static void sameActivation(Gemm.Act act, double[] got, double[] want) {
    assertThat(got).as("%s", act).containsExactly(want);
  }

  @ParameterizedTest(name = "{0} m={1} n={2} k={3}")
  @MethodSource("shapes")
  void derivativeAsSeparateLoop(Layout l, int m, int n, int k) {
    SplittableRandom r = new SplittableRandom(m * 41L + n * 13L + k);
    float[] a = floats(r, m * k);
    float[] b = floats(r, k * n);
    double[] ad = doubles(r, m * k);
    double[] bd = doubles(r, k * n);
    float[] saved = floats(r, m * n + 2);
    double[] savedD = doubles(r, m * n);
    saved[2] = 0; // relu'(0) = 1
    saved[3] = -0f;
    saved[4] = Float.NaN;
    savedD[0] = 0;
    savedD[1] = -0.0;
    savedD[2] = Double.NaN;
    for (Gemm.Act act : Gemm.Act.values()) {
      float[] want = new float[m * n];
      plain(l, m, n, k, a, 0, b, 0, want, 0);
      double[] wantD = new double[m * n];
      plain(l, m, n, k, ad, bd, wantD);
      for (int q = 0; q < m * n; q++) {
        float s = saved[2 + q];
        double sd = savedD[q];
        switch (act) {
          case IDENTITY -> {
          }
          case RELU -> {
            want[q] = want[q] * Scalars.step(s);
            wantD[q] = wantD[q] * Scalars.step(sd);
          }
          case TANH -> {
            want[q] = want[q] * (1.0f - Scalars.square(s));
            wantD[q] = wantD[q] * (1.0 - Scalars.square(sd));
          }
          case SIGMOID -> {
            want[q] = want[q] * (s * (1.0f - s));
            wantD[q] = wantD[q] * (sd * (1.0 - sd));
          }
        }
      }
      float[] c = floats(r, m * n);
      double[] cd = doubles(r, m * n);
      switch (l) {
        case AB -> {
          Gemm.ab(m, n, k, a, 0, b, 0, c, 0, act, saved, 2);
          Gemm.ab(m, n, k, ad, 0, bd, 0, cd, 0, act, savedD, 0);
        }
        case ABT -> {
          Gemm.abT(m, n, k, a, 0, b, 0, c, 0, act, saved, 2);
          Gemm.abT(m, n, k, ad, 0, bd, 0, cd, 0, act, savedD, 0);
        }
        case ATB -> {
          Gemm.aTb(m, n, k, a, 0, b, 0, c, 0, act, saved, 2);
          Gemm.aTb(m, n, k, ad, 0, bd, 0, cd, 0, act, savedD, 0);
        }
      }
      assertThat(c).as("%s float", act).containsExactly(want);
      assertThat(cd).as("%s double", act).containsExactly(wantD);
    }
  }

  /** Shapes of aTb's operands: A is [k, m], the sums are over k (the batch) for each of m columns. */
  @ParameterizedTest(name = "m={0} n={1} k={2}")
  @MethodSource("sumShapes")
  void columnSumsOfAAsSeparateLoop(int m, int n, int k) {
    SplittableRandom r = new SplittableRandom(m * 43L + n * 17L + k);
    float[] a = floats(r, k * m + 1);
    float[] b = floats(r, k * n);
    double[] ad = doubles(r, k * m);
    double[] bd = doubles(r, k * n);
    float[] want = new float[m * n];
    Gemm.aTb(m, n, k, a, 1, b, 0, want, 0, false);
    double[] wantD = new double[m * n];
    Gemm.aTb(m, n, k, ad, 0, bd, 0, wantD, 0, false);
    // the generated bias gradient: grad[j] = 0; for b: grad[j] += dZ[b, j]
    float[] sums = new float[m + 2];
    double[] sumsD = new double[m];
    for (int p = 0; p < k; p++) {
      for (int i = 0; i < m; i++) {
        sums[2 + i] += a[1 + p * m + i];
        sumsD[i] += ad[p * m + i];
      }
    }
    float[] c = floats(r, m * n);
    float[] fs = floats(r, m + 2);
    fs[0] = sums[0];
    fs[1] = sums[1];
    Gemm.aTb(m, n, k, a, 1, b, 0, c, 0, fs, 2);
    double[] cd = doubles(r, m * n);
    double[] fsd = doubles(r, m);
    Gemm.aTb(m, n, k, ad, 0, bd, 0, cd, 0, fsd, 0);
    assertThat(c).containsExactly(want);
    assertThat(fs).containsExactly(sums);
    assertThat(cd).containsExactly(wantD);
    assertThat(fsd).containsExactly(sumsD);
    // scaled (a batch mean): the same bits as the generated loops x[j] *= invB afterwards
    float inv = 1f / Math.max(k, 3);
    double invD = 1.0 / Math.max(k, 3);
    for (int i = 0; i < m * n; i++) {
      want[i] *= inv;
      wantD[i] *= invD;
    }
    for (int i = 0; i < m; i++) {
      sums[2 + i] *= inv;
      sumsD[i] *= invD;
    }
    Gemm.aTb(m, n, k, a, 1, b, 0, c, 0, fs, 2, inv);
    Gemm.aTb(m, n, k, ad, 0, bd, 0, cd, 0, fsd, 0, invD);
    assertThat(c).as("scaled").containsExactly(want);
    assertThat(fs).as("scaled sums").containsExactly(sums);
    assertThat(cd).as("scaled, double").containsExactly(wantD);
    assertThat(fsd).as("scaled sums, double").containsExactly(sumsD);
    // and the weights' SGD step from the finished gradient: the bits of SgdUpdate's
    // w[j] -= rate * g[j] after the product (W at an offset in its array)
    float rate = 0.37f;
    double rateD = 0.37;
    float[] w = floats(r, m * n + 3);
    double[] wd = doubles(r, m * n);
    float[] wantW = w.clone();
    double[] wantWD = wd.clone();
    for (int i = 0; i < m * n; i++) {
      wantW[3 + i] -= rate * want[i];
      wantWD[i] -= rateD * wantD[i];
    }
    Gemm.aTb(m, n, k, a, 1, b, 0, c, 0, fs, 2, inv, w, 3, rate);
    Gemm.aTb(m, n, k, ad, 0, bd, 0, cd, 0, fsd, 0, invD, wd, 0, rateD);
    assertThat(c).as("scaled, with the SGD step").containsExactly(want);
    assertThat(fs).as("scaled sums, with the SGD step").containsExactly(sums);
    assertThat(w).as("the SGD step").containsExactly(wantW);
    assertThat(cd).as("scaled, with the SGD step, double").containsExactly(wantD);
    assertThat(wd).as("the SGD step, double").containsExactly(wantWD);
  }

  static Stream<Arguments> sumShapes() {
    return Stream.of(Arguments.of(5, 7, 3), Arguments.of(3, 40, 600), Arguments.of(21, 37, 300),
        Arguments.of(130, 70, 600), Arguments.of(421, 20, 300), Arguments.of(10, 32, 0), Arguments.of(32, 64, 32),
        Arguments.of(10, 32, 32));
  }

  @Test
  void badFusedArgumentsAreNamed() {
    float[] a = new float[64];
    float[] b = new float[64];
    float[] c = new float[64];
    assertThatThrownBy(() -> Gemm.abT(8, 8, 8, a, 0, b, 0, c, 0, null, 0, Gemm.Act.RELU, null, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Gemm.abT: activation RELU but no Y");
    assertThatThrownBy(() -> Gemm.abT(8, 8, 8, a, 0, b, 0, c, 0, new float[7], 0, Gemm.Act.IDENTITY, null, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Gemm.abT: bias range [0, 8)");
    float[] big = new float[200];
    assertThatThrownBy(() -> Gemm.ab(8, 8, 8, a, 0, b, 0, big, 0, null, 0, Gemm.Act.TANH, big, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Gemm.ab: Y (64 elements at offset 8) overlaps C (64 elements at offset 0)");
    assertThatThrownBy(() -> Gemm.ab(8, 8, 8, a, 0, b, 0, c, 0, null, 0, Gemm.Act.TANH, a, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Gemm.ab: Y (64 elements at offset 0) overlaps A (64 elements at offset 0)");
    assertThatThrownBy(() -> Gemm.ab(8, 8, 8, a, 0, b, 0, big, 0, Gemm.Act.RELU, big, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Gemm.ab: S (64 elements at offset 1) overlaps C (64 elements at offset 0)");
    assertThatThrownBy(() -> Gemm.aTb(8, 8, 8, a, 0, b, 0, c, 0, c, 60))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Gemm.aTb: sums range [60, 68)");
    assertThatThrownBy(() -> Gemm.aTb(8, 8, 8, a, 0, b, 0, c, 0, a, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Gemm.aTb: sums (8 elements at offset 0) overlaps A (64 elements at offset 0)");
    float[] sums = new float[8];
    assertThatThrownBy(() -> Gemm.aTb(8, 8, 8, a, 0, b, 0, c, 0, sums, 0, 1f, new float[63], 0, 0.1f))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Gemm.aTb: W range [0, 64)");
    assertThatThrownBy(() -> Gemm.aTb(8, 8, 8, a, 0, b, 0, c, 0, sums, 0, 1f, c, 0, 0.1f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Gemm.aTb: W (64 elements at offset 0) overlaps C (64 elements at offset 0)");
  }

  @Test
  void steadyFusedCallsAllocateNothing() {
    int m = 32;
    int n = 64;
    int k = 1024; // threaded: 2^21 multiply-adds, and n a multiple of the vector length
    SplittableRandom r = new SplittableRandom(3);
    float[] a = floats(r, m * k);
    float[] b = floats(r, k * n);
    float[] bias = floats(r, n);
    float[] c = new float[m * n];
    float[] y = new float[m * n];
    float[] sums = new float[m];
    float[] w = new float[m * n];
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long used = -1;
    // until C2 has compiled the kernels their vectors are objects: warm up, then measure
    for (int round = 0; round < 30 && used != 0; round++) {
      for (int i = 0; i < 100; i++) {
        fusedCalls(m, n, k, a, b, bias, c, y, sums, w);
      }
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 10; i++) {
        fusedCalls(m, n, k, a, b, bias, c, y, sums, w);
      }
      used = threads.getCurrentThreadAllocatedBytes() - before;
    }
    assertThat(used).isZero();
  }

  private static void fusedCalls(int m, int n, int k, float[] a, float[] b, float[] bias, float[] c, float[] y,
      float[] sums, float[] w) {
    for (Gemm.Act act : ACTS) {
      Gemm.abT(m, n, k, a, 0, b, 0, c, 0, bias, 0, act, y, 0);
      Gemm.ab(m, n, k, a, 0, b, 0, c, 0, act, y, 0);
    }
    Gemm.aTb(m, n, k, a, 0, b, 0, c, 0, sums, 0);
    Gemm.aTb(m, n, k, a, 0, b, 0, c, 0, sums, 0, 0.5f, w, 0, 1e-30f);
  }

  private static void plain(Layout l, int m, int n, int k, float[] a, int ao, float[] b, int bo, float[] c, int co) {
    switch (l) {
      case AB -> Gemm.ab(m, n, k, a, ao, b, bo, c, co, false);
      case ABT -> Gemm.abT(m, n, k, a, ao, b, bo, c, co, false);
      case ATB -> Gemm.aTb(m, n, k, a, ao, b, bo, c, co, false);
    }
  }

  private static void plain(Layout l, int m, int n, int k, double[] a, double[] b, double[] c) {
    switch (l) {
      case AB -> Gemm.ab(m, n, k, a, 0, b, 0, c, 0, false);
      case ABT -> Gemm.abT(m, n, k, a, 0, b, 0, c, 0, false);
      case ATB -> Gemm.aTb(m, n, k, a, 0, b, 0, c, 0, false);
    }
  }

  private static void fused(Layout l, int m, int n, int k, float[] a, int ao, float[] b, int bo, float[] c, int co,
      float[] bias, int biasOff, Gemm.Act act, float[] y, int yo) {
    switch (l) {
      case AB -> Gemm.ab(m, n, k, a, ao, b, bo, c, co, bias, biasOff, act, y, yo);
      case ABT -> Gemm.abT(m, n, k, a, ao, b, bo, c, co, bias, biasOff, act, y, yo);
      case ATB -> Gemm.aTb(m, n, k, a, ao, b, bo, c, co, bias, biasOff, act, y, yo);
    }
  }

  /** The generated code's activation loops: relu element by element, tanh and sigmoid per row. */
  private static void activate(Gemm.Act act, int m, int n, float[] z, float[] y) {
    switch (act) {
      case IDENTITY -> {
      }
      case RELU -> {
        for (int q = 0; q < m * n; q++) {
          y[q] = Scalars.relu(z[q]);
        }
      }
      case TANH -> Activations.apply(Activations.Fn.TANH, m, n, z, 0, y, 0);
      case SIGMOID -> Activations.apply(Activations.Fn.SIGMOID, m, n, z, 0, y, 0);
    }
  }

  private static void activate(Gemm.Act act, int m, int n, double[] z, double[] y) {
    switch (act) {
      case IDENTITY -> {
      }
      case RELU -> {
        for (int q = 0; q < m * n; q++) {
          y[q] = Scalars.relu(z[q]);
        }
      }
      case TANH -> Activations.apply(Activations.Fn.TANH, m, n, z, 0, y, 0);
      case SIGMOID -> Activations.apply(Activations.Fn.SIGMOID, m, n, z, 0, y, 0);
    }
  }

  /** Uniform in [-2, 2); also SkinnyGemmTest's. */
  static float[] floats(SplittableRandom r, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) r.nextDouble(-2, 2);
    }
    return x;
  }

  static double[] doubles(SplittableRandom r, int size) {
    double[] x = new double[size];
    for (int i = 0; i < size; i++) {
      x[i] = r.nextDouble(-2, 2);
    }
    return x;
  }
}
