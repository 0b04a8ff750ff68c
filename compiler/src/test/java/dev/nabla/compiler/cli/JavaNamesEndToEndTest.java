package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.CodeGenerator;
import dev.nabla.compiler.codegen.InMemoryJavac;
import dev.nabla.compiler.codegen.ModelLoader;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Model names that are Java keywords, or that clash with what the generated classes declare
 * (members, locals of the kernels, the types they use), still give code that compiles without a
 * warning under {@code javac -Xlint:all -Werror} and computes the right gradients.
 */
class JavaNamesEndToEndTest {
  /**
   * Keywords ({@code class int new this var record yield _}), members and locals of the
   * generated code ({@code batch run forward b j e f invB scale dj logTotal}, the loop methods'
   * {@code rows from to}), types it names ({@code String Math Scalars Softmax}), and names the renaming itself produces ({@code x_ W_2 class_},
   * {@code grad_W} for a param {@code W}). As hypers, names become locals of the passes.
   */
  static final String MODEL = """
      model Keywords {
        input  x[4] grad;
        input  String[3];
        target d[3];

        param  W[3, 4] = normal(0, 0.5);
        param  int[3] = uniform(-0.1, 0.1);
        param  b[3, 3] = normal(0, 0.5);
        param  grad_W[3] = uniform(-0.1, 0.1);
        hyper  j = 0.01;
        hyper  new = 0.5;
        hyper  e = 1;
        hyper  f = 0.25;
        hyper  invB = 2;
        hyper  scale = 0.1;
        hyper  dj = 0.2;
        hyper  logTotal = 0.3;
        hyper  Scalars = 0.5;
        hyper  from = 0.75;
        hyper  to = 0.125;

        class = W @ x + int;
        rows = relu(class) * from + to;
        Softmax = rows * e;
        class_ = Softmax;
        W_2 = tanh(class) + class_;
        record = b @ W_2 + String + grad_W;
        batch = sigmoid(record) * new + f * invB;
        run = concat(slice(batch, 0, 2), slice(x, 0, 1));
        forward = run + W_2 * scale;
        Math = exp(forward) * dj;
        var = softmax(forward);
        x_ = log_softmax(forward) * logTotal;
        _ = var * Scalars;
        this = _ + 0;
        output Y = var;
        output yield = Math;
        output this;
        loss L = cross_entropy(Y, d) + kl(d, var) - 0.01 * sum(x_) + j * norm2(W);
      }
      """;

  static Derivation derive(String text) {
    Frontend.Result result = Frontend.run(new Source("keywords.nn", text));
    assertThat(DiagnosticRenderer.renderAll(result.diagnostics())).isEmpty();
    CheckedModel model = result.models().getFirst();
    Diagnostics diagnostics = new Diagnostics();
    Derivation d = Derivation.of(model, diagnostics);
    assertThat(DiagnosticRenderer.renderAll(diagnostics)).isEmpty();
    assertThat(d).isNotNull();
    return d;
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void theSourcesCompileWithoutWarnings(Precision precision) {
    Derivation d = derive(MODEL);
    for (String pkg : new String[] {"", "P", "com.example.int_.generated"}) {
      List<JavaFile> files = CodeGenerator.generate(d, new CodeGenerator.Options(pkg, precision));
      assertThat(files).extracting(f -> f.typeSpec().name())
          .containsExactly("Keywords", "KeywordsForward", "KeywordsBackward");
      // throws CompilationFailed, with javac's messages, on any error or warning
      ClassLoader loader = InMemoryJavac.compile(files, List.of("-Xlint:all", "-Werror"));
      assertThat(loader).isNotNull();
    }
  }

  @Test
  void itRunsAndItsGradientsPassTheCheck() {
    Model model = ModelLoader.load(derive(MODEL), Precision.DOUBLE);
    assertThat(model.params()).extracting(p -> p.name()).containsExactly("W", "int", "b", "grad_W");
    assertThat(model.inputs()).extracting(p -> p.name()).containsExactly("x", "String");
    assertThat(model.outputs()).extracting(p -> p.name()).containsExactly("Y", "yield", "this");
    assertThat(model.hyperNames()).contains("new", "e", "Scalars");
    assertThat(model.gradInputs()).containsExactly("x");
    model.initialize(5);
    ModelRun run = model.newRun(3);
    dev.nabla.compiler.pipeline.GradientChecks.randomBatch(model, run, 5);
    List<GradientCheck.Result> results = GradientCheck.check(model, run);
    assertThat(results).extracting(GradientCheck.Result::name).containsExactly("W", "int", "b", "grad_W", "x");
    for (GradientCheck.Result r : results) {
      assertThat(r.worstRelativeError()).as(r.toString()).isLessThanOrEqualTo(GradientCheck.DEFAULT_TOLERANCE);
    }
    model.setHyper("new", 0);
    assertThat(model.hyper("new")).isZero();
  }

  @Test
  void theCommandLineAgrees(@TempDir Path dir) {
    Path file = Cli.write(dir, "keywords.nn", MODEL);
    Cli.Result check = Cli.run("check", file);
    assertThat(check.code()).as(check.toString()).isZero();
    assertThat(check.out()).contains("gradient check passed");
    Cli.Result grad = Cli.run("grad", file, "--wrt", "int");
    assertThat(grad.code()).as(grad.toString()).isZero();
    assertThat(grad.out()).contains("dint = ");
    Cli.Result compile = Cli.run("compile", file, "-d", dir.resolve("out"), "--package", "P");
    assertThat(compile.code()).as(compile.toString()).isZero();
    assertThat(dir.resolve("out/P/KeywordsBackward.java")).exists();
  }
}
