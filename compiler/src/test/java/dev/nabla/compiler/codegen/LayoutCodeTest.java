package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.eval.Evaluator;
import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.ModelRun;
import org.junit.jupiter.api.Test;

/**
 * The layout ops' generated code (issue 15): values that own an array (outputs here) equal the
 * reference evaluator's in double and float, and a reshape reads its input's array in place
 * instead of copying it.
 */
class LayoutCodeTest {
  private static final String OUTPUTS =
      """
      model O {
        input X[3, 4]; param P[3, 4]; param s;
        A = stack(X, P, axis=2);
        output B = reshape(X * P, [2, 6]);
        output C = transpose(A, [1, 2, 0]);
        output D = A[1:, :, -1];
        output E = concat(A, A * s, axis=1);
        output F = pad(X, [1, 0], [0, 2]);
        output G = flatten(P.T);
        output H = stack(s, 2 * s, axis=-1);
        output I = A.T[-1];
        output J = concat(X[0], s, X[-1, 1:]);
        loss L = sum(X * P) * s;
      }""";

  @Test
  void outputsOfTheLayoutOpsEqualTheReferenceEvaluator() {
    Compiled c = Compiled.of(OUTPUTS, 3, 11, -1, 1);
    Evaluator reference = c.evaluator();
    for (Precision precision : new Precision[] {Precision.DOUBLE, Precision.FLOAT}) {
      ModelRun run = c.generatedRun(precision);
      run.forward();
      double tolerance = precision == Precision.DOUBLE ? 1e-15 : 1e-6;
      for (String name : c.model.outputs().keySet()) {
        double[] got = run.output(name).toDoubles();
        int size = c.model.outputs().get(name).shape().size();
        for (int b = 0; b < 3; b++) {
          double[] expected = reference.value(c.model.outputs().get(name), b);
          double[] instance = java.util.Arrays.copyOfRange(got, b * size, (b + 1) * size);
          assertThat(Compiled.worstError(instance, expected)).as(name + " (" + precision + ")").isLessThanOrEqualTo(tolerance);
        }
      }
    }
  }

  @Test
  void aReshapeReadsItsInputInPlace() {
    String source =
        """
        model R {
          input X[3, 4]; param W[5, 12]; param P[3, 4];
          h = reshape(X * P, [12]);
          k = reshape(P, [2, 6]).T;
          output y = W @ h + sum(k);
          loss L = sum(y * y);
        }""";
    String code = CodeGenerator.generate(Compiled.of(source).derivation, new CodeGenerator.Options("demo", Precision.DOUBLE))
        .toString();
    // No array of its own for h: the product reads the array of X * P; k's transpose reads P.
    assertThat(code).doesNotContain("double[] h;").doesNotContain(" h = new double").contains("model.P[");
  }

  @Test
  void elementwiseNeighboursAreComputedInTheCopyLoops() {
    String source =
        """
        model F {
          input X[3, 4]; param P[3, 4];
          A = stack(X * P, P);
          output y = sum(A[0] * X[-1]);
          loss L = y;
        }""";
    String forward = CodeGenerator.generate(Compiled.of(source).derivation, new CodeGenerator.Options("demo", Precision.DOUBLE))
        .stream().filter(f -> f.typeSpec().name().equals("FForward")).findFirst().orElseThrow().toString();
    // X * P is computed in the stack's loop, A[0] and X[-1] are read where the sum reads them:
    // the pass has arrays for X, A and y only.
    assertThat(forward).contains("= (X[b * 12 + ix0] * model.P[ix0]);").contains("acc += (A[b * 24 + j] * X[b * 12 + j % 4 + 8]);");
    assertThat(forward.split("new double\\[", -1)).hasSize(4);
  }
}
