package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warnings on the command line (issue 12, item 24): printed like errors, with file, line, column
 * and caret, and the command goes on (exit 0); {@code --werror} or {@code -Werror} makes them fail
 * the command with exit 1 before it does anything.
 */
class WarningsCliTest {
  @TempDir Path dir;

  static final String MODEL = """
      model M {
        input x[5]; target d[5];
        param w[5]; param unused[5];
        output y = w * x;
        loss L = l2(y, d);
      }
      """;

  static final String WARNING = """
      m.nn:3:21: warning: param 'unused' is not used: it does not reach the loss or an output
          param w[5]; param unused[5];
                            ^
      """;

  @Test
  void gradPrintsTheWarningAndTheProgram() {
    Cli.Result r = Cli.run("grad", Cli.write(dir, "m.nn", MODEL));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).endsWith(WARNING);
    assertThat(r.out()).contains("dw = ");
  }

  @Test
  void werrorFailsEveryKindOfCommand() {
    Path file = Cli.write(dir, "m.nn", MODEL);
    for (String flag : new String[] {"--werror", "-Werror"}) {
      for (Object[] args : new Object[][] {
          {"grad", file, flag}, {"compile", file, "--check", flag}, {"graph", file, flag}, {"check", file, flag}}) {
        Cli.Result r = Cli.run(args);
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).as(r.toString()).isEmpty();
        assertThat(r.err()).endsWith(WARNING + "1 warning, which --werror makes errors\n");
      }
    }
  }

  @Test
  void compileWritesItsSourcesDespiteAWarning() {
    Cli.Result r = Cli.run("compile", Cli.write(dir, "m.nn", MODEL), "-d", dir.resolve("out"));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).endsWith(WARNING);
    assertThat(dir.resolve("out/MBackward.java")).exists();
  }
}
