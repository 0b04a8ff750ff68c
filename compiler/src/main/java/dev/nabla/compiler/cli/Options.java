package dev.nabla.compiler.cli;

import dev.nabla.compiler.codegen.Precision;
import javax.lang.model.SourceVersion;
import picocli.CommandLine;

/** Validation of option values shared by several commands (bad values are usage errors, 2). */
final class Options {
  private Options() {}

  static Precision precision(String value, CommandLine cli) {
    return switch (value) {
      case "float" -> Precision.FLOAT;
      case "double" -> Precision.DOUBLE;
      default -> throw new CommandLine.ParameterException(cli, "--precision is float or double, not '" + value + "'");
    };
  }

  static void packageName(String value, CommandLine cli) {
    if (!value.isEmpty() && !SourceVersion.isName(value)) {
      throw new CommandLine.ParameterException(cli, "--package needs a Java package name, not '" + value + "'");
    }
  }
}
