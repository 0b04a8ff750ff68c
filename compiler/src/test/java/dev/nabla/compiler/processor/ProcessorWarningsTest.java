package dev.nabla.compiler.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Warnings about a model (an unused param, issue 12 item 24) are javac warnings at the
 * annotation, with the model's line and caret; {@code -Anabla.werror} makes them errors and
 * nothing is generated.
 */
class ProcessorWarningsTest {
  static final String UNUSED = NablaProcessorTest.XOR.replace("  param  b2[1]    = zeros;",
      "  param  b2[1]    = zeros;\n  param  spare[3];");

  static final String WARNING = Messages.IN_MODEL + NablaProcessorTest.INLINE
      + ":8:10: warning: param 'spare' is not used: it does not reach the loss or an output"
      + NablaProcessorTest.shown("  param  spare[3];", 10);

  @Test
  void anUnusedParamIsAJavacWarning() {
    Compilation c = NablaProcessorTest.compile(List.of(), NablaProcessorTest.inlineModels("p.Models", UNUSED));
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining(WARNING);
    assertThat(c).hadWarningCount(1);
    assertThat(c).generatedSourceFile("p.Xor");
  }

  @Test
  void werrorMakesItAnErrorAndGeneratesNothing() {
    Compilation c = NablaProcessorTest.compile(List.of("-Anabla.werror=true"),
        NablaProcessorTest.inlineModels("p.Models", UNUSED));
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(WARNING);
    assertThat(c).hadErrorCount(1);
    c = NablaProcessorTest.compile(List.of("-Anabla.werror=sometimes"), NablaProcessorTest.inlineModels("p.Models", UNUSED));
    assertThat(c).hadErrorContaining(String.format(Messages.BAD_WERROR, "sometimes"));
  }

  @Test
  void aModelWithoutUnusedNamesHasNoWarning() {
    Compilation c = NablaProcessorTest.compile(List.of("-Anabla.werror"),
        NablaProcessorTest.inlineModels("p.Models", NablaProcessorTest.XOR));
    assertThat(c).succeededWithoutWarnings();
  }
}
