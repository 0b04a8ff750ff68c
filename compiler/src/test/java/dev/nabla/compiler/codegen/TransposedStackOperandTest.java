package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Permute;
import dev.nabla.compiler.testing.Compiled;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Attention's {@code q @ k.T} at rank 3: the product reads k through a transposed view, so the
 * {@code .T} (a {@link Permute} of the last two axes) is neither a node of the program nor a copy
 * loop of the generated code, forward or backward. Its numbers are {@link StackProductModelsTest}'s.
 */
class TransposedStackOperandTest {
  private static final String ATTENTION =
      """
      model A {
        input x[2, 4, 3]; param Wq[3, 3]; param Wk[3, 3]; param Wv[3, 3];
        q = x @ Wq; k = x @ Wk; v = x @ Wv;
        output Y = softmax(q @ k.T / 4) @ v + softmax(q @ transpose(k, [0, 2, 1]), axis=1) @ v;
        loss L = sum(Y * Y);
      }""";

  @Test
  void aTransposedStackIsReadInPlaceByTheProduct() {
    Compiled c = Compiled.of(ATTENTION);
    Deque<Node> todo = new ArrayDeque<>(c.derivation.program().forward());
    todo.addAll(c.derivation.program().gradients().values());
    Map<Node, Boolean> seen = new IdentityHashMap<>();
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (seen.put(n, true) == null) {
        assertThat(n.op()).as("a node of the program").isNotInstanceOf(Permute.class);
        todo.addAll(n.inputs());
      }
    }
    String code = CodeGenerator.generate(c.derivation, new CodeGenerator.Options("demo", Precision.DOUBLE)).toString();
    // The scores' product reads k's array (k_2) transposed; no loop copies k elementwise.
    assertThat(code).contains("gemm(false, true, 1, batch * 2, 4, 4, 3, q_2, 0, 0, 12, k_2,").doesNotContain("k_2[");
  }
}
