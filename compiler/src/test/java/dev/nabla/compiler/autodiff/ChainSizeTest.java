package dev.nabla.compiler.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.testing.Compiled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For a chain of N layers h = tanh(w_i * h), the simplified derivative program stays within 3x
 * the forward op count (SymPy's diff without CSE is 613x at depth 40). The time to build it is
 * measured by {@code ChainBenchmark} and recorded in the README.
 */
class ChainSizeTest {
  static String chain(int layers) {
    StringBuilder s = new StringBuilder("model Chain {\n  input x; target d;\n");
    for (int i = 1; i <= layers; i++) {
      s.append("  param w").append(i).append(" = uniform(0.5, 1.5);\n");
    }
    s.append("  h0 = x;\n");
    for (int i = 1; i <= layers; i++) {
      s.append("  h").append(i).append(" = tanh(w").append(i).append(" * h").append(i - 1).append(");\n");
    }
    s.append("  output y = h").append(layers).append(";\n  loss L = l2(y, d);\n}\n");
    return s.toString();
  }

  static long ops(java.util.Collection<Node> nodes) {
    return nodes.stream().filter(n -> !(n.op() instanceof Leaf) && !(n.op() instanceof Constant)).count();
  }

  @ParameterizedTest
  @ValueSource(ints = {10, 100, 1000})
  void derivativeIsAtMostThreeTimesTheForward(int layers) {
    Compiled c = Compiled.of(chain(layers), 2, 1, 0.5, 1.5);
    long forward = ops(c.derivation.program().forward());
    long derivative = c.derivation.simplified().nodesAfter();
    assertThat(derivative).as("derivative ops for %d layers (forward %d)", layers, forward)
        .isLessThanOrEqualTo(3 * forward);
    if (layers == 10) {
      for (String p : c.derivation.program().gradients().keySet()) {
        assertThat(Compiled.worstError(c.gradient(p), c.numericGradient(p))).isLessThan(1e-6);
      }
    }
  }
}
