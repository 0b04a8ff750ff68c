package dev.nabla.compiler.cli;

import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.parse.BigStack;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import dev.nabla.compiler.print.GradLatex;
import dev.nabla.compiler.print.GradText;
import dev.nabla.compiler.print.ProgramLayout;
import dev.nabla.compiler.print.Trace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nabla grad FILE.nn}: prints the simplified derivative program. */
@Command(
    name = "grad",
    description = "Print the simplified derivative program: one line per adjoint, ending with every gradient.")
final class GradCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin WarningsOption warnings;

  @Parameters(paramLabel = "FILE", description = "the .nn model file")
  Path file;

  @Option(names = "--model", paramLabel = "M", description = "the model (when the file has several)")
  String modelName;

  @Option(names = "--wrt", paramLabel = "NAME", description = "only the gradient of this param or grad input")
  String wrt;

  @Option(names = "--format", paramLabel = "text|latex", description = "output format (default: text)")
  String format = "text";

  @Option(names = "--trace", description = "show the program before simplification and after each pass, with the rules that fired")
  boolean trace;

  @Override
  public Integer call() {
    if (!format.equals("text") && !format.equals("latex")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--format is text or latex, not '" + format + "'");
    }
    PrintWriter out = spec.commandLine().getOut();
    return BigStack.run(() -> {
      try {
        Frontend.Result result = Loaded.frontend(file, spec.commandLine().getErr(), warnings.werror);
        CheckedModel model = Loaded.model(result, modelName, spec.commandLine());
        if (wrt != null && !model.params().stream().anyMatch(p -> p.name().equals(wrt)) && !model.gradInputs().contains(wrt)) {
          throw new CommandLine.ParameterException(spec.commandLine(), wrongWrt(model));
        }
        Diagnostics diagnostics = new Diagnostics();
        Derivation d = Derivation.of(model, diagnostics);
        if (d == null) {
          spec.commandLine().getErr().print(DiagnosticRenderer.renderAll(diagnostics));
          return ExitCodes.ERRORS;
        }
        if (trace) {
          out.print(Trace.render(d));
        }
        ProgramLayout layout = ProgramLayout.of(d.program(), wrt);
        out.print(format.equals("latex") ? GradLatex.render(layout) : GradText.render(layout));
        out.flush();
        return ExitCodes.OK;
      } catch (Loaded.Exit exit) {
        return exit.code;
      }
    });
  }

  /** Why {@code --wrt} is wrong, with the names it can take and how to add an input's gradient. */
  private String wrongWrt(CheckedModel model) {
    List<String> params = model.params().stream().map(CheckedModel.ParamInfo::name).toList();
    String choices = "its params are " + (params.isEmpty() ? "none" : String.join(", ", params))
        + (model.gradInputs().isEmpty() ? "" : " and its grad inputs " + String.join(", ", model.gradInputs()));
    CheckedModel.Declared input = model.inputs().stream().filter(in -> in.name().equals(wrt)).findFirst().orElse(null);
    String why = input == null ? "'" + wrt + "' is neither"
        : "'" + wrt + "' is an input without 'grad'; declare it 'input " + wrt
            + (input.shape().rank() == 0 ? "" : input.shape().toString()) + " grad;' for its gradient";
    return "--wrt names a param or grad input of " + model.name() + "; " + why + " (" + choices + ")";
  }
}
