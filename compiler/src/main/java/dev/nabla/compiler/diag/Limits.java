package dev.nabla.compiler.diag;

/**
 * The documented limits of the compiler (docs/language.md, "Limits"; RELIABILITY.md). Each is
 * enforced with a diagnostic that names it, so that no input, however large or deep, ends in an
 * OutOfMemoryError, a StackOverflowError or a hang.
 */
public final class Limits {
  private Limits() {}

  /** Largest {@code .nn} source, in bytes (16 MiB). */
  public static final long MAX_SOURCE_BYTES = 16L * 1024 * 1024;

  /**
   * Deepest nesting of one expression: every operator, call, index, transpose, negation and pair
   * of parentheses is one level, so a chain {@code a + b + c} is 2 levels deep.
   */
  public static final int MAX_NESTING = 20_000;

  /** Deepest nesting of an expression once defs are inlined into it (defs calling defs). */
  public static final int MAX_INLINED_NESTING = 100_000;

  /**
   * Most expression nodes the checker may visit for one model, counting every inlined copy of a
   * def body: bounds the work of defs that call defs many times (exponential expansion).
   */
  public static final int MAX_EXPANSION = 2_000_000;

  /** Most nodes in one model's graph: its forward computation and its derivative program. */
  public static final int MAX_GRAPH_NODES = 50_000;

  /**
   * Most errors kept and shown for one file; more are counted ("... and N more errors"). A
   * file of random text can have an error every few characters.
   */
  public static final int MAX_ERRORS = 1_000;

  /** Most warnings kept and shown for one file; more are counted, like errors. */
  public static final int MAX_WARNINGS = 1_000;

  /**
   * Longest name (of a model, def, value or parameter), in characters. Names become Java
   * identifiers and, for models, file names ({@code <Model>Forward.java}), which most file
   * systems limit to 255 bytes; no one writes a longer name on purpose.
   */
  public static final int MAX_NAME_LENGTH = 100;

  /** Most elements of any one value (declared or computed), per instance: 2^28. */
  public static final long MAX_ELEMENTS = 1L << 28;
}
