package dev.nabla.compiler.diag;

/** How bad a diagnostic is: an error stops compilation, a warning does not. */
public enum Severity {
  ERROR("error"),
  WARNING("warning"),
  NOTE("note");

  private final String label;

  Severity(String label) {
    this.label = label;
  }

  /** The word shown after the position, as in {@code digits.nn:3:5: error: ...}. */
  public String label() {
    return label;
  }
}
