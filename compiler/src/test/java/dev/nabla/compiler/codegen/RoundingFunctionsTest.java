package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * floor, ceil and round in generated code, float and double, at the values where they differ
 * from each other and from Java's {@code Math.round}: round takes halves to the even neighbour
 * (NumPy's and PyTorch's round), and the reference evaluator agrees.
 */
class RoundingFunctionsTest {
  private static final double[] X = {-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.4, -2.6};

  @ParameterizedTest
  @EnumSource(Precision.class)
  void roundHalvesToEvenFloorAndCeilAsMath(Precision precision) {
    Compiled c = Compiled.of("""
        model R {
          input x[8];
          output r = round(x); output f = floor(x); output c = ceil(x);
          loss L = sum(r + f + c);
        }
        """);
    Model model = ModelLoader.load(c.derivation, precision);
    ModelRun run = model.newRun(1);
    NdArray x = run.input("x");
    for (int i = 0; i < X.length; i++) {
      x.setDouble(i, X[i]);
    }
    run.forward();
    assertThat(run.output("r").toDoubles()).containsExactly(-2, -2, -0.0, 0, 2, 2, 2, -3);
    assertThat(run.output("f").toDoubles()).containsExactly(-3, -2, -1, 0, 1, 2, 2, -3);
    assertThat(run.output("c").toDoubles()).containsExactly(-2, -1, -0.0, 1, 2, 3, 3, -2);
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void noGradientFlowsThroughThem(Precision precision) {
    Compiled c = Compiled.of("""
        model R {
          input x[8]; param w[8];
          output y = round(w * x) + floor(w) * x + ceil(x);
          loss L = sum(y);
        }
        """);
    Model model = ModelLoader.load(c.derivation, precision);
    ModelRun run = model.newRun(1);
    NdArray x = run.input("x");
    NdArray w = model.param("w");
    for (int i = 0; i < X.length; i++) {
      x.setDouble(i, X[i]);
      w.setDouble(i, 0.3 + i);
    }
    run.forward();
    run.backward();
    // d/dw of round(w x) and of floor(w) * x is 0: piecewise constant
    assertThat(Arrays.stream(run.gradient("w").toDoubles()).map(Math::abs).toArray()).containsOnly(0.0);
  }
}
