package dev.nabla.compiler.ast;

import java.util.ArrayList;
import java.util.List;

/**
 * A model source text and the name it is reported under (a file path, or a name such as
 * {@code <inline>} for text that did not come from a file).
 */
public final class Source {
  private final String path;
  private final String text;
  private final int[] lineStarts;

  public Source(String path, String text) {
    this.path = path;
    this.text = text;
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
  }

  public String path() {
    return path;
  }

  /**
   * The last component of {@link #path()} ({@code digits.nn} for {@code models/digits.nn}): what
   * generated code names, so that its bytes do not depend on where the file was compiled from.
   */
  public String fileName() {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return slash >= 0 && slash < path.length() - 1 ? path.substring(slash + 1) : path;
  }

  public String text() {
    return text;
  }

  public int lineCount() {
    return lineStarts.length;
  }

  /** The text of a 1-based line, without its line terminator; empty when out of range. */
  public String line(int line) {
    if (line < 1 || line > lineStarts.length) {
      return "";
    }
    int start = lineStarts[line - 1];
    int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
    if (end > start && text.charAt(end - 1) == '\r') {
      end--;
    }
    return text.substring(start, Math.max(start, end));
  }
}
