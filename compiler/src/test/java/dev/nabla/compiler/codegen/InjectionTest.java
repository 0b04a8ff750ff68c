package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models written to break out of the generated Java: names that are Java keywords, restricted
 * identifiers, members and locals of the generated classes, or java.lang and runtime types; model
 * names like those; and comments and file names full of comment terminators, Unicode escapes,
 * Javadoc tags and HTML. Each must compile with {@code -Xlint:all -Werror}, pass the gradient
 * check, and no model text may reach the Java code except as identifiers (outside comments and
 * string literals).
 */
class InjectionTest {
  static final List<String> KEYWORDS = List.of(
      "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
      "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
      "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long",
      "native", "new", "package", "private", "protected", "public", "return", "short", "static",
      "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
      "void", "volatile", "while", "true", "false", "null", "_", "var", "yield", "record", "sealed",
      "permits", "when", "non", "module", "open", "exports", "requires", "to", "with");

  /**
   * Members, parameters and locals of the generated classes, and names they generate ({@code
   * model} itself is reserved in .nn).
   */
  static final List<String> MEMBERS = List.of(
      "batch", "b", "i", "j", "k", "n", "o", "f", "e", "g", "t", "acc", "invB", "run",
      "forward", "backward", "total", "best", "dj", "scale", "logTotal", "value", "result", "spec",
      "data", "name", "dtype", "params", "inputs", "targets", "outputs", "gradInputs", "hyperNames",
      "hyper", "setHyper", "param", "initialize", "newRun", "batchSize", "input", "output",
      "gradient", "gradients", "seed", "part", "allocate0", "forwardPart0", "backwardPart0", "grad_W",
      "grad_b", "grad_W_array", "t1", "t2", "g1", "g2", "loss", "target", "grad", "L", "x", "W");

  static final List<String> TYPES = List.of(
      "String", "Math", "Object", "System", "Integer", "Float", "Double", "Long", "Override",
      "Deprecated", "SuppressWarnings", "Thread", "Runtime", "Class", "Void", "Exception", "Error",
      "List", "Arrays", "NdArray", "DType", "TensorSpec", "Model", "ModelRun", "Init", "Gemm", "Npz",
      "Generated", "Objects", "Scalars", "Softmax", "Reductions", "Pooling", "Character", "Byte",
      "Record", "Enum", "Iterable", "Number", "Boolean", "Short");

  /**
   * A model whose values carry the given names: the first five are an input (grad), a target, a
   * matrix param, a vector param and a hyper; each further name is a statement exercising a
   * different kind of generated code (fused loops, products, softmax, pooling, reductions).
   */
  static String modelNamed(String modelName, List<String> names) {
    String x = names.get(0), d = names.get(1), w = names.get(2), bias = names.get(3), h = names.get(4);
    StringBuilder s = new StringBuilder("model " + modelName + " {\n");
    s.append("  input ").append(x).append("[4] grad;\n");
    s.append("  target ").append(d).append("[4];\n");
    s.append("  param ").append(w).append("[4, 4] = uniform(-1, 1);\n");
    s.append("  param ").append(bias).append("[4] = normal(0, 0.5);\n");
    s.append("  hyper ").append(h).append(" = 0.01;\n");
    String previous = x;
    List<String> ops = List.of(
        "tanh(%W @ %p + %b)", "%p * sigmoid(%p) + %h", "softmax(%p) * 2 - %h", "log_softmax(%p)",
        "maxpool(concat(%p, %p * %h), 2)", "%p - max(%p) + sum(%W, axis=0) * %h",
        "relu(%p + 0.1) + sum(outer(%p, %b), axis=1) * %h", "%W.T @ %p + %p[0]",
        "elu(%p - 0.2) / (1 + abs(%b))", "(%p ^ 2 + 0.5) ^ -1.5 * %b");
    for (int i = 5; i < names.size(); i++) {
      String op = ops.get((i - 5) % ops.size());
      String expr = op.replace("%W", w).replace("%p", previous).replace("%b", bias).replace("%h", h);
      s.append("  ").append(names.get(i)).append(" = ").append(expr).append(";\n");
      previous = names.get(i);
    }
    s.append("  output ").append(previous).append(";\n");
    s.append("  loss lossValue = cross_entropy(softmax(").append(previous).append("), ").append(d)
        .append(") + ").append(h).append(" * norm2(").append(w).append(") + l2(").append(previous)
        .append(", ").append(d).append(");\n}\n");
    return s.toString();
  }

