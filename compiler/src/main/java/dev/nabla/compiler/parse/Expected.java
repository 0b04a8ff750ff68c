package dev.nabla.compiler.parse;

import static dev.nabla.grammar.NablaLexer.*;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Words for tokens and for sets of expected tokens, in the user's terms: "an expression" rather
 * than the dozen tokens an expression can start with, "a name" rather than NAME and the
 * contextual keywords.
 */
final class Expected {
  private Expected() {}

  /** Tokens that may start an expression (names include the contextual keywords; '[' a list). */
  private static final IntervalSet EXPRESSION_START =
      IntervalSet.of(NAME).or(IntervalSet.of(NUMBER)).or(IntervalSet.of(LPAREN))
          .or(IntervalSet.of(MINUS)).or(IntervalSet.of(LBRACKET));

  /** Tokens that may follow an operand: binary operators and postfixes. */
  private static final IntervalSet OPERATORS = set(PLUS, MINUS, STAR, SLASH, AT, CARET, TRANSPOSE,
      LBRACKET, LESS, LESS_EQ, GREATER, GREATER_EQ, EQUAL, NOT_EQUAL);

  private static final IntervalSet CONTEXTUAL_KEYWORDS =
      set(INPUT, TARGET, PARAM, HYPER, OUTPUT, LOSS, GRAD, DIM, FOR, IN, STATE, COLLECT);

  private static final IntervalSet MEMBER_KEYWORDS =
      set(INPUT, TARGET, PARAM, HYPER, OUTPUT, LOSS, DIM, FOR, STATE, COLLECT);

  /**
   * The expected set as a phrase ("';'", "an expression", "',' or ')'"), or null when it is too
   * large to say anything useful.
   */
  static String describe(IntervalSet expected) {
    IntervalSet rest = new IntervalSet(expected);
    List<String> parts = new ArrayList<>();
    if (containsAll(rest, EXPRESSION_START)) {
      parts.add("an expression");
      rest = rest.subtract(EXPRESSION_START).subtract(CONTEXTUAL_KEYWORDS);
    }
    if (containsAll(rest, MEMBER_KEYWORDS) && rest.contains(NAME) && rest.contains(RBRACE)) {
      parts.add("a declaration");
      parts.add("a statement");
      rest = rest.subtract(CONTEXTUAL_KEYWORDS).subtract(IntervalSet.of(NAME));
    }
    // '[' both starts an expression (a list) and follows one (an index): look in the whole set.
    if (containsAll(expected, OPERATORS)) {
      rest = rest.subtract(OPERATORS);
      // An operator could always continue an expression; worth saying only when nothing else is
      // expected, otherwise the closing ')' or ';' is what the user is missing.
      if (rest.isNil() && parts.isEmpty()) {
        parts.add("an operator");
      }
    }
    if (rest.contains(NAME)) {
      parts.add("a name");
      rest = rest.subtract(IntervalSet.of(NAME)).subtract(CONTEXTUAL_KEYWORDS);
    }
    for (int type : rest.toArray()) {
      if (type >= 0 || type == Token.EOF) {
        parts.add(word(type));
      }
    }
    if (parts.isEmpty() || parts.size() > 4) {
      return null;
    }
    return join(parts);
  }

  /** How a token is shown in a message: quoted text, or "end of file". */
  static String found(Token token) {
    if (token == null || token.getType() == Token.EOF) {
      return "end of file";
    }
    String text = token.getText();
    if (text.length() > 24) {
      text = text.substring(0, 20) + "...";
    }
    return "'" + text + "'";
  }

  /** One token type as a word: its spelling in quotes, or what it stands for. */
  static String word(int type) {
    return switch (type) {
      case Token.EOF -> "end of file";
      case NAME -> "a name";
      case NUMBER -> "a number";
      default -> {
        String literal = VOCABULARY.getLiteralName(type);
        yield literal != null ? literal : VOCABULARY.getDisplayName(type);
      }
    };
  }

  private static String join(List<String> parts) {
    if (parts.size() == 1) {
      return parts.getFirst();
    }
    return String.join(", ", parts.subList(0, parts.size() - 1)) + " or " + parts.getLast();
  }

  private static boolean containsAll(IntervalSet set, IntervalSet required) {
    return required.and(set).size() == required.size();
  }

  private static IntervalSet set(int... types) {
    IntervalSet s = new IntervalSet();
    for (int t : types) {
      s.add(t);
    }
    return s;
  }
}
