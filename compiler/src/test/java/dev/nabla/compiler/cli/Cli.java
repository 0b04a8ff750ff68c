package dev.nabla.compiler.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: runs {@code nabla} in-process and captures what it prints. */
final class Cli {
  /** What one command line did: its exit code and everything it printed on each stream. */
  record Result(int code, String out, String err) {
    /** stderr without the line saying which kernels run ({@code nabla: using ...}). */
    String diagnostics() {
      return withoutKernelLine(err);
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
    }
  }

  private Cli() {}

  /** {@code err} without the line of the commands that run a model saying which kernels they use. */
  static String withoutKernelLine(String err) {
    return err.replaceAll("(?m)^nabla: using .*\\R", "");
  }

  static Result run(Object... args) {
    String[] strings = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      strings[i] = args[i].toString();
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), strings);
    return new Result(code, out.toString(), err.toString());
  }

  /** The text of a test resource next to this class, e.g. {@code digits.nn}. */
  static String resource(String name) {
    try (InputStream in = Cli.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + name);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code text} to {@code dir/name} and returns the path. */
  static Path write(Path dir, String name, String text) {
    try {
      return Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The spec's digits model (language.md, "A first example"), copied to {@code dir/digits.nn}. */
  static Path digits(Path dir) {
    return write(dir, "digits.nn", resource("digits.nn"));
  }
}
