package dev.nabla.compiler.cli;

import dev.nabla.compiler.codegen.Precision;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --precision float|double} of the commands that run a model in either precision (bench,
 * eval, predict, train), as a picocli mixin: {@code @Mixin PrecisionOption precision;}.
 */
final class PrecisionOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--precision", paramLabel = "float|double", description = "float or double (default: float)")
  String value = "float";

  /** The chosen precision; a value other than float or double is a usage error of the command. */
  Precision get() {
    return Options.precision(value, mixee.commandLine());
  }
}
