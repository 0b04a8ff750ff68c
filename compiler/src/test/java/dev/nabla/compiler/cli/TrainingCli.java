package dev.nabla.compiler.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs {@code nabla} in-process through {@link Main#run} and captures its exit code, stdout and stderr. */
record TrainingCli(int exit, String out, String err) {
  /** The repository root, seen from the compiler module where the tests run. */
  static final Path ROOT = Path.of("..");

  static synchronized TrainingCli run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      System.out.flush();
      System.err.flush();
      return new TrainingCli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** A path under the repository root, as a string for the command line. */
  static String repo(String relative) {
    return ROOT.resolve(relative).toString();
  }

  /** stderr without the line saying which kernels run ({@code nabla: using ...}). */
  String diagnostics() {
    return Cli.withoutKernelLine(err);
  }

  List<String> lines() {
    return out.lines().toList();
  }

  String lastLine() {
    return lines().getLast();
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
