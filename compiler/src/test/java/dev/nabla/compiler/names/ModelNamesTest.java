package dev.nabla.compiler.names;

import static org.assertj.core.api.Assertions.assertThat;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.CodeGenerator;
import dev.nabla.compiler.codegen.InMemoryJavac;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Names the generated Java could not carry (issue 12, items 13 and 14): names over the length
 * limit, and model names whose classes would hide a {@code java.lang} class from their sibling
 * classes. Each is an error at the name, with the exact message below; names just inside the
 * rules give sources that javac compiles.
 */
class ModelNamesTest {
  private static final String BODY = "{ input x[2]; param w[2]; output y = w * x; loss L = sum(y); }";

  private static Arguments bad(String name, String source, String... errors) {
    return Arguments.of(name, source, List.of(errors));
  }

  static Stream<Arguments> table() {
    String a101 = "a".repeat(101);
    return Stream.of(
        bad("a param name one over the limit",
            "model M { input x[2]; param " + a101 + "[2]; loss L = sum(" + a101 + " * x); }\n",
            "test.nn:1:29: error: the name 'aaaaaaaaaaaaaaaaaaaaaaaa...aaaaaaaa' (101 characters) is longer than"
                + " 100 characters, the limit for a name",
            "test.nn:1:148: error: the name 'aaaaaaaaaaaaaaaaaaaaaaaa...aaaaaaaa' (101 characters) is longer than"
                + " 100 characters, the limit for a name"),
        bad("a model name of 300 characters (a file name too long for the file system)",
            "model " + "N".repeat(299) + "z " + BODY + "\n",
            "test.nn:1:7: error: the name 'NNNNNNNNNNNNNNNNNNNNNNNN...NNNNNNNz' (300 characters) is longer than"
                + " 100 characters, the limit for a name"),
        bad("a long def name and parameter",
            "def " + "f".repeat(120) + "(" + "p".repeat(130) + ") = 1;\nmodel M " + BODY + "\n",
            "test.nn:1:5: error: the name 'ffffffffffffffffffffffff...ffffffff' (120 characters) is longer than"
                + " 100 characters, the limit for a name",
            "test.nn:1:126: error: the name 'pppppppppppppppppppppppp...pppppppp' (130 characters) is longer than"
                + " 100 characters, the limit for a name"),
        bad("a long misspelled keyword is quoted shortened",
            "model M { " + "q".repeat(200) + " x[2]; }\n",
            "test.nn:1:11: error: unknown declaration 'qqqqqqqqqqqqqqqqqqqqqqqq...qqqqqqqq' (200 characters):"
                + " expected input, target, param, hyper, output, loss, dim, or an assignment"
                + " 'qqqqqqqqqqqqqqqqqqqqqqqq...qq = ...' (206 characters)",
            "test.nn:1:11: error: the name 'qqqqqqqqqqqqqqqqqqqqqqqq...qqqqqqqq' (200 characters) is longer than"
                + " 100 characters, the limit for a name"),
        bad("a model named String breaks its siblings' String",
            "model String " + BODY + "\nmodel Net " + BODY + "\n",
            "test.nn:1:7: error: model 'String' would be generated as class String, which would hide"
                + " java.lang.String from the other generated classes of its package; rename it"),
        bad("Override, Math and IllegalArgumentException likewise, also written in lower case",
            "model override " + BODY + "\nmodel Math " + BODY + "\nmodel IllegalArgumentException " + BODY + "\n",
            "test.nn:1:7: error: model 'override' would be generated as class Override, which would hide"
                + " java.lang.Override from the other generated classes of its package; rename it",
            "test.nn:2:7: error: model 'Math' would be generated as class Math, which would hide"
                + " java.lang.Math from the other generated classes of its package; rename it",
            "test.nn:3:7: error: model 'IllegalArgumentException' would be generated as class"
                + " IllegalArgumentException, which would hide java.lang.IllegalArgumentException from"
                + " the other generated classes of its package; rename it"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void reportsExactlyTheseErrors(String name, String source, List<String> expected) {
    Frontend.Result result = Frontend.run(new Source("test.nn", source));
    assertThat(result.ok()).isFalse();
    assertThat(result.diagnostics().sorted())
        .extracting(DiagnosticRenderer::header)
        .containsExactlyElementsOf(expected);
  }

  @Test
  void aNameOfAMillionCharactersGivesAShortMessage() {
    String source = "model M { input x[2]; param " + "w".repeat(1_000_000) + "[2]; loss L = sum(x); }\n";
    Frontend.Result result = Frontend.run(new Source("test.nn", source));
    String all = DiagnosticRenderer.renderAll(result.diagnostics());
    assertThat(result.ok()).isFalse();
    assertThat(all).contains("(1000000 characters) is longer than 100 characters").hasSizeLessThan(1_000);
  }

  /**
   * Names at the limit, and names next to the refused ones ({@code Strings}, a model {@code Model}
   * like the runtime interface it implements), give sources that compile together in one package.
   */
  @Test
  void siblingsWithNamesInsideTheRulesCompileTogether() {
    String source = "model " + "N".repeat(100) + " " + BODY.replace("w", "w".repeat(100)) + "\n"
        + "model Strings " + BODY + "\nmodel Model " + BODY + "\nmodel NdArray " + BODY + "\nmodel Net " + BODY + "\n";
    Frontend.Result result = Frontend.run(new Source("test.nn", source));
    assertThat(DiagnosticRenderer.renderAll(result.diagnostics())).isEmpty();
    List<JavaFile> files = new ArrayList<>();
    for (CheckedModel m : result.models()) {
      Diagnostics diagnostics = new Diagnostics();
      Derivation d = Derivation.of(m, diagnostics);
      assertThat(d).isNotNull();
      files.addAll(CodeGenerator.generate(d, new CodeGenerator.Options("p", Precision.FLOAT)));
    }
    assertThat(files).hasSize(15);
    assertThat(InMemoryJavac.compile(files, List.of("-Xlint:all", "-Werror"))).isNotNull();
  }

  /** Without the check, a sibling's code does not compile: the reason for refusing the name. */
  @Test
  void aClassNamedStringBreaksItsSiblingsWhenGenerated() {
    assertThat(JavaIdentifiers.hiddenJavaLangClass("String")).isEqualTo("java.lang.String");
    assertThat(JavaIdentifiers.hiddenJavaLangClass("Strings")).isNull();
    assertThat(JavaIdentifiers.hiddenJavaLangClass("NetForward")).isNull();
  }
}
