package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.ProductFusionTest.count;
import static dev.nabla.compiler.codegen.ProductFusionTest.generate;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The adjoint of {@code maxpool2d(relu(z))} in generated code: the scatter and relu's mask in one
 * call per instance ({@link PoolStepFusion}), and only where the scatter has no other reader. The
 * numbers are checked against the evaluator and finite differences by PoolDerivativeCheckTest
 * ("maxpool2d 2 of a relu") and, for the kernel's bits, by the runtime's MaxPoolGradTest.
 */
class PoolStepFusionTest {
  private static final String CNN = """
      model Cnn {
        input x[1, 12, 12]; target d[10];
        param K1[4, 1, 3, 3]; param c1[4];
        param K2[8, 4, 3, 3]; param c2[8];
        param W[10, 32] = he; param b[10];
        h1 = maxpool2d(relu(conv2d(x, K1, c1, padding=1)), 2);
        h2 = maxpool2d(relu(conv2d(h1, K2, c2)), 2);
        output Y = softmax(W @ flatten(h2) + b);
        loss L = cross_entropy(Y, d);
      }""";

  @Test
  void eachPoolingOfAReluIsOnePassBackward() {
    String backward = generate(CNN)[2];
    assertThat(count(backward, "Pools\\.maxScatterStep\\(")).isEqualTo(2);
    assertThat(backward).doesNotContain("Pools.maxScatter(", "Scalars.step");
  }

  @Test
  void aScatterThatIsAnOutputKeepsItsStatement() {
    // S is the forward pass's output, read by the loss and by relu's mask: computed once, in forward.
    String[] code = generate("""
        model Out {
          input x[2, 6, 6]; param P[2, 6, 6]; param Q[2, 3, 3];
          z = x * P;
          output S = maxpool2d_grad(relu(z), Q, 2);
          loss L = sum(maxpool2d(relu(z), 2) * Q) + sum(S * S);
        }""");
    assertThat(code[1]).contains("Pools.maxScatter(");
    assertThat(code[2]).doesNotContain("maxScatterStep").contains("Scalars.step");
  }
}
