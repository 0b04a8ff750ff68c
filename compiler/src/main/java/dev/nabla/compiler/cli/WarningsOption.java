package dev.nabla.compiler.cli;

import picocli.CommandLine.Option;

/**
 * {@code --werror} (or {@code -Werror}, as javac spells it): warnings about the model (such as an
 * unused param) fail the command like errors. Without it they are printed and the command goes on.
 */
final class WarningsOption {
  @Option(names = {"--werror", "-Werror"}, description = "treat warnings about the model as errors")
  boolean werror;
}
