package dev.nabla.compiler.cli;

import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.InMemoryJavac;
import dev.nabla.compiler.codegen.ModelLoader;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.parse.BigStack;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.kernels.Gemm;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands that run a model (check, eval, init, ...): they compile it in memory, load the
 * generated classes and then work on the live model. Data problems end with exit code 1 and a
 * message naming the file, never a stack trace.
 */
abstract class ModelCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "the .nn model file")
  Path file;

  @Option(names = "--model", paramLabel = "M", description = "the model (when the file has several)")
  String modelName;

  @CommandLine.Mixin WarningsOption warnings;

  /** The precision to compile in. */
  abstract Precision precision();

  /**
   * Checks the command's options and output files before any work ({@link Outputs#check}): a
   * run must not end by finding that its output cannot be written or would overwrite an input.
   */
  void checkOptions() {}

  /** True to compile the model with per-phase timers ({@code bench --profile}). */
  boolean profile() {
    return false;
  }

  /** True for the commands that compute with the model (all but init). */
  boolean runsKernels() {
    return true;
  }

  /** Works on the loaded model; returns the exit code. */
  abstract int run(Model model, CheckedModel checked) throws Exception;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  @Override
  public final Integer call() {
    Precision precision = precision();
    checkOptions();
    return BigStack.run(() -> {
      try {
        Frontend.Result result = Loaded.frontend(file, err(), warnings.werror);
        CheckedModel checked = Loaded.model(result, modelName, spec.commandLine());
        Diagnostics diagnostics = new Diagnostics();
        Derivation d = Derivation.of(checked, diagnostics);
        if (d == null) {
          err().print(DiagnosticRenderer.renderAll(diagnostics));
          return ExitCodes.ERRORS;
        }
        Model model = ModelLoader.load(d, precision, profile());
        if (runsKernels()) {
          // The runtime only logs its choice of kernels; the command line says it, once, before
          // any progress bar.
          err().println("nabla: using " + Gemm.kernels());
          err().flush();
        }
        int code = run(model, checked);
        out().flush();
        return code;
      } catch (Loaded.Exit exit) {
        return exit.code;
      } catch (NablaDataException bad) {
        err().println("nabla: " + bad.getMessage());
        err().flush();
        return ExitCodes.ERRORS;
      } catch (java.io.IOException | java.io.UncheckedIOException e) {
        // An output that cannot be written (a missing directory, no permission): a user's problem.
        err().println("nabla: " + (e instanceof java.io.UncheckedIOException u ? u.getMessage()
            : DataLoading.cannotWrite((java.io.IOException) e)));
        err().flush();
        return ExitCodes.ERRORS;
      } catch (InMemoryJavac.CompilationFailed bug) {
        err().println("nabla: " + bug.getMessage());
        err().flush();
        return 70;
      }
    });
  }
}
