package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.testing.Compiled;
import org.junit.jupiter.api.Test;

/**
 * {@code where} and the comparisons are elementwise ops like the others: computed inside the loop
 * of the value that reads them, with no buffer of their own (unless the backward pass reads them
 * too), and {@code where} as a conditional expression (a select), never as
 * {@code c * a + (1 - c) * b}.
 */
class WhereFusionTest {
  @Test
  void whereAndAComparisonAreComputedInTheLoopOfTheirReader() {
    String source =
        """
        model F {
          input x[8]; param w[8];
          loss L = sum(where(x * w > 0.5, x * 2, x - w) + (x < w));
          output L;
        }
        """;
    String java = CodeGenerator.generate(Compiled.of(source).derivation, new CodeGenerator.Options("demo", Precision.DOUBLE))
        .toString();
    // One statement sums the select of the two branches and the comparison, all inline; the
    // condition has a buffer of its own only because the backward pass reads it too.
    assertThat(java).containsPattern(
        "acc \\+= \\(\\(t\\d+\\[[^]]+\\] != 0\\.0"
            + " \\? \\(x\\[[^]]+\\] \\* 2\\.0\\) : \\(x\\[[^]]+\\] - model\\.w\\[j\\]\\)\\)"
            + " \\+ \\(x\\[[^]]+\\] < model\\.w\\[j\\] \\? 1\\.0 : 0\\.0\\)\\);");
    assertThat(java).containsPattern("t\\d+\\[[^]]+\\] = \\(\\(x\\[[^]]+\\] \\* model\\.w\\[j\\]\\) > 0\\.5 \\? 1\\.0 : 0\\.0\\);");
  }
}
