package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.testing.DenseChain;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compile --check} accepts exactly what the other commands accept (issue 12, item 17): the
 * limit on operations counts the derivative program, which only exists once it is made.
 */
class CompileCheckRunsEveryCheckTest {
  @TempDir Path dir;

  @Test
  void theOperationLimitOfTheDerivativeFailsCheckLikeCompile() {
    Path file = Cli.write(dir, "deep.nn", DenseChain.of(3_000));
    for (Object[] args : new Object[][] {{"compile", file, "--check"}, {"compile", file, "-d", dir.resolve("out")}}) {
      Cli.Result r = Cli.run(args);
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.err()).contains("deep.nn:1:7: error: model 'Deep' and its derivative have ")
          .contains(" operations; the limit is 50000");
    }
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void checkStillWritesNothing() {
    Path file = Cli.write(dir, "small.nn", DenseChain.of(2));
    Cli.Result r = Cli.run("compile", file, "--check", "-d", dir.resolve("out"));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out() + r.err()).isEmpty();
    assertThat(dir.resolve("out")).doesNotExist();
  }
}
