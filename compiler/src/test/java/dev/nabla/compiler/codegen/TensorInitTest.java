package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.NdArray;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Params of rank 3 and more are initialised with PyTorch's fans ({@code [O, C, k1, k2]}: fan-in
 * C*k1*k2, fan-out O*k1*k2), through generated code; the default for rank >= 2 is xavier.
 */
class TensorInitTest {
  static final String MODEL =
      """
      model Conv {
        input x[1, 5, 5];
        param K[64, 3, 5, 5] = he;
        param G[64, 3, 5, 5] = xavier;
        param D[64, 3, 5, 5];
        param c[64];
        loss L = sum(K * x) + sum(G * x) + sum(D * x) + sum(c);
        output L;
      }
      """;

  @Test
  void heAndXavierTakeTheReceptiveFieldIntoTheFans() {
    Model model = ModelLoader.load(Compiled.of(MODEL, 1, 1, -1, 1).derivation, Precision.DOUBLE);
    model.initialize(7);
    // he: N(0, 2 / fan_in), fan_in = 3 * 25 = 75
    assertThat(std(model.param("K"))).isCloseTo(Math.sqrt(2.0 / 75), Offset.offset(0.01));
    // xavier: U(-a, a), a = sqrt(6 / (75 + 64 * 25)); its std is a / sqrt(3)
    double a = Math.sqrt(6.0 / (75 + 1600));
    assertThat(maxAbs(model.param("G"))).isLessThanOrEqualTo(a).isGreaterThan(0.95 * a);
    assertThat(maxAbs(model.param("D"))).as("the default for rank 4 is xavier").isLessThanOrEqualTo(a)
        .isGreaterThan(0.95 * a);
    assertThat(maxAbs(model.param("c"))).as("and zeros for a vector").isZero();
  }

  private static double std(NdArray p) {
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < p.size(); i++) {
      sum += p.getDouble(i);
      squares += p.getDouble(i) * p.getDouble(i);
    }
    double mean = sum / p.size();
    return Math.sqrt(squares / p.size() - mean * mean);
  }

  private static double maxAbs(NdArray p) {
    double m = 0;
    for (int i = 0; i < p.size(); i++) {
      m = Math.max(m, Math.abs(p.getDouble(i)));
    }
    return m;
  }
}
