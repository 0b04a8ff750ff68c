package dev.nabla.compiler.simplify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.print.GradText;
import dev.nabla.compiler.print.ProgramLayout;
import dev.nabla.compiler.testing.Compiled;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simplifier's rules for {@code where}: equal branches, a constant condition, and the zero
 * adjoints of the branch not picked, each checked on the printed program and on the numbers
 * (the simplified gradient equals the raw one).
 */
class WhereRulesTest {
  private static List<String> statements(String source) {
    Compiled c = Compiled.of(source);
    for (String name : c.derivation.program().gradients().keySet()) {
      double[] raw = c.evaluator().value(c.derivation.raw().gradients().get(name), 0);
      double[] simplified = c.evaluator().value(c.derivation.program().gradients().get(name), 0);
      assertThat(Compiled.worstError(simplified, raw)).as(name).isLessThan(1e-12);
    }
    String text = GradText.render(ProgramLayout.of(c.derivation.program(), null));
    return text.lines().filter(l -> !l.startsWith("#")).toList();
  }

  @Test
  void theGradientGoesToThePickedBranch() {
    assertThat(statements("model M { input x[3] grad; input y[3] grad; loss L = sum(where(x > y, 2 * x, y)); output L; }"))
        .containsExactly("dx = 2 * (x > y);", "dy = where(x > y, 0, 1);");
  }

  @Test
  void equalBranchesAreOneValue() {
    assertThat(statements("model M { input x[3] grad; input c[3]; loss L = sum(where(c, x, x) * x); output L; }"))
        .containsExactly("dx = 2 * x;");
  }

  @Test
  void aConstantConditionPicksItsBranch() {
    assertThat(statements("model M { input x[3] grad; loss L = sum(where(2 > 1, x ^ 2, x)) + sum(where(0, x, 3 * x)); output L; }"))
        .containsExactly("dx = 3 + 2 * x;");
  }
}
