package dev.nabla.compiler.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the whole compile pipeline (see {@link CompilePipeline}) with
 * Jazzer, seeded from the sample models.
 *
 * <p>In a normal build ({@code mvn verify}) this runs in regression mode: every input saved under
 * {@code src/test/resources/dev/nabla/compiler/fuzz/PipelineFuzzTestInputs/compile/} (the
 * samples, inputs the fuzzer found interesting, and every crash found so far) goes through the
 * pipeline, and its generated Java is compiled with {@code -Xlint:all -Werror}. With
 * {@code JAZZER_FUZZ=1} Jazzer mutates the inputs for {@code maxDuration}; a crash is written
 * into that directory as a new regression input. javac is slow next to the rest of the
 * pipeline, so while fuzzing it runs only when {@code NABLA_FUZZ_JAVAC=1}. RELIABILITY.md has the
 * commands.
 */
class PipelineFuzzTest {
  private static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null;
  private static final boolean JAVAC = !FUZZING || System.getenv("NABLA_FUZZ_JAVAC") != null;

  @FuzzTest(maxDuration = "5m")
  @DictionaryFile(resourcePath = "nn.dict")
  void compile(byte[] data) {
    CompilePipeline.run(data, JAVAC, 20_000);
  }
}
