package dev.nabla.compiler.ast;

/**
 * Where a piece of the AST came from: the 1-based line and column of its first character (for
 * an operator node: of the operator token), and its character offsets [start, end) in the source.
 */
public record Span(int line, int column, int start, int end) {
  /** A span for nodes the compiler makes itself (no source text). */
  public static final Span NONE = new Span(0, 0, 0, 0);

  public boolean isKnown() {
    return line > 0;
  }

  @Override
  public String toString() {
    return line + ":" + column;
  }
}
