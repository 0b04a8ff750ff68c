package dev.nabla.compiler.parse;

import static dev.nabla.grammar.NablaLexer.*;

import dev.nabla.compiler.ast.Span;
import java.util.List;
import java.util.function.BiConsumer;
import org.antlr.v4.runtime.Token;

/**
 * Reports the lexer's error tokens (see the end of Nabla.g4), each with a message of its own.
 * The parser sees these tokens too, so that it stops at them, but does not report them again.
 */
final class LexicalErrors {
  private LexicalErrors() {}

  static boolean isErrorToken(Token token) {
    if (token == null) {
      return false;
    }
    int type = token.getType();
    return type == BAD_CHAR
        || type == BAD_NUMBER
        || type == BAD_POSTFIX
        || type == UNTERMINATED_COMMENT;
  }

  static void report(List<Token> tokens, Positions positions, BiConsumer<Span, String> report) {
    Token previous = null;
    for (Token token : tokens) {
      if (isErrorToken(token) && !continuesRun(previous, token)) {
        report.accept(positions.of(token), message(token));
      }
      previous = token;
    }
  }

  /** A run of stray characters ($$$) is one mistake: only its first character is reported. */
  private static boolean continuesRun(Token previous, Token token) {
    return previous != null
        && previous.getType() == BAD_CHAR
        && token.getType() == BAD_CHAR
        && previous.getStopIndex() + 1 == token.getStartIndex();
  }

  static String message(Token token) {
    String text = token.getText();
    return switch (token.getType()) {
      case UNTERMINATED_COMMENT -> "unterminated comment: '/*' has no matching '*/'";
      case BAD_POSTFIX ->
          "unknown postfix '" + text + "': the only one is '.T' (transpose)";
      case BAD_NUMBER -> "bad number '" + text + "'" + numberProblem(text);
      default -> "unexpected character " + describeChar(text.codePointAt(0));
    };
  }

  private static String numberProblem(String text) {
    char last = text.charAt(text.length() - 1);
    if (last == 'e' || last == 'E' || last == '+' || last == '-') {
      return ": the exponent has no digits";
    }
    if (text.indexOf('.') != text.lastIndexOf('.')) {
      return ": more than one decimal point";
    }
    return "";
  }

  /** '$' for a visible character, with its code point when it is not ASCII; U+00A0 otherwise. */
  static String describeChar(int cp) {
    String code = String.format("U+%04X", cp);
    boolean visible =
        !Character.isWhitespace(cp)
            && !Character.isSpaceChar(cp)
            && !Character.isISOControl(cp)
            && Character.getType(cp) != Character.FORMAT
            && Character.getType(cp) != Character.UNASSIGNED
            && Character.getType(cp) != Character.PRIVATE_USE
            && Character.getType(cp) != Character.SURROGATE;
    if (!visible) {
      return code;
    }
    String quoted = "'" + Character.toString(cp) + "'";
    return cp < 128 ? quoted : quoted + " (" + code + ")";
  }
}