  /** Locals of the generated code as the hyper (a local of every pass) and as params. */
  static final List<String> LOCALS = List.of(
      "f", "dj", "scale", "logTotal", "e", "yield", "var", "total", "acc", "best", "b", "j", "invB");

  static Stream<List<String>> nameGroups() {
    return Stream.of(KEYWORDS, MEMBERS, TYPES, LOCALS);
  }

  @ParameterizedTest
  @MethodSource("nameGroups")
  void valueNamesThatClashWithJavaCompileAndCheck(List<String> names) {
    assertCompilesAndChecks("Names", modelNamed("Names", names), "names.nn");
  }

  static Stream<String> modelNames() {
    return Stream.of("Model", "ModelRun", "NdArray", "class", "int", "_", "var", "yield", "List",
        "Generated");
  }

  @ParameterizedTest
  @MethodSource("modelNames")
  void modelNamedLikeAJavaKeywordOrType(String name) {
    assertCompilesAndChecks(name, modelNamed(name, List.of("x", "d", "W", "b", "lambda", "z1", "z2", "z3")), "m.nn");
  }

  /**
   * A model class named like a java.lang class would hide it from its sibling models' classes
   * (issue 12, item 14): refused (names/ModelNamesTest has the messages).
   */
  @ParameterizedTest
  @ValueSource(strings = {"String", "Object", "Math", "System", "Override", "Double", "integer", "record"})
  void modelNamedLikeAJavaLangClassIsRefused(String name) {
    Frontend.Result r = Frontend.run(new Source("m.nn", modelNamed(name, List.of("x", "d", "W", "b", "lambda", "z1", "z2", "z3"))));
    assertThat(DiagnosticRenderer.renderAll(r.diagnostics())).contains("error: model '" + name
        + "' would be generated as class ").contains(", which would hide java.lang.");
  }

  @Test
  void modelsWhoseClassNamesWouldCollideAreAnError() {
    String model = "model %s { input x[2]; target d[2]; param W[2, 2]; output y = W @ x; loss L = l2(y, d); }\n";
    for (String[] pair : new String[][] {{"net", "Net"}, {"Foo", "FooForward"}, {"Bar", "BarBackward"}, {"class", "Class_"}}) {
      Frontend.Result r = Frontend.run(new Source("two.nn", model.formatted(pair[0]) + model.formatted(pair[1])));
      assertThat(DiagnosticRenderer.renderAll(r.diagnostics())).as(String.join(" ", pair))
          .contains("error: model '" + pair[1] + "' would be generated as class");
    }
  }

  /** Text that would end a comment, start code, or break Javadoc, if it were copied unescaped. */
  static final String PAYLOAD = "*/ class INJECTED { } /* \\u000a INJECTED(); \\u002a/ System.exit(42);"
      + " @Override {@code } </pre> <script>INJECTED</script> &amp; \\ \\\\u000A \\uuuu000a"
      + " \u00e9\u20ac\ud83d\ude00 \t end\\";

