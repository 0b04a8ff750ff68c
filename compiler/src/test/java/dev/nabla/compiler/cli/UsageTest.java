package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad command lines exit with 2 and say what is wrong in one line, followed by a pointer to the
 * command's help (not the whole usage, which would bury the message).
 */
class UsageTest {
  @TempDir Path dir;

  private static void assertUsageError(Cli.Result r, String message) {
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains(message).doesNotContain("Usage: nabla").doesNotContain("\tat ");
    assertThat(r.err().lines().toList().getLast()).matches("see 'nabla( [a-z]+)? --help'");
    assertThat(r.err().lines().count()).as(r.err()).isLessThanOrEqualTo(3);
  }

  @Test
  void unknownOption() {
    assertUsageError(Cli.run("compile", Cli.digits(dir), "--check", "--bogus"), "Unknown option: '--bogus'");
  }

  @Test
  void missingFile() {
    assertUsageError(Cli.run("compile", "--check"), "Missing required parameter: 'FILE'");
    assertUsageError(Cli.run("grad"), "Missing required parameter: 'FILE'");
  }

  @Test
  void badPrecision() {
    assertUsageError(Cli.run("compile", Cli.digits(dir), "--check", "--precision", "half"),
        "--precision is float or double, not 'half'");
    assertUsageError(Cli.run("eval", Cli.digits(dir), "--params", "P.npz", "--batch", "B.npz", "--precision", "int8"),
        "--precision is float or double, not 'int8'");
  }

  @Test
  void badFormat() {
    Path file = Cli.digits(dir);
    assertUsageError(Cli.run("grad", file, "--format", "html"), "--format is text or latex, not 'html'");
    assertUsageError(Cli.run("graph", file, "--format", "png"), "--format is dot or svg, not 'png'");
  }

  @Test
  void compileNeedsADirectoryUnlessChecking() {
    assertUsageError(Cli.run("compile", Cli.digits(dir)), "-d DIR");
  }

  @Test
  void badPackageName() {
    assertUsageError(Cli.run("compile", Cli.digits(dir), "-d", dir.resolve("out"), "--package", "a b"),
        "--package needs a Java package name, not 'a b'");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void noCommandOrAnUnknownCommand() {
    assertUsageError(Cli.run(), "name a command");
    Cli.Result r = Cli.run("evaluate", "digits.nn");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("'evaluate'").contains("Did you mean").contains("nabla eval");
  }

  @Test
  void requiredOptions() {
    Path file = Cli.digits(dir);
    assertUsageError(Cli.run("init", file, "--seed", "1"), "nabla init: Missing required option: '-o=P.npz'");
    assertUsageError(Cli.run("eval", file, "--params", "P.npz"), "Missing required option: '--batch=B.npz'");
  }

  @Test
  void wrtMustNameAParamOrGradInput() {
    assertUsageError(Cli.run("grad", Cli.digits(dir), "--wrt", "z1"),
        "--wrt names a param or grad input of Digits; 'z1' is neither (its params are W1, b1, W2, b2)");
    assertUsageError(Cli.run("grad", Cli.digits(dir), "--wrt", "x"), "'x' is an input without 'grad'; declare it "
        + "'input x[64] grad;' for its gradient (its params are W1, b1, W2, b2)");
  }

  @Test
  void modelIsRequiredWhenTheFileHasSeveral() {
    Path two = Cli.write(dir, "two.nn", """
        model Alpha { input x[2]; target d[1]; param w[1, 2]; output y = w @ x; loss L = l2(y, d); }
        model Beta  { input x[3]; target d[1]; param w[1, 3]; output y = w @ x; loss L = l2(y, d); }
        """);
    for (String command : new String[] {"grad", "graph", "check"}) {
      assertUsageError(Cli.run(command, two), "two.nn has models Alpha, Beta: choose one with --model");
    }
    assertUsageError(Cli.run("init", two, "--seed", "1", "-o", dir.resolve("P.npz")), "choose one with --model");
    assertThat(dir.resolve("P.npz")).doesNotExist();
    assertUsageError(Cli.run("grad", two, "--model", "Gamma"), "two.nn has no model 'Gamma' (it has Alpha, Beta)");

    Cli.Result r = Cli.run("grad", two, "--model", "Beta");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("dw = outer(y - d, x);");
    // compile writes every model of the file; it needs no --model
    assertThat(Cli.run("compile", two, "--check").code()).isZero();
  }

  @Test
  void helpAndVersionSucceed() {
    Cli.Result help = Cli.run("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("compile").contains("grad").contains("graph").contains("check")
        .contains("eval").contains("init");
    Cli.Result version = Cli.run("--version");
    assertThat(version.code()).isZero();
    assertThat(version.out()).startsWith("nabla ");
    assertThat(Cli.run("help", "grad").out()).contains("--wrt");
  }

  /** Issue 12, item 19: {@code --help} and {@code -h} work on every command, despite its required options. */
  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"compile", "grad", "graph", "check", "eval", "init", "train", "predict", "bench"}) {
      for (String flag : new String[] {"--help", "-h"}) {
        Cli.Result r = Cli.run(command, flag);
        assertThat(r.code()).as(command + " " + flag + "\n" + r).isZero();
        assertThat(r.out()).startsWith("Usage: nabla " + command).contains("--help");
        assertThat(r.err()).isEmpty();
      }
    }
    assertThat(Cli.run("train", "--help").out()).contains("--data").contains("--standardize");
  }

  /** Issue 12, item 22: {@code init} defaults its seed to 1, as {@code train} does. */
  @Test
  void initDefaultsItsSeedLikeTrain() throws java.io.IOException {
    Path file = Cli.digits(dir);
    Cli.Result r = Cli.run("init", file, "-o", dir.resolve("a.npz"));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(Cli.run("init", file, "--seed", "1", "-o", dir.resolve("b.npz")).code()).isZero();
    assertThat(java.nio.file.Files.readAllBytes(dir.resolve("a.npz")))
        .isEqualTo(java.nio.file.Files.readAllBytes(dir.resolve("b.npz")));
  }

  /** A --data or --test that is neither a URI nor a path of this machine is a usage error, not a stack trace. */
  @Test
  void dataThatIsNoPathIsAUsageError() throws java.io.IOException {
    Path file = Cli.digits(dir);
    assertUsageError(Cli.run("train", file, "--data", "rows\u0000.csv"), "--data is not a path of this machine");
    assertUsageError(Cli.run("train", file, "--data", dir.resolve("rows.csv").toString(), "--test", "t\u0000.csv"),
        "--test is not a path of this machine");
  }
}
