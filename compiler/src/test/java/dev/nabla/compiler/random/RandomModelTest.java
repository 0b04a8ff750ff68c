package dev.nabla.compiler.random;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Random-model property test: {@value #DEFAULT_COUNT} random well-typed models per build (see
 * {@link RandomModel}), each checked for the properties of {@link ModelChecks}. A failing model
 * is shrunk ({@link Shrinker}) and the small model is written to
 * {@code target/random-models/seed-<seed>.nn}; save it under
 * {@code src/test/resources/dev/nabla/compiler/random/regressions/} (with the fix) and {@link
 * RandomModelRegressionTest} keeps it checked.
 *
 * <p>More models, other seeds: {@code -Dnabla.randomModels=500 -Dnabla.randomSeed=7}.
 */
class RandomModelTest {
  static final int DEFAULT_COUNT = 300;
  static final long DEFAULT_SEED = 20_261_123L;

  @TestFactory
  Stream<DynamicTest> randomModelsCompileCheckRoundTripAndAreDeterministic() {
    int count = Integer.getInteger("nabla.randomModels", DEFAULT_COUNT);
    long base = Long.getLong("nabla.randomSeed", DEFAULT_SEED);
    return LongStream.range(base, base + count)
        .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> check(seed)));
  }

  private static void check(long seed) throws IOException {
    RandomModel model = RandomModel.generate(seed);
    String source = model.render();
    ModelChecks.Failure failure = ModelChecks.failure(source);
    if (failure == null) {
      return;
    }
    RandomModel small = new Shrinker(s -> {
      ModelChecks.Failure f = ModelChecks.failure(s);
      return f != null && f.kind() == failure.kind();
    }, 400).shrink(model);
    String shrunk = small.render();
    Path out = Path.of("target", "random-models", "seed-" + seed + ".nn");
    Files.createDirectories(out.getParent());
    String why = String.valueOf(ModelChecks.failure(shrunk));
    Files.writeString(out, "# random model, seed " + seed + ", shrunk; fails with\n# "
        + why.lines().limit(5).reduce((a, b) -> a + "\n# " + b).orElse("") + "\n" + shrunk);
    assertThat(failure).as("seed %d, shrunk to %s:%n%s%nfailure of the shrunk model: %s%nfull model:%n%s",
        seed, out, shrunk, why, source).isNull();
  }
}
