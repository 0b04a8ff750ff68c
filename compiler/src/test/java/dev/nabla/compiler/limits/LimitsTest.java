package dev.nabla.compiler.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.CodeGenerator;
import dev.nabla.compiler.codegen.ModelLoader;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.diag.Limits;
import dev.nabla.compiler.parse.BigStack;
import dev.nabla.compiler.parse.SourceReader;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import dev.nabla.compiler.testing.DenseChain;
import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every documented limit (docs/language.md, "Limits") is enforced with a clear diagnostic, never
 * an OutOfMemoryError, a StackOverflowError or a hang; and models near the limits still give
 * Java that compiles.
 */
@Timeout(120)
class LimitsTest {
  private static final String HEAD = "model M { input x; target d; output Y = x; ";

  private static String errors(String text) {
    Frontend.Result r = BigStack.run(() -> Frontend.run(new Source("big.nn", text)));
    assertThat(r.ok()).as("expected an error").isFalse();
    return DiagnosticRenderer.renderAll(r.diagnostics());
  }

  private static long timed(Runnable task) {
    long start = System.nanoTime();
    task.run();
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }

  @Test
  void aFileOverSixteenMebibytesIsRefusedWithoutReadingItAll(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("huge.nn");
    byte[] bytes = new byte[(int) Limits.MAX_SOURCE_BYTES + 1];
    java.util.Arrays.fill(bytes, (byte) ' ');
    Files.write(file, bytes);
    Diagnostics d = new Diagnostics();
    assertThat(SourceReader.read(file, d)).isNull();
    assertThat(DiagnosticRenderer.renderAll(d)).contains("huge.nn").contains("larger than 16777216 bytes (16 MiB)");
    Diagnostics d2 = new Diagnostics();
    assertThat(SourceReader.decode("huge.nn", bytes, d2)).isNull();
    assertThat(d2.hasErrors()).isTrue();
  }

  @Test
  void aFileOfExactlySixteenMebibytesIsRead(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("edge.nn");
    String model = "model M { input x; target d; output Y = x; loss L = (x - d) ^ 2; }\n";
    Files.writeString(file, model + " ".repeat((int) Limits.MAX_SOURCE_BYTES - model.length()));
    Diagnostics d = new Diagnostics();
    Source source = SourceReader.read(file, d);
    assertThat(source).isNotNull();
    assertThat(Frontend.run(source).ok()).isTrue();
  }

  @Test
  void aLongerTextIsRefusedByTheFrontEndToo() {
    String text = "#".repeat((int) Limits.MAX_SOURCE_BYTES + 1);
    assertThat(errors(text)).contains("longer than 16777216 characters");
  }

  @Test
  void deepParenthesesStopAtTheNestingLimit() {
    int n = Limits.MAX_NESTING + 10;
    String text = HEAD + "loss L = " + "(".repeat(n) + "x - d" + ")".repeat(n) + "; }";
    assertThat(errors(text)).contains("nested more than 20000 levels deep").containsOnlyOnce("error:");
  }

  @Test
  void deepNegationsCallsAndPowersStopAtTheNestingLimit() {
    int n = Limits.MAX_NESTING + 10;
    assertThat(errors(HEAD + "loss L = " + "-".repeat(n) + "x; }")).contains("nested more than");
    assertThat(errors(HEAD + "loss L = " + "exp(".repeat(n) + "x" + ")".repeat(n) + "; }")).contains("nested more than");
    assertThat(errors(HEAD + "loss L = x" + " ^ 1".repeat(n) + "; }")).contains("nested more than");
  }

  @Test
  void aLongChainIsNestedToo() {
    // a + b + c is ((a + b) + c): a chain of 30,000 terms is 30,000 levels deep.
    String text = HEAD + "loss L = x" + " + d".repeat(Limits.MAX_NESTING + 10) + "; }";
    assertThat(errors(text)).contains("nested more than 20000 levels deep").containsOnlyOnce("error:");
  }

  @Test
  void nestingJustUnderTheLimitCompiles() {
    int n = Limits.MAX_NESTING - 10;
    String text = HEAD + "loss L = " + "(".repeat(n) + "x - d" + ")".repeat(n) + " ^ 2; }";
    Frontend.Result r = BigStack.run(() -> Frontend.run(new Source("ok.nn", text)));
    assertThat(DiagnosticRenderer.renderAll(r.diagnostics())).isEmpty();
  }

