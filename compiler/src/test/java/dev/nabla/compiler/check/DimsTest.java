package dev.nabla.compiler.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.graph.Shape;
import dev.nabla.compiler.testing.Compiled;
import org.junit.jupiter.api.Test;

/**
 * {@code dim} constants where the language takes whole numbers (shapes, indices, bounds, window
 * sizes, axes, repeat counts, expand's shape), as numbers in expressions, and with the file's and
 * a model's dims combined: each checked by the shapes and values it gives.
 */
class DimsTest {
  private static final String MODEL =
      """
      dim T = 4;                      # file level, for every model
      dim H = T * 2 - 1 + 3.0;        # arithmetic of dims; 3.0 is whole: H = 10
      dim Half = H / 2;               # exact division
      dim Late = Early + 1;           # dims may be used before the line that declares them
      dim Early = 2;
      def scaled(z) = z * T;          # a def sees the file's dims
      model M {
        dim K = Half - 1;             # a model's dims see the file's: K = 4
        input x[T] grad; input X[Late, H]; target d[K];
        param W[K, T] = uniform(-1 / T, 1 / T); param b[Half] = const(Half);
        hyper lambda = 1 / H;         # a hyper may be computed from dims
        h = W @ x + x[T - 1];                             # an index
        p = maxpool(repeat(h, Late), Late) + slice(b, Half - K, Half);
        s = sum(X, axis=Late - 3) + x[0] * T;             # axis=, and T as a number
        e = expand(x[1], Late, H);
        output Y = scaled(p) + h ^ (T - 3);
        loss L = l2(Y, d) + lambda * sum(s) + sum(e * X) + T;
      }
      """;

  @Test
  void dimsGiveTheShapes() {
    Compiled c = Compiled.of(MODEL);
    assertThat(c.model.inputs()).extracting(CheckedModel.Declared::shape)
        .containsExactly(Shape.of(4), Shape.of(3, 10));
    assertThat(c.model.params()).extracting(CheckedModel.ParamInfo::shape)
        .containsExactly(Shape.of(4, 4), Shape.of(5));
    assertThat(c.model.values().get("s").shape()).isEqualTo(Shape.of(10));
    assertThat(c.model.values().get("e").shape()).isEqualTo(Shape.of(3, 10));
    assertThat(c.model.hypers().getFirst().defaultValue()).isEqualTo(0.1);
    assertThat(c.model.params()).extracting(CheckedModel.ParamInfo::init).containsExactly(
        new Initializer(Initializer.Kind.UNIFORM, -0.25, 0.25), new Initializer(Initializer.Kind.CONST, 5, 0));
  }

  @Test
  void dimsAreNumbersInExpressions() {
    Compiled c = Compiled.of(MODEL);
    double[] x = c.perInstance.get("x")[0];
    double[] s = c.evaluator().value(c.model.values().get("s"), 0);
    double[][] bigX = {c.perInstance.get("X")[0]};
    // s = sum(X, axis=0) + x[0] * T, X of 3 rows of 10
    for (int j = 0; j < 10; j++) {
      double column = bigX[0][j] + bigX[0][10 + j] + bigX[0][20 + j];
      assertThat(s[j]).isCloseTo(column + x[0] * 4, org.assertj.core.data.Offset.offset(1e-12));
    }
  }

  @Test
  void theSameModelWithLiteralsComputesTheSameLoss() {
    String literal =
        """
        def scaled(z) = z * 4;
        model M {
          input x[4] grad; input X[3, 10]; target d[4];
          param W[4, 4]; param b[5];
          hyper lambda = 0.1;
          h = W @ x + x[3];
          p = maxpool(repeat(h, 3), 3) + slice(b, 1, 5);
          s = sum(X, axis=0) + x[0] * 4;
          e = expand(x[1], 3, 10);
          output Y = scaled(p) + h ^ 1;
          loss L = l2(Y, d) + lambda * sum(s) + sum(e * X) + 4;
        }
        """;
    Compiled withDims = Compiled.of(MODEL);
    Compiled withLiterals = Compiled.of(literal);
    assertThat(withDims.evaluator().batchMeanOf(withDims.model.loss()))
        .isEqualTo(withLiterals.evaluator().batchMeanOf(withLiterals.model.loss()));
  }
}
