package dev.nabla.compiler.cli;

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
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command, such as 'nabla compile'");
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command line and returns its exit code (tests call this). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("nabla: internal error, please report: " + e);
          e.printStackTrace(commandLine.getErr());
          return 70;
        });
    return cli.execute(args);
  }
}
