package dev.nabla.compiler.cli;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.parse.SourceReader;
import dev.nabla.compiler.pipeline.Frontend;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/**
 * Reads, parses and checks a model file for a command, printing diagnostics, and picks the
 * model the command is about ({@code --model}, or the only one).
 */
final class Loaded {
  /** A failure that ends the command with an exit code after its message was printed. */
  static final class Exit extends RuntimeException {
    final int code;

    Exit(int code) {
      super(null, null, false, false);
      this.code = code;
    }
  }

  private Loaded() {}

  /**
   * Parses and checks {@code file}, printing its diagnostics; on errors (or warnings, with
   * {@code werror}) throws {@link Exit}.
   */
  static Frontend.Result frontend(Path file, PrintWriter err, boolean werror) {
    Diagnostics diagnostics = new Diagnostics();
    Source source = SourceReader.read(file, diagnostics);
    if (source == null) {
      err.print(DiagnosticRenderer.renderAll(diagnostics));
      err.flush();
      throw new Exit(ExitCodes.ERRORS);
    }
    Frontend.Result result = Frontend.run(source);
    if (!result.diagnostics().sorted().isEmpty()) {
      err.print(DiagnosticRenderer.renderAll(result.diagnostics()));
      err.flush();
    }
    if (!result.ok()) {
      int errors = result.diagnostics().errorCount();
      err.println(errors + (errors == 1 ? " error" : " errors"));
      err.flush();
      throw new Exit(ExitCodes.ERRORS);
    }
    int warnings = result.diagnostics().warningCount();
    if (werror && warnings > 0) {
      err.println(warnings + (warnings == 1 ? " warning" : " warnings") + ", which --werror makes errors");
      err.flush();
      throw new Exit(ExitCodes.ERRORS);
    }
    return result;
  }

  /** The model a command is about. */
  static CheckedModel model(Frontend.Result result, String name, CommandLine cli) {
    CheckedModel m = result.model(name);
    if (m != null) {
      return m;
    }
    List<String> names = result.models().stream().map(CheckedModel::name).toList();
    String message =
        name == null
            ? result.source().path() + " has models " + String.join(", ", names) + ": choose one with --model"
            : result.source().path() + " has no model '" + name + "' (it has " + String.join(", ", names) + ")";
    throw new CommandLine.ParameterException(cli, message);
  }
}