  @Test
  void commentsAndFileNamesCannotBreakOut() {
    String source = "# " + PAYLOAD + "\n"
        + "/* " + PAYLOAD.replace("*/", "* /") + " */\n"
        + "model Evil { # " + PAYLOAD + "\n"
        + "  input x[3] grad;  // " + PAYLOAD + "\n"
        + "  target d[3];\n"
        + "  param W[3, 3];\n"
        + "  z = W @ x; /* " + PAYLOAD.replace("*/", "*\\/") + " */ y = softmax(z); # " + PAYLOAD + "\n"
        + "  output y; # \u2028 \r\n"
        + "  loss L = cross_entropy(y, d); # " + PAYLOAD + "\n"
        + "}\n";
    String path = "dir */ INJECTED /* \\u000a System.exit(42); \\u002a/ {@code </pre> @Override \u00e9.nn";
    List<JavaFile> files = assertCompilesAndChecks("Evil", source, path);
    assertThat(files.get(1).toString()).as("the source lines are quoted").contains("@Override {@code");
    for (JavaFile f : files) {
      String text = f.toString();
      String code = codeOnly(text);
      assertThat(code).as(f.typeSpec().name()).doesNotContain("INJECTED").doesNotContain("exit").doesNotContain("script");
      assertNoUnicodeEscape(text);
      assertThat(text.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f)))
          .as("only printable ASCII and newlines").isTrue();
    }
  }

  // ------------------------------------------------------------------ helpers

  private static List<JavaFile> assertCompilesAndChecks(String modelName, String source, String path) {
    Frontend.Result r = Frontend.run(new Source(path, source));
    assertThat(DiagnosticRenderer.renderAll(r.diagnostics())).as(source).isEmpty();
    CheckedModel m = r.models().getFirst();
    Derivation d = Derivation.of(m, new Diagnostics());
    List<JavaFile> files = new ArrayList<>();
    for (Precision p : Precision.values()) {
      files.addAll(CodeGenerator.generate(d, new CodeGenerator.Options("evil.pkg", p)));
    }
    for (JavaFile f : files) {
      assertNoUnicodeEscape(f.toString());
    }
    ModelLoader.load(d, Precision.FLOAT); // -Xlint:all -Werror
    Model model = ModelLoader.load(d, Precision.DOUBLE);
    assertThat(model.name()).isEqualTo(modelName);
    model.initialize(5);
    ModelRun run = model.newRun(2);
    SplittableRandom random = new SplittableRandom(3);
    List<TensorSpec> all = new ArrayList<>(model.inputs());
    all.addAll(model.targets());
    for (TensorSpec in : all) {
      NdArray a = run.input(in.name());
      for (int i = 0; i < a.size(); i++) {
        a.setDouble(i, random.nextDouble(0.1, 0.9));
      }
    }
    List<GradientCheck.Result> results = GradientCheck.check(model, run);
    assertThat(results).isNotEmpty();
    for (GradientCheck.Result result : results) {
      assertThat(result.worstRelativeError()).as(result.toString()).isLessThanOrEqualTo(1e-6);
    }
    return files;
  }

  /** Fails if the text holds a backslash that Java would read as the start of a Unicode escape. */
  static void assertNoUnicodeEscape(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) != '\\') {
        continue;
      }
      int run = 0;
      while (i < text.length() && text.charAt(i) == '\\') {
        run++;
        i++;
      }
      // In a run of backslashes only the odd-numbered ones can start an escape; the last one
      // does when the run is odd and a 'u' follows.
      assertThat(run % 2 == 1 && i < text.length() && text.charAt(i) == 'u')
          .as("a Unicode escape at offset %d: %s", i, text.substring(Math.max(0, i - 20), Math.min(text.length(), i + 20)))
          .isFalse();
    }
  }

  /** The Java text with comments and string and char literals removed. */
  static String codeOnly(String java) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < java.length()) {
      char c = java.charAt(i);
      if (java.startsWith("//", i)) {
        i = java.indexOf('\n', i);
        i = i < 0 ? java.length() : i;
      } else if (java.startsWith("/*", i)) {
        int end = java.indexOf("*/", i + 2);
        assertThat(end).as("an unterminated comment").isPositive();
        i = end + 2;
        out.append(' ');
      } else if (c == '"' || c == '\'') {
        i++;
        while (java.charAt(i) != c) {
          i += java.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
        out.append("\"\"");
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
