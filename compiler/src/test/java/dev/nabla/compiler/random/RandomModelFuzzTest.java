package dev.nabla.compiler.random;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Structure-aware fuzzing: Jazzer's bytes drive the choices of the random-model generator
 * ({@link RandomModel}), so that coverage guidance explores model shapes, operator combinations
 * and code-generation paths rather than syntax, and every input is a valid model checked for
 * every property of {@link ModelChecks} (javac, finite differences, grad text, determinism).
 *
 * <p>In {@code mvn verify} it replays the saved inputs under
 * {@code src/test/resources/dev/nabla/compiler/random/RandomModelFuzzTestInputs/generatedModels/};
 * with {@code JAZZER_FUZZ=1} it fuzzes (see RELIABILITY.md). A finding is written there as a new
 * input; {@code ModelChecks.failure} on {@code RandomModel.generate(...).render()} shows the model.
 */
class RandomModelFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void generatedModels(FuzzedDataProvider data) {
    RandomModel model = RandomModel.generate(new RandomModel.Choices() {
      @Override
      public int nextInt(int bound) {
        return data.consumeInt(0, bound - 1);
      }

      @Override
      public double nextDouble() {
        return data.consumeProbabilityDouble();
      }
    }, "Fuzzed");
    String source = model.render();
    ModelChecks.Failure failure = ModelChecks.failure(source);
    if (failure != null) {
      throw new AssertionError(failure + "\nmodel:\n" + source);
    }
  }
}
