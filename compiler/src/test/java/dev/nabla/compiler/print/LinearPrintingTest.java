package dev.nabla.compiler.print;

import static org.assertj.core.api.Assertions.assertThat;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.codegen.CodeGenerator;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.parse.BigStack;
import dev.nabla.compiler.testing.Compiled;
import org.junit.jupiter.api.Test;

/**
 * Printed derivative programs ({@code nabla grad}, text and LaTeX) and the generated Javadoc that
 * quotes them are linear in the size of the graph (issue 12, item 15): a forward value written
 * out at several places gets a line of its own once it is large, and a deep chain is cut into
 * lines. Before, {@code tanh(tanh(...(w * x)...))} 4,000 deep printed 48 MB. Graph labels
 * ({@code nabla graph}) write at most a few levels. The bounds are on lengths, never on time.
 */
class LinearPrintingTest {
  /** {@code output y = tanh(tanh(...(w * x)...))}, {@code depth} deep, and a loss on it. */
  static String tanhChain(int depth) {
    return "model Deep { input x[2]; target d[2]; param w[2];\n  output y = " + "tanh(".repeat(depth)
        + "w * x" + ")".repeat(depth) + ";\n  loss L = l2(y, d);\n}\n";
  }

  /** {@code y = a1 * (a2 * (... * x))} where every {@code a_i} is a named value: wide and deep. */
  static String productOfNamedValues(int n) {
    StringBuilder s = new StringBuilder("model Wide { input x[2]; target d[2]; param w[2];\n");
    for (int i = 1; i <= n; i++) {
      s.append("  a").append(i).append(" = tanh(w * ").append(i).append(");\n");
    }
    s.append("  output y = ");
    for (int i = 1; i <= n; i++) {
      s.append("a").append(i).append(" * (");
    }
    return s.append("x").append(")".repeat(n)).append(";\n  loss L = l2(y, d);\n}\n").toString();
  }

  private static Sizes sizes(String source) {
    return BigStack.run(() -> {
      Compiled c = Compiled.of(source, 1, 5, -1, 1);
      ProgramLayout layout = ProgramLayout.of(c.derivation.program(), null);
      long javaSource = 0;
      for (JavaFile f : CodeGenerator.generate(c.derivation, new CodeGenerator.Options("p", Precision.FLOAT))) {
        javaSource += f.toString().length();
      }
      return new Sizes(source.length(), GradText.render(layout).length(), GradLatex.render(layout).length(), javaSource);
    });
  }

  record Sizes(long source, long text, long latex, long java) {}

  @Test
  void aDeepChainPrintsInSpaceLinearInItsDepth() {
    Sizes small = sizes(tanhChain(250));
    Sizes large = sizes(tanhChain(1_000));
    // Four times the depth: about four times the output (names grow by a digit), not sixteen.
    assertThat(large.text()).isLessThan(6 * small.text()).isLessThan(100 * large.source());
    assertThat(large.latex()).isLessThan(6 * small.latex()).isLessThan(150 * large.source());
    assertThat(large.java()).isLessThan(6 * small.java());
    assertThat(large.java()).as(large.toString()).isLessThan(200L * large.source());
  }

  @Test
  void manyNamedValuesInOneDeepProductPrintInLinearSpace() {
    // Before, each a_i's adjoint wrote out the whole product right of it: 58 times the source.
    Sizes large = sizes(productOfNamedValues(400));
    assertThat(large.text()).as(large.toString()).isLessThan(20L * large.source());
    assertThat(large.latex()).as(large.toString()).isLessThan(40L * large.source());
    assertThat(large.java()).as(large.toString()).isLessThan(200L * large.source());
  }

  @Test
  void graphLabelsOfADeepChainStayShort() {
    String source = tanhChain(1_000);
    Compiled c = BigStack.run(() -> Compiled.of(source, 1, 5, -1, 1));
    String forward = GraphDot.forward(c.model, c.derivation.program().forward());
    String derivative = GraphDot.derivative(c.derivation.program());
    assertThat((long) forward.length()).isLessThan(100L * source.length());
    assertThat((long) derivative.length()).isLessThan(200L * source.length());
  }

  /** Deep chains are cut into lines that each parse back, and compute the same gradient. */
  @Test
  void aDeepChainStillParsesBackToTheSameNumbers() {
    BigStack.run(() -> {
      new GradRoundTripTest().printedProgramParsesBackToTheSameNumbers(tanhChain(300));
      new GradRoundTripTest().printedProgramParsesBackToTheSameNumbers(productOfNamedValues(150));
      return null;
    });
  }
}
