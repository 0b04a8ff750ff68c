package dev.nabla.compiler.random;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models that once failed a property of {@link ModelChecks} (shrunk random models, and models
 * written by hand around a bug), kept as plain regression tests: each must now pass them all.
 */
class RandomModelRegressionTest {
  static Stream<Path> models() throws IOException, URISyntaxException {
    Path dir = Path.of(RandomModelRegressionTest.class.getResource("regressions").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".nn")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void passesEveryProperty(Path file) throws IOException {
    assertThat(ModelChecks.failure(Files.readString(file))).as(file.toString()).isNull();
  }
}
