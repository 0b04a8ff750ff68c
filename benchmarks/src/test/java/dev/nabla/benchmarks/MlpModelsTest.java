package dev.nabla.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.codegen.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model files under {@code benchmarks/models}, which {@code nabla bench} runs, are the very
 * networks the JMH benchmark builds (and torch_reference.py times), and they compile.
 */
class MlpModelsTest {
  @ParameterizedTest
  @ValueSource(strings = {"64-32-10", "784-256-128-10", "784-1024-1024-10"})
  void modelFileIsTheBenchmarkedNetwork(String sizes) throws IOException {
    String file = Files.readString(Path.of("models", "mlp-" + sizes + ".nn"));
    String withoutComments = file.lines().filter(l -> !l.startsWith("#"))
        .reduce("", (a, b) -> a + b + "\n");
    assertThat(withoutComments).isEqualTo(Mlp.source(Mlp.parse(sizes)));
    assertThat(Mlp.compile(file, Precision.FLOAT).name()).isEqualTo("Mlp");
  }
}
