package dev.nabla.compiler.random;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The random models of {@link RandomModelTest} do use version 2's syntax: over its seeds the
 * generator writes dims (in shapes and indices), every comparison operator and {@code where},
 * so the properties of {@link ModelChecks} are checked on them too. Generating is cheap; the
 * checking is {@link RandomModelTest}'s.
 */
class RandomModelCoverageTest {
  @Test
  void theDefaultSeedsWriteDimsComparisonsAndWhere() {
    List<String> sources = LongStream.range(RandomModelTest.DEFAULT_SEED, RandomModelTest.DEFAULT_SEED + RandomModelTest.DEFAULT_COUNT)
        .mapToObj(seed -> RandomModel.generate(seed).render())
        .toList();
    for (String construct : List.of("dim D4 = 2 * 2.0;", "[D", " - 1]", "where(", "log(", " < ", " <= ", " > ", " >= ", " == ", " != ")) {
      assertThat(sources.stream().filter(s -> s.contains(construct)).count())
          .as("random models containing '%s'", construct)
          .isGreaterThanOrEqualTo(3);
    }
  }
}
