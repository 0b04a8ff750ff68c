package dev.nabla.compiler.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nabla} command line. Exit codes: 0 success, 1 the model or the data has errors
 * (diagnostics on stderr) or an output cannot be written (also standard output), 2 bad
 * command-line usage. {@code --help} and {@code --version} work on every command.
 */
@Command(
    name = "nabla",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
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

  /**
   * The runtime logs which kernels it uses (System.Logger, by default java.util.logging); the
   * command line prints that itself in its own words ({@link ModelCommand}), so the runtime's
   * logger shows only warnings here. Held in a field: java.util.logging forgets the level of a
   * logger nobody references.
   */
  private static final java.util.logging.Logger RUNTIME_LOG = java.util.logging.Logger.getLogger("dev.nabla.runtime");

  static {
    RUNTIME_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command, such as 'nabla compile'");
  }

  public static void main(String[] args) {
    // Standard output straight to its file descriptor, so that a write error (a full disk, a
    // closed pipe) reaches the check below with its reason instead of vanishing in System.out.
    System.exit(run(new FileOutputStream(FileDescriptor.out), System.err, args));
  }

  /** Runs one command line on {@code System.out} and {@code System.err} and returns its exit code. */
  public static int run(String... args) {
    return run(System.out, System.err, args);
  }

  /**
   * Runs one command line on the given standard streams; output that cannot be written (a full
   * disk, {@code /dev/full}) makes the exit code 1 with a message on {@code stderr}.
   */
  static int run(OutputStream stdout, OutputStream stderr, String... args) {
    StdoutCheck checked = new StdoutCheck(stdout);
    PrintWriter out = new PrintWriter(new OutputStreamWriter(checked, charset("stdout.encoding")), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, charset("stderr.encoding")), true);
    return run(out, err, checked::failure, args);
  }

  /**
   * Runs one command line and returns its exit code; everything the commands print goes to
   * {@code out} (results) and {@code err} (diagnostics, usage), with control characters made
   * visible ({@link VisibleText}). Tests call this.
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(out, err, () -> null, args);
  }

  private static int run(PrintWriter out, PrintWriter err, Supplier<IOException> stdoutFailure, String... args) {
    PrintWriter safeOut = new PrintWriter(VisibleText.writer(out), true);
    PrintWriter safeErr = new PrintWriter(VisibleText.writer(err), true);
    int code = execute(safeOut, safeErr, args);
    safeOut.flush();
    if ((safeOut.checkError() || out.checkError()) && code != ExitCodes.ERRORS) {
      code = failedStdout(safeErr, stdoutFailure.get());
    }
    safeErr.flush();
    return code;
  }

  private static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(Main::usageError);
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

  /**
   * A bad command line: the message and a one-line pointer to the command's help (not the whole
   * usage, which would bury the message), plus picocli's "Did you mean" for a misspelt command.
   */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine c = e.getCommandLine();
    PrintWriter w = c.getErr();
    String command = c.getCommandSpec().qualifiedName();
    w.println(command + ": " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, w);
    w.println("see '" + command + " --help'");
    w.flush();
    return ExitCodes.USAGE;
  }

  /** Standard output could not be written: the results are incomplete, so the run failed. */
  private static int failedStdout(PrintWriter err, IOException why) {
    String reason = why == null || why.getMessage() == null ? "" : ": " + why.getMessage();
    if (!reason.contains("Broken pipe")) {   // the reader left (| head): nothing to tell
      err.println("nabla: cannot write the output to standard output" + reason + "; it is incomplete");
      err.flush();
    }
    return ExitCodes.ERRORS;
  }

  /** Passes bytes to standard output and keeps the first write error (later writes are dropped). */
  private static final class StdoutCheck extends OutputStream {
    private final OutputStream out;
    private IOException failure;

    StdoutCheck(OutputStream out) {
      this.out = out;
    }

    IOException failure() {
      if (failure == null && out instanceof PrintStream ps && ps.checkError()) {
        failure = new IOException("write error");
      }
      return failure;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (failure != null) {
        throw failure;
      }
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public void flush() throws IOException {
      if (failure != null) {
        throw failure;
      }
      try {
        out.flush();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
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
