package dev.nabla.compiler.cli;

import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.parse.BigStack;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import dev.nabla.compiler.print.GraphDot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nabla graph FILE.nn}: the computation graph as an influence diagram. */
@Command(name = "graph", description = "Write the computation graph (or with --grad the derivative graph) as Graphviz DOT or SVG.")
final class GraphCommand implements Callable<Integer> {
  static final String NO_DOT =
      "Graphviz's 'dot' program was not found; install it (Debian: apt-get install graphviz) or use --format dot";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin WarningsOption warnings;

  @Parameters(paramLabel = "FILE", description = "the .nn model file")
  Path file;

  @Option(names = "--model", paramLabel = "M", description = "the model (when the file has several)")
  String modelName;

  @Option(names = "--grad", description = "the derivative graph: local derivative rules on the edges")
  boolean grad;

  @Option(names = "--format", paramLabel = "dot|svg",
      description = "output format (default: svg for an -o file named *.svg, else dot)")
  String format;

  @Option(names = "-o", paramLabel = "OUT", description = "output file (default: standard output)")
  Path output;

  @Override
  public Integer call() {
    String format = format();
    if (output != null) {
      Outputs.check(spec.commandLine(), "-o", output, new Outputs.Input("the model file", file));
    }
    return BigStack.run(() -> {
      try {
        Frontend.Result result = Loaded.frontend(file, spec.commandLine().getErr(), warnings.werror);
        CheckedModel model = Loaded.model(result, modelName, spec.commandLine());
        Diagnostics diagnostics = new Diagnostics();
        Derivation d = Derivation.of(model, diagnostics);
        if (d == null) {
          spec.commandLine().getErr().print(DiagnosticRenderer.renderAll(diagnostics));
          return ExitCodes.ERRORS;
        }
        String dot = grad ? GraphDot.derivative(d.program()) : GraphDot.forward(model, d.program().forward());
        byte[] bytes = dot.getBytes(StandardCharsets.UTF_8);
        if (format.equals("svg")) {
          bytes = renderSvg(bytes);
          if (bytes == null) {
            return ExitCodes.ERRORS;
          }
        }
        if (output == null) {
          PrintWriter out = spec.commandLine().getOut();
          out.print(new String(bytes, StandardCharsets.UTF_8));
          out.flush();
        } else {
          Outputs.write(output, bytes);
        }
        return ExitCodes.OK;
      } catch (Loaded.Exit exit) {
        return exit.code;
      }
    });
  }

  /** {@code --format}, else what the name of the {@code -o} file says ({@code .svg}), else dot. */
  private String format() {
    if (format == null) {
      boolean svg = output != null && output.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".svg");
      return svg ? "svg" : "dot";
    }
    if (!format.equals("dot") && !format.equals("svg")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--format is dot or svg, not '" + format + "'");
    }
    return format;
  }

  /** Runs Graphviz's {@code dot -Tsvg}; null (after a message) when it is not installed or fails. */
  private byte[] renderSvg(byte[] dot) throws IOException, InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Process process;
    try {
      process = new ProcessBuilder("dot", "-Tsvg").start();
    } catch (IOException notFound) {
      err.println("nabla: " + NO_DOT);
      err.flush();
      return null;
    }
    // dot's diagnostics are read on the side, so that neither pipe can fill up and block it.
    CompletableFuture<byte[]> diagnostics = CompletableFuture.supplyAsync(() -> {
      try {
        return process.getErrorStream().readAllBytes();
      } catch (IOException e) {
        return new byte[0];
      }
    }, runnable -> Thread.ofVirtual().start(runnable));
    try (var in = process.getOutputStream()) {
      in.write(dot);
    }
    byte[] svg = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      err.println("nabla: Graphviz's dot did not finish within 60 s");
      err.flush();
      return null;
    }
    String messages = new String(diagnostics.join(), StandardCharsets.UTF_8).strip();
    if (process.exitValue() != 0) {
      err.println("nabla: Graphviz's dot failed to render the graph (exit " + process.exitValue() + ")"
          + (messages.isEmpty() ? "" : ":\n" + messages));
      err.flush();
      return null;
    }
    return svg;
  }
}
