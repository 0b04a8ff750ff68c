package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Deep networks: the generated source grows linearly with the depth. (It once grew
 * quadratically: every gradient's Javadoc quoted the whole derivative program it needs, which
 * for the first layer is almost all of it, and laying out those programs was cubic in time.)
 */
class DeepModelSourceTest {
  /** An MLP of {@code layers} dense relu layers of width 8 and a softmax output. */
  static String mlp(int layers) {
    StringBuilder s = new StringBuilder("model Deep {\n  input x[8];\n  target d[3];\n");
    for (int i = 1; i <= layers; i++) {
      int out = i == layers ? 3 : 8;
      s.append("  param W").append(i).append('[').append(out).append(", 8] = he;\n")
          .append("  param b").append(i).append('[').append(out).append("] = zeros;\n");
    }
    s.append("  h0 = x;\n");
    for (int i = 1; i < layers; i++) {
      s.append("  h").append(i).append(" = relu(W").append(i).append(" @ h").append(i - 1)
          .append(" + b").append(i).append(");\n");
    }
    s.append("  output Y = softmax(W").append(layers).append(" @ h").append(layers - 1)
        .append(" + b").append(layers).append(");\n  loss L = cross_entropy(Y, d);\n}\n");
    return s.toString();
  }

  private static String backwardSource(int layers) {
    List<JavaFile> files = CodeGenerator.generate(Compiled.of(mlp(layers)).derivation,
        new CodeGenerator.Options("deep", Precision.FLOAT));
    return files.get(2).toString();
  }

  @Test
  void sourceGrowsLinearlyWithDepth() {
    int small = backwardSource(20).length();
    int large = backwardSource(80).length();
    // Four times the layers: about four times the source (quadratic growth gave about 12x).
    assertThat((double) large / small).isBetween(3.0, 5.0);
  }

  @Test
  void longGradientProgramsPointToTheClassJavadoc() {
    String source = backwardSource(20);
    // The last layer's gradient needs few lines and is quoted in full ...
    assertThat(javadocOf(source, "W20")).doesNotContain("# after").contains("dW20 = ");
    // ... the first layer's needs the whole chain, so its Javadoc points to the class Javadoc.
    String javadoc = javadocOf(source, "W1");
    assertThat(javadoc).contains("# after ").contains(" lines of the class Javadoc's program");
    assertThat(javadoc.lines().count()).isLessThanOrEqualTo(4);
  }

  private static String javadocOf(String source, String param) {
    int at = source.indexOf("with respect to {@code " + param + "}:");
    assertThat(at).as(param).isPositive();
    return source.substring(at, source.indexOf("</pre>", at));
  }

  /**
   * More params than one name switch may hold ({@link CodeGenerator#MAX_LOOKUP_CASES}): a
   * 2,000-param model once failed javac with "code too large" in {@code param(String)} and
   * {@code gradient(String)}. The lookups are split into part methods and still find every name.
   */
  @Test
  void lookupsOfAModelWithHundredsOfParamsCompileAndFindEveryName() {
    int layers = CodeGenerator.MAX_LOOKUP_CASES / 2 + 1;
    var derivation = Compiled.of(mlp(layers)).derivation;
    List<JavaFile> files = CodeGenerator.generate(derivation, new CodeGenerator.Options("deep", Precision.FLOAT));
    assertThat(files.get(0).toString()).contains("if ((found = param1(name)) != null)");
    assertThat(files.get(2).toString()).contains("if ((found = gradient1(name)) != null)");
    Model model = ModelLoader.load(derivation, Precision.FLOAT);
    assertThat(model.params()).hasSize(2 * layers);
    for (dev.nabla.runtime.TensorSpec spec : model.params()) {
      assertThat(model.param(spec.name()).shape()).as(spec.name()).isEqualTo(spec.shape());
    }
    assertThat(model.param("W" + layers).shape()).containsExactly(3, 8);
    assertThatThrownBy(() -> model.param("W0"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("model Deep has no param 'W0'");
    model.initialize(1);
    ModelRun run = model.newRun(2);
    run.input("d").setDouble(0, 1);
    run.forward();
    run.backward();
    assertThat(run.gradient("W1").shape()).containsExactly(8, 8);
    assertThat(run.gradient("b" + layers).shape()).containsExactly(3);
    assertThatThrownBy(() -> run.gradient("x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("model Deep has no gradient for 'x'");
  }
}
