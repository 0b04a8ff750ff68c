package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compile --check} accepts exactly what the other commands accept (issue 12, item 17): the
 * limit on operations counts the derivative program, which only exists once it is made.
 */
class CompileCheckRunsEveryCheckTest {
  @TempDir Path dir;

  /** A chain of dense layers: 3,000 make about 20,000 forward and 60,000 derivative operations. */
  static String dense(int layers) {
    StringBuilder s = new StringBuilder("model Deep { input x[4]; target d[4]; param W[4, 4]; param b[4]; output Y = x; z0 = x;\n");
    for (int i = 1; i <= layers; i++) {
      s.append("z").append(i).append(" = tanh(W @ z").append(i - 1).append(" + b) * 0.9;\n");
    }
    return s.append("loss L = l2(z").append(layers).append(", d); }\n").toString();
  }

  @Test
  void theOperationLimitOfTheDerivativeFailsCheckLikeCompile() {
    Path file = Cli.write(dir, "deep.nn", dense(3_000));
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
    Path file = Cli.write(dir, "small.nn", dense(2));
    Cli.Result r = Cli.run("compile", file, "--check", "-d", dir.resolve("out"));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out() + r.err()).isEmpty();
    assertThat(dir.resolve("out")).doesNotExist();
  }
}