  @Test
  void defsThatDoubleAtEveryLevelStopAtTheExpansionLimit() {
    StringBuilder text = new StringBuilder("def f0(x) = x * x;\n");
    for (int i = 1; i <= 40; i++) {
      text.append("def f").append(i).append("(x) = f").append(i - 1).append("(x) + f").append(i - 1).append("(x);\n");
    }
    text.append(HEAD).append("loss L = f40(x) - d; }\n");
    long ms = timed(() -> assertThat(errors(text.toString())).contains("the model is too big").contains("2000000 expressions"));
    assertThat(ms).isLessThan(30_000);
  }

  @Test
  void defsNestedDeeplyThroughEachOtherStopAtTheInlinedNestingLimit() {
    // identity() makes no node, so neither the node limit nor the expansion limit stops this.
    int depth = 15_000;
    StringBuilder text = new StringBuilder("def f0(x) = x;\n");
    for (int i = 1; i <= 10; i++) {
      text.append("def f").append(i).append("(x) = ").append("identity(".repeat(depth)).append("f").append(i - 1)
          .append("(x)").append(")".repeat(depth)).append(";\n");
    }
    text.append(HEAD).append("loss L = f10(x) - d; }\n");
    assertThat(errors(text.toString())).contains("levels deep once its defs are inlined");
  }

  @Test
  void computedValuesOverTheElementLimitAreErrorsNotOverflows() {
    assertThat(errors("model M { input x[16384]; output Y = x; loss L = sum(repeat(repeat(x, 16384), 17)); }"))
        .contains("'repeat' would make a vector of 4563402752 elements; the limit is 268435456");
    assertThat(errors("model M { input x[65536]; output Y = x; loss L = sum(outer(x, x)); }"))
        .contains("this value would have 4294967296 elements per instance; the limit is 268435456");
    assertThat(errors("model M { input x[2, 134217728]; output Y = x; loss L = sum(x.T @ x); }"))
        .contains("would have 18014398509481984 elements");
    assertThat(errors("model M { input x[8]; output Y = x; loss L = sum(expand(sum(x), 1000000000, 1000000000)); }"))
        .contains("elements per instance; the limit is 268435456");
    assertThat(errors("model M { input x[268435456]; output Y = x; loss L = sum(concat(x, x)); }"))
        .contains("'concat' would make a vector of 536870912 elements");
    assertThat(errors("model M { input x[8]; output Y = x; loss L = sum(pad(x, 1000000000, 1000000000)); }"))
        .contains("'pad' would make a vector of 2000000008 elements");
  }

  @Test
  void aFileFullOfErrorsShowsTheFirstThousandAndCountsTheRest() {
    // Found by probing: 20,000 errors on one 60 KB line rendered 1.8 GB of messages (the whole
    // line quoted under each), and the error list was quadratic to build.
    String text = HEAD + "loss L = " + "2x ".repeat(20_000) + "; }";
    long ms = timed(() -> {
      Frontend.Result r = BigStack.run(() -> Frontend.run(new Source("many.nn", text)));
      assertThat(r.diagnostics().errorCount()).isEqualTo(20_000);
      assertThat(r.diagnostics().sorted()).hasSize(Limits.MAX_ERRORS);
      String rendered = DiagnosticRenderer.renderAll(r.diagnostics());
      assertThat(rendered).endsWith("... and 19000 more errors, not shown (only the first 1000 are)\n");
      assertThat(rendered.length()).isLessThan(1_000_000);
    });
    assertThat(ms).isLessThan(30_000);
  }

  @Test
  void aLongLineIsShownAsAWindowAroundTheCaret() {
    String text = HEAD + "loss L = " + "x + ".repeat(5_000) + "unknown + " + "d + ".repeat(5_000) + "d; }";
    String rendered = errors(text);
    List<String> lines = rendered.lines().toList();
    assertThat(lines.get(0)).contains("unknown");
    assertThat(lines.get(1)).startsWith("  ...").endsWith("...").hasSizeLessThan(220);
    int caret = lines.get(2).indexOf('^');
    assertThat(lines.get(1).substring(caret)).startsWith("unknown");
  }

  @Test
  void padRefusesNegativeAmounts() {
    // Found while fuzzing: pad(v, -1, 0) was accepted and the generated code indexed out of bounds.
    assertThat(errors("model M { input x[3]; param w[3]; output Y = x; loss L = sum(pad(x * w, -1, 0)); }"))
        .contains("'pad' needs before >= 0, not -1");
    assertThat(errors("model M { input x[3]; param w[3]; output Y = x; loss L = sum(pad(x * w, 0, -2)); }"))
        .contains("'pad' needs after >= 0, not -2");
  }

