package dev.nabla.compiler.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Makes text safe to show on a terminal: control characters that a model file, a CSV header or
 * a file name could carry (an escape sequence retitles or clears a terminal, a carriage return
 * overwrites the line, bidirectional overrides reorder it) are shown as {@code \x1b}, {@code \r},
 * {@code \u202e}. Tab and line feed stay. Everything {@code nabla} prints goes through
 * {@link #writer}, so no message can forget it.
 */
final class VisibleText {
  private VisibleText() {}

  /** A writer that passes text to {@code out} with unsafe characters escaped. */
  static Writer writer(Writer out) {
    return new FilterWriter(out) {
      @Override
      public void write(int c) throws IOException {
        out.write(escape(String.valueOf((char) c)));
      }

      @Override
      public void write(char[] chars, int off, int len) throws IOException {
        out.write(escape(new String(chars, off, len)));
      }

      @Override
      public void write(String s, int off, int len) throws IOException {
        out.write(escape(s.substring(off, off + len)));
      }
    };
  }

  /** {@code s} with every unsafe character escaped (the same string when there is none). */
  static String escape(String s) {
    int i = 0;
    while (i < s.length() && !unsafe(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!unsafe(c) || (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n')) {
        sb.append(c);   // a CR of a CRLF line end (Windows' line separator) stays
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c < 0x100) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    return sb.toString();
  }

  /** C0 controls but tab and line feed, DEL, C1 controls, and the bidirectional controls. */
  private static boolean unsafe(char c) {
    return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f)
        || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
        || c == 0x061c;
  }
}
