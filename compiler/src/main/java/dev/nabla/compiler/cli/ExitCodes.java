package dev.nabla.compiler.cli;

/** The exit codes of {@code nabla}, as the tools contract fixes them. */
final class ExitCodes {
  static final int OK = 0;
  static final int ERRORS = 1;
  static final int USAGE = 2;

  private ExitCodes() {}
}
