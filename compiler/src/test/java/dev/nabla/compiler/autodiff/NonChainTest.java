package dev.nabla.compiler.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.testing.Compiled;
import org.junit.jupiter.api.Test;

/**
 * Graphs that are not chains: a value with several children gets the sum of all their
 * contributions (the distributed chain rule), and a shared value is one node.
 */
class NonChainTest {
  private static void assertGradientsMatch(String source) {
    Compiled c = Compiled.of(source, 4, 7, -1, 1);
    for (String p : c.shared.keySet()) {
      if (!c.derivation.program().gradients().containsKey(p)) {
        continue; // a hyper
      }
      assertThat(Compiled.worstError(c.gradient(p), c.numericGradient(p))).as("d" + p).isLessThan(1e-6);
    }
    for (String in : c.model.gradInputs()) {
      for (int t = 0; t < c.batch; t++) {
        double[] perInstance = c.inputGradient(in, t);
        double[] scaled = new double[perInstance.length];
        for (int i = 0; i < scaled.length; i++) {
          scaled[i] = perInstance[i] / c.batch; // d(mean loss)/dx_t = 1/B dL_t/dx_t
        }
        assertThat(Compiled.worstError(scaled, c.numericInputGradient(in, t))).as("d" + in).isLessThan(1e-6);
      }
    }
  }

  @Test
  void weightDecayAddsToTheLayerContribution() {
    assertGradientsMatch(
        """
        model Decay {
          input x[3]; target d[2];
          param W[2, 3]; param b[2];
          hyper lambda = 0.1;
          z = W @ x + b;
          output y = tanh(z);
          loss L = l2(y, d) + lambda * norm2(W);
        }
        """);
  }

  @Test
  void aValueUsedTwiceByOneOp() {
    assertGradientsMatch(
        """
        model Square {
          input x[3]; target d[3];
          param w[3];
          y = w * x;
          output o = y * y;
          loss L = l2(o, d);
        }
        """);
  }

  @Test
  void residualConnection() {
    assertGradientsMatch(
        """
        model Residual {
          input x[3] grad; target d[3];
          param W[3, 3];
          h = x + tanh(W @ x);
          output y = h + tanh(W @ h);
          loss L = l2(y, d);
        }
        """);
  }

  @Test
  void sharedSubexpressionsAreOneNode() {
    Compiled c = Compiled.of("model S { input x[3]; param w[3]; a = w * x; b = w * x; output o = a + b; loss L = sum(o); }");
    Node a = c.model.values().get("a");
    Node b = c.model.values().get("b");
    assertThat(a).isSameAs(b);
  }
}
