package dev.nabla.compiler.codegen;

/**
 * Makes text safe to put inside a generated Java comment or Javadoc. Text that quotes a model
 * (a source line, a file name) could otherwise end the comment ({@code *}{@code /}) or smuggle
 * in code through a Unicode escape, which Java decodes even inside comments: a backslash is
 * doubled so it can never start one, line breaks and other control characters and everything
 * outside printable ASCII become {@code ?}, and the comment terminator is broken up.
 */
final class Comments {
  private Comments() {}

  static String safe(String text) {
    StringBuilder s = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        s.append("\\\\");
      } else if (c < 0x20 || c > 0x7e) {
        s.append('?');
      } else {
        s.append(c);
      }
    }
    return s.toString().replace("*/", "* /").replace("/*", "/ *");
  }

  /** As {@link #safe}, and also HTML and tag characters escaped, for Javadoc. */
  static String javadoc(String text) {
    if (text.contains("\n")) {
      return String.join("\n", text.lines().map(Comments::javadoc).toList());
    }
    return safe(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("@", "&#64;")
        .replace("{", "&#123;")
        .replace("}", "&#125;");
  }
}
