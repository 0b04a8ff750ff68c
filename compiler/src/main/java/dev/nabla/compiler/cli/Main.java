package dev.nabla.compiler.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nabla} command line. Exit codes: 0 success, 1 the model or the data has errors
 * (diagnostics on stderr), 2 bad command-line usage.
 */
@Command(
    name = "nabla",
    mixinStandardHelpOptions = true,
    version = "nabla 0.1.0",
    description = "Symbolic differentiation compiler for neural networks.",
    subcommands = {
      CompileCommand.class,
      GradCommand.class,
      GraphCommand.class,
      CheckCommand.class,
      EvalCommand.class,
      InitCommand.class,
      TrainCommand.class,
      PredictCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Exit code of a bug in nabla itself (an exception nobody expected), as in sysexits.h. */
  static final int INTERNAL_ERROR = 70;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command, such as 'nabla compile'");
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command line on the standard streams and returns its exit code. */
  public static int run(String... args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset("stdout.encoding")), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charset("stderr.encoding")), true);
    return run(out, err, args);
  }

  /**
   * Runs one command line and returns its exit code; everything the commands print goes to
   * {@code out} (results) and {@code err} (diagnostics, usage). Tests call this.
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter w = commandLine.getErr();
          UncheckedIOException io = ioFailure(e);
          if (io != null) {
            // Output that cannot be written (a missing directory, no permission, a full disk)
            // is the user's environment, not a bug: a message, no stack trace.
            w.println("nabla: " + io.getMessage());
            w.flush();
            return ExitCodes.ERRORS;
          }
          w.println("nabla: internal error, please report: " + e);
          e.printStackTrace(w);
          w.flush();
          return INTERNAL_ERROR;
        });
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The I/O failure at the root of {@code e}, with a message naming the file, or null. */
  private static UncheckedIOException ioFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UncheckedIOException u) {
        return u;
      }
      if (t instanceof IOException io) {
        return Outputs.failure(null, io);
      }
    }
    return null;
  }

  /** The charset the JDK chose for a standard stream, else the default (UTF-8). */
  private static Charset charset(String property) {
    String name = System.getProperty(property);
    try {
      return name != null ? Charset.forName(name) : Charset.defaultCharset();
    } catch (RuntimeException unknown) {
      return Charset.defaultCharset();
    }
  }
}
