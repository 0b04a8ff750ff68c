package dev.nabla.compiler.diag;

import dev.nabla.compiler.ast.Span;

/**
 * Formats diagnostics the way compilers do:
 *
 * <pre>
 * digits.nn:11:11: error: shape mismatch in '@': W1 is [32, 64] but x is [63]
 *   z1 = W1 @ x + b1;
 *           ^
 * </pre>
 *
 * The source line is shown with two spaces of indent; the caret line keeps the tabs of the
 * source line so that the caret sits under the right character.
 */
public final class DiagnosticRenderer {
  private DiagnosticRenderer() {}

  /** The first line only: {@code file:line:col: error: message}. */
  public static String header(Diagnostic d) {
    String where = d.source() == null ? "<unknown>" : d.source().path();
    Span s = d.span();
    String position = s.isKnown() ? where + ":" + s.line() + ":" + s.column() : where;
    return position + ": " + d.severity().label() + ": " + d.message();
  }

  /** The header, the source line and the caret line, joined by newlines (no trailing newline). */
  public static String render(Diagnostic d) {
    StringBuilder out = new StringBuilder(header(d));
    Span s = d.span();
    if (d.source() != null && s.isKnown()) {
      String line = d.source().line(s.line());
      out.append('\n').append("  ").append(line);
      out.append('\n').append("  ").append(caretPrefix(line, s.column())).append('^');
    }
    return out.toString();
  }

  /** Every diagnostic in source order, each rendered, separated by newlines, ending with one. */
  public static String renderAll(Diagnostics diagnostics) {
    StringBuilder out = new StringBuilder();
    for (Diagnostic d : diagnostics.sorted()) {
      out.append(render(d)).append('\n');
    }
    return out.toString();
  }

  private static String caretPrefix(String line, int column) {
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < column - 1; i++) {
      prefix.append(i < line.length() && line.charAt(i) == '\t' ? '\t' : ' ');
    }
    return prefix.toString();
  }
}
