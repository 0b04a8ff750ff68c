package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.testing.Compiled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generated source of the digits sample, pinned: a change to code generation shows up here as
 * a readable diff. To accept a deliberate change, run this test with
 * {@code -Dnabla.updateGolden=true} and review the files under src/test/resources/golden.
 */
class GoldenSourceTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

  @Test
  void digitsSample() throws IOException {
    String source = Files.readString(Path.of("..", "samples", "models", "digits.nn"));
    List<JavaFile> files =
        CodeGenerator.generate(Compiled.of(source).derivation, new CodeGenerator.Options("demo", Precision.FLOAT));
    for (JavaFile f : files) {
      Path golden = GOLDEN.resolve(f.typeSpec().name() + ".java.txt");
      String actual = f.toString().replace("test.nn", "digits.nn");
      if (Boolean.getBoolean("nabla.updateGolden")) {
        Files.createDirectories(GOLDEN);
        Files.writeString(golden, actual);
      }
      assertThat(actual).as(golden.toString()).isEqualTo(Files.readString(golden));
    }
  }

  @Test
  void generationIsDeterministic() throws IOException {
    String source = Files.readString(Path.of("..", "samples", "models", "digits.nn"));
    var options = new CodeGenerator.Options("demo", Precision.DOUBLE);
    String first = CodeGenerator.generate(Compiled.of(source).derivation, options).toString();
    String second = CodeGenerator.generate(Compiled.of(source).derivation, options).toString();
    assertThat(second).isEqualTo(first);
  }
}
