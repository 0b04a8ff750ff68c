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

  /** Issue 15's tensors: layout ops, products of rank-3 stacks and softmax along an axis. */
  @Test
  void theDefaultSeedsWriteLayoutOpsStackProductsAndAxisSoftmax() {
    List<String> sources = LongStream.range(RandomModelTest.DEFAULT_SEED, RandomModelTest.DEFAULT_SEED + RandomModelTest.DEFAULT_COUNT)
        .mapToObj(seed -> RandomModel.generate(seed).render())
        .toList();
    java.util.Map<String, java.util.regex.Pattern> constructs = new java.util.LinkedHashMap<>();
    constructs.put("reshape", java.util.regex.Pattern.compile("reshape\\("));
    constructs.put("flatten", java.util.regex.Pattern.compile("flatten\\("));
    constructs.put("transpose with a perm of 3 axes", java.util.regex.Pattern.compile("transpose\\(.*, \\[\\d, \\d, \\d\\]\\)"));
    constructs.put("a slice", java.util.regex.Pattern.compile("\\[(:, )?-?\\d*:-?\\d*\\]"));
    constructs.put("a subscript on axis 1", java.util.regex.Pattern.compile("\\[:, -?\\d\\]"));
    constructs.put("concat with axis", java.util.regex.Pattern.compile("concat\\(.*axis=[12]\\)"));
    constructs.put("stack with axis", java.util.regex.Pattern.compile("stack\\(.*axis=\\d\\)"));
    constructs.put("a rank-3 param", java.util.regex.Pattern.compile("param T\\d+\\[(\\d|D\\d), (\\d|D\\d), (\\d|D\\d)\\]"));
    constructs.put("a product of a stack and a transposed stack", java.util.regex.Pattern.compile("@ \\(.*\\)\\.T|@ T\\d+\\.T"));
    constructs.put("softmax along an axis", java.util.regex.Pattern.compile("softmax\\(.*, axis=-?\\d\\)"));
    constructs.forEach((what, pattern) -> assertThat(sources.stream().filter(s -> pattern.matcher(s).find()).count())
        .as("random models containing %s", what)
        .isGreaterThanOrEqualTo(3));
  }
}
