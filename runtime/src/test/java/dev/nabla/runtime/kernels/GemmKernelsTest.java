package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both kernel implementations, the scalar one and the SIMD one (the test JVM runs with
 * {@code --add-modules jdk.incubator.vector}), against a naive triple loop, in the three layouts,
 * with offsets, with and without accumulation, on sizes around the vector width and block edges.
 */
class GemmKernelsTest {
  /** ars, acs, brs, bcs of each layout for sizes m, n, k. */
  enum Layout {
    AB, ABT, ATB;

    int[] strides(int m, int n, int k) {
      return switch (this) {
        case AB -> new int[] {k, 1, n, 1};
        case ABT -> new int[] {k, 1, 1, k};
        case ATB -> new int[] {1, m, n, 1};
      };
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {4, 32, 16}, {5, 33, 17}, {17, 31, 300}, {8, 64, 64}, {33, 17, 257}, {2, 100, 3}, {20, 300, 40}, {16, 256, 300}, {9, 40, 20}, {203, 70, 300}, {400, 33, 5}, {17, 4100, 20}};
    for (GemmKernels impl : List.of(new GemmKernels.Scalar(), new VectorGemm())) {
      for (Layout layout : Layout.values()) {
        for (int[] s : sizes) {
          all.add(Arguments.of(impl.description(), impl, layout, s[0], s[1], s[2]));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {2} m={3} n={4} k={5}")
  @MethodSource("cases")
  void matchesNaiveProduct(String name, GemmKernels impl, Layout layout, int m, int n, int k) {
    SplittableRandom random = new SplittableRandom(m * 31L + n * 7L + k);
    int[] st = layout.strides(m, n, k);
    int aOff = 3;
    int bOff = 5;
    int cOff = 2;
    double[] a = random.doubles(aOff + m * k, -1, 1).toArray();
    double[] b = random.doubles(bOff + n * k, -1, 1).toArray();
    double[] c0 = random.doubles(cOff + m * n, -1, 1).toArray();
    float[] af = toFloats(a);
    float[] bf = toFloats(b);
    for (boolean accumulate : new boolean[] {false, true}) {
      double[] expected = c0.clone();
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = accumulate ? c0[cOff + i * n + j] : 0;
          for (int p = 0; p < k; p++) {
            s += a[aOff + i * st[0] + p * st[1]] * b[bOff + p * st[2] + j * st[3]];
          }
          expected[cOff + i * n + j] = s;
        }
      }
      double[] c = c0.clone();
      impl.gemm(m, n, k, a, aOff, st[0], st[1], b, bOff, st[2], st[3], c, cOff, n, accumulate);
      float[] cf = toFloats(c0);
      impl.gemm(m, n, k, af, aOff, st[0], st[1], bf, bOff, st[2], st[3], cf, cOff, n, accumulate);
      for (int i = 0; i < c.length; i++) {
        assertThat(c[i]).as("double at %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-10));
        assertThat((double) cf[i]).as("float at %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-3 * Math.sqrt(k)));
      }
    }
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
