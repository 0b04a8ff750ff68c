package dev.nabla.compiler.cli;

import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.runtime.Model;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nabla init FILE.nn --seed S -o P.npz}: freshly initialised params. */
@Command(name = "init", description = "Write freshly initialised params to an .npz file.")
final class InitCommand extends ModelCommand {
  @Option(names = "--seed", paramLabel = "S", required = true, description = "the seed")
  long seed;

  @Option(names = "-o", paramLabel = "P.npz", required = true, description = "the params file to write")
  Path output;

  @Option(names = "--precision", paramLabel = "float|double", description = "dtype of the written arrays (default: float)")
  String precision = "float";

  @Override
  Precision precision() {
    return Options.precision(precision, spec.commandLine());
  }

  @Override
  int run(Model model, CheckedModel checked) {
    model.initialize(seed);
    model.saveParams(output);
    return ExitCodes.OK;
  }
}