  @Test
  void aModelOverTheNodeLimitIsAnError() {
    Frontend.Result r = BigStack.run(() -> Frontend.run(new Source("deep.nn", DenseChain.of(3_000))));
    assertThat(r.ok()).isTrue();
    Diagnostics d = new Diagnostics();
    Derivation derivation = BigStack.run(() -> Derivation.of(r.models().getFirst(), d));
    assertThat(derivation).isNull();
    assertThat(DiagnosticRenderer.renderAll(d)).contains("operations; the limit is " + Limits.MAX_GRAPH_NODES);
  }

  @Test
  void aLargeModelIsSplitIntoMethodsThatCompileAndCheck() {
    // 400 layers: forward and backward far beyond one JVM method's 64 KB. (With buffer sharing
    // by liveness the backward class needs fewer than the 1,000 arrays that would split its
    // constructor too.)
    Frontend.Result r = BigStack.run(() -> Frontend.run(new Source("deep.nn", DenseChain.of(400))));
    CheckedModel m = r.models().getFirst();
    Derivation d = BigStack.run(() -> Derivation.of(m, new Diagnostics()));
    List<JavaFile> files = CodeGenerator.generate(d, new CodeGenerator.Options("p", Precision.DOUBLE));
    assertThat(files.get(1).toString()).contains("forwardPart1()");
    assertThat(files.get(2).toString()).contains("backwardPart1()");
    Model model = BigStack.run(() -> ModelLoader.load(d, Precision.DOUBLE)); // -Xlint:all -Werror
    model.initialize(3);
    for (GradientCheck.Result result : GradientCheck.check(model, model.newRun(2))) {
      assertThat(result.worstRelativeError()).as(result.toString()).isLessThanOrEqualTo(1e-6);
    }
  }

  @Test
  void aLongFusedChainIsCutIntoShallowExpressions() {
    int n = 3_000;
    String text = "model M { input x[4]; target d[4]; param w[4]; output Y = x; loss L = sum("
        + "(".repeat(n) + "x * w" + " + 1) * 0.999".repeat(n) + " - d); }";
    Frontend.Result r = BigStack.run(() -> Frontend.run(new Source("long.nn", text)));
    assertThat(DiagnosticRenderer.renderAll(r.diagnostics())).isEmpty();
    Derivation d = BigStack.run(() -> Derivation.of(r.models().getFirst(), new Diagnostics()));
    List<JavaFile> files = CodeGenerator.generate(d, new CodeGenerator.Options("p", Precision.FLOAT));
    for (JavaFile f : files) {
      String source = f.toString();
      int deepest = 0;
      for (String line : source.lines().filter(l -> !l.strip().startsWith("//") && !l.strip().startsWith("*")).toList()) {
        int open = 0;
        for (int i = 0; i < line.length(); i++) {
          char c = line.charAt(i);
          open += c == '(' ? 1 : c == ')' ? -1 : 0;
          deepest = Math.max(deepest, open);
        }
      }
      assertThat(deepest).as(f.typeSpec().name()).isLessThan(200);
      assertThat(source.length()).as("no quadratic blow-up from quoting the source line").isLessThan(3_000_000);
    }
    // javac on a normal thread: the nesting must not need a big stack.
    Model model = ModelLoader.load(d, Precision.FLOAT);
    assertThat(model.params()).hasSize(1);
  }

  @Test
  void aSmallStackGetsADiagnosticNotAStackOverflowError() throws InterruptedException {
    String text = HEAD + "loss L = " + "(".repeat(15_000) + "x - d" + ")".repeat(15_000) + "; }";
    Frontend.Result[] result = new Frontend.Result[1];
    Throwable[] failure = new Throwable[1];
    Thread small = Thread.ofPlatform().stackSize(256 * 1024).unstarted(() -> {
      try {
        result[0] = Frontend.run(new Source("deep.nn", text));
      } catch (Throwable t) {
        failure[0] = t;
      }
    });
    small.start();
    small.join();
    assertThat(failure[0]).isNull();
    assertThat(DiagnosticRenderer.renderAll(result[0].diagnostics())).contains("nested too deeply for this thread's stack");
  }
}
