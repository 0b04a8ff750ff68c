package dev.nabla.compiler.cli;

import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.runtime.Model;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nabla init FILE.nn [--seed S] -o P.npz}: freshly initialised params. */
@Command(name = "init", description = "Write freshly initialised params to an .npz file.")
final class InitCommand extends ModelCommand {
  @Option(names = "--seed", paramLabel = "S", description = "seed of the initialisation (default: 1, as for train)")
  long seed = 1;

  @Option(names = "-o", paramLabel = "P.npz", required = true, description = "the params file to write")
  Path output;

  @Option(names = "--precision", paramLabel = "float|double", description = "dtype of the written arrays (default: float)")
  String precision = "float";

  @Override
  Precision precision() {
    return Options.precision(precision, spec.commandLine());
  }

  @Override
  boolean runsKernels() {
    return false;
  }

  @Override
  void checkOptions() {
    Outputs.check(spec.commandLine(), "-o", output, new Outputs.Input("the model file", file));
  }

  @Override
  int run(Model model, CheckedModel checked) {
    model.initialize(seed);
    ParamsFile.write(output, model, null);
    ParamsFile.removeOldSidecar(output);
    return ExitCodes.OK;
  }
}
