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
      int column = s.column();
      if (line.length() > MAX_SHOWN) {
        // Show a window around the caret: a 16 MiB line quoted per error would be gigabytes.
        int start = Math.max(0, Math.min(column - 1 - MAX_SHOWN / 2, line.length() - MAX_SHOWN));
        int end = Math.min(line.length(), start + MAX_SHOWN);
        String before = start > 0 ? "..." : "";
        line = before + line.substring(start, end) + (end < line.length() ? "..." : "");
        column = column - start + before.length();
      }
      out.append('\n').append("  ").append(line);
      out.append('\n').append("  ").append(caretPrefix(line, column)).append('^');
    }
    return out.toString();
  }

  /** The most characters of a source line shown under a message; longer lines are cut. */
  static final int MAX_SHOWN = 200;

  /** Every diagnostic in source order, each rendered, separated by newlines, ending with one. */
  public static String renderAll(Diagnostics diagnostics) {
    StringBuilder out = new StringBuilder();
    for (Diagnostic d : diagnostics.sorted()) {
      out.append(render(d)).append('\n');
    }
    if (diagnostics.dropped() > 0) {
      out.append("... and ").append(diagnostics.dropped()).append(" more errors, not shown (only the first ")
          .append(Limits.MAX_ERRORS).append(" are)\n");
    }
    if (diagnostics.droppedWarnings() > 0) {
      out.append("... and ").append(diagnostics.droppedWarnings())
          .append(" more warnings, not shown (only the first ").append(Limits.MAX_WARNINGS).append(" are)\n");
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
