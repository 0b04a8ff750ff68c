package dev.nabla.compiler.diag;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.ast.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Collects every diagnostic of one compilation. Phases report here and carry on, so that a user
 * sees all errors of a file at once, not just the first.
 */
public final class Diagnostics {
  private final List<Diagnostic> all = new ArrayList<>();

  public void error(Source source, Span span, String message) {
    add(new Diagnostic(Severity.ERROR, source, span, message));
  }

  public void warning(Source source, Span span, String message) {
    add(new Diagnostic(Severity.WARNING, source, span, message));
  }

  /** Errors past {@link Limits#MAX_ERRORS}: counted, not kept. */
  private int dropped;
  /** Warnings kept, and those past {@link Limits#MAX_WARNINGS}, counted but not kept. */
  private int warnings;
  private int droppedWarnings;

  public void add(Diagnostic diagnostic) {
    if (diagnostic.severity() == Severity.ERROR && (dropped > 0 || errorCount() >= Limits.MAX_ERRORS)) {
      dropped++;
      return;
    }
    if (diagnostic.severity() == Severity.WARNING && warnings >= Limits.MAX_WARNINGS) {
      droppedWarnings++;
      return;
    }
    // The same message at the same place is reported once (error recovery can repeat itself).
    for (Diagnostic d : all) {
      if (d.severity() == diagnostic.severity()
          && d.span().equals(diagnostic.span())
          && d.message().equals(diagnostic.message())
          && d.source() == diagnostic.source()) {
        return;
      }
    }
    all.add(diagnostic);
    if (diagnostic.severity() == Severity.WARNING) {
      warnings++;
    }
  }

  public boolean hasErrors() {
    return all.stream().anyMatch(d -> d.severity() == Severity.ERROR);
  }

  /** The number of errors, including those past the limit that are not kept. */
  public int errorCount() {
    return (int) all.stream().filter(d -> d.severity() == Severity.ERROR).count() + dropped;
  }

  /** The number of warnings, including those past the limit that are not kept. */
  public int warningCount() {
    return warnings + droppedWarnings;
  }

  /** The warnings reported past {@link Limits#MAX_WARNINGS}, which are counted but not kept. */
  public int droppedWarnings() {
    return droppedWarnings;
  }

  /** The errors reported past {@link Limits#MAX_ERRORS}, which are counted but not kept. */
  public int dropped() {
    return dropped;
  }

  /** All diagnostics, in source order (line, then column), stable for equal positions. */
  public List<Diagnostic> sorted() {
    List<Diagnostic> copy = new ArrayList<>(all);
    copy.sort(
        Comparator.comparing((Diagnostic d) -> d.source() == null ? "" : d.source().path())
            .thenComparingInt(d -> d.span().line())
            .thenComparingInt(d -> d.span().column()));
    return Collections.unmodifiableList(copy);
  }

  public List<Diagnostic> errors() {
    return sorted().stream().filter(d -> d.severity() == Severity.ERROR).toList();
  }
}
