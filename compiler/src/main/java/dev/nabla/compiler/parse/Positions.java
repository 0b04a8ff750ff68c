package dev.nabla.compiler.parse;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.ast.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.antlr.v4.runtime.Token;

/**
 * Turns ANTLR token positions into {@link Span}s of the source text.
 *
 * <p>ANTLR counts code points; {@link Source} and the diagnostic renderer count Java chars
 * (UTF-16 units), so a character outside the BMP (an emoji in a comment) would shift every later
 * column by one. Spans are therefore computed here from char offsets, never from ANTLR's
 * {@code charPositionInLine}.
 */
final class Positions {
  private final String text;
  /** charOffset[i] = the char offset of code point i; null when the two coincide (no surrogates). */
  private final int[] charOffset;

  private final int[] lineStarts;

  Positions(Source source) {
    this.text = source.text();
    this.charOffset = codePointOffsets(text);
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A token made up by error recovery ("missing ';'") has no place in the text. */
  static boolean isReal(Token token) {
    return token != null && token.getStartIndex() >= 0 && token.getTokenIndex() >= 0;
  }

  /** The span of one token. */
  Span of(Token token) {
    return span(startOf(token), endOf(token), startOf(token));
  }

  /** From the start of {@code first} to the end of {@code last}, positioned at {@code at}. */
  Span of(Token first, Token last, Token at) {
    int start = startOf(first);
    int end = Math.max(start, endOf(last));
    return span(start, end, startOf(at));
  }

  /** An empty span just after the last character of {@code token}: where a missing token goes. */
  Span after(Token token) {
    int end = endOf(token);
    return span(end, end, end);
  }

  /** The 1-based line of the char at {@code offset}. */
  int lineOf(int offset) {
    int i = Arrays.binarySearch(lineStarts, offset);
    return i >= 0 ? i + 1 : -i - 1;
  }

  int startOf(Token token) {
    return toChar(token.getStartIndex());
  }

  /** One past the token's last char (ANTLR's stop index is inclusive). */
  int endOf(Token token) {
    if (token.getType() == Token.EOF) {
      return text.length();
    }
    return toChar(token.getStopIndex() + 1);
  }

  /** The source text between two char offsets. */
  String text(int start, int end) {
    return text.substring(start, Math.max(start, end));
  }

  private Span span(int start, int end, int anchor) {
    int line = lineOf(anchor);
    int column = anchor - lineStarts[line - 1] + 1;
    return new Span(line, column, start, end);
  }

  private int toChar(int codePointIndex) {
    if (codePointIndex < 0) {
      return 0;
    }
    if (charOffset == null) {
      return Math.min(codePointIndex, text.length());
    }
    return codePointIndex < charOffset.length ? charOffset[codePointIndex] : text.length();
  }

  private static int[] codePointOffsets(String text) {
    int count = text.codePointCount(0, text.length());
    if (count == text.length()) {
      return null;
    }
    int[] offsets = new int[count + 1];
    int cp = 0;
    for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
      offsets[cp++] = i;
    }
    offsets[count] = text.length();
    return offsets;
  }
}
