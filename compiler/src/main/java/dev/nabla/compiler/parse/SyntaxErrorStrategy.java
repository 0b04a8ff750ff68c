package dev.nabla.compiler.parse;

import static dev.nabla.grammar.NablaLexer.*;

import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.diag.Quote;
import dev.nabla.grammar.NablaParser;
import java.util.function.BiConsumer;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.FailedPredicateException;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.atn.ATNState;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * ANTLR's recovery, with our messages and a statement-level resynchronisation.
 *
 * <p>Messages are made here, where the parser state (what was expected, in which rule) is at
 * hand, instead of being parsed back out of ANTLR's English. They go straight to the reporter
 * with a {@link Span}: "expected ..." errors whose offending token is on a later line than the
 * previous token point just after the previous token (where the missing ';' belongs), not at the
 * start of the next line.
 *
 * <p>Recovery skips to the end of the broken declaration or statement (its ';' or the model's
 * '}'), so one mistake gives one message and the next statement is checked again. Errors at
 * lexical error tokens (bad characters, bad numbers, unterminated comments) are not reported
 * again: {@link LexicalErrors} has already said what is wrong with them.
 */
final class SyntaxErrorStrategy extends DefaultErrorStrategy {
  private final Positions positions;
  private final BiConsumer<Span, String> report;

  SyntaxErrorStrategy(Positions positions, BiConsumer<Span, String> report) {
    this.positions = positions;
    this.report = report;
  }

  // ------------------------------------------------------------------ reporting

  @Override
  protected void reportNoViableAlternative(Parser parser, NoViableAltException e) {
    Token offending = e.getOffendingToken();
    if (LexicalErrors.isErrorToken(offending)) {
      return;
    }
    Token start = e.getStartToken();
    if (start != offending) {
      // Prediction failed after looking past the start: the expected set of the decision says
      // nothing about the offending token. The only such decision in practice is which member
      // a keyword starts (`input 3;`: neither a declaration nor an assignment).
      String message =
          e.getCtx().getClass() == NablaParser.MemberContext.class && isName(start.getType())
              ? "expected a name after " + Expected.found(start) + ", found "
                  + Expected.found(offending)
              : "unexpected " + Expected.found(offending);
      report.accept(positions.of(offending), message);
      return;
    }
    expected(parser, offending, Expected.describe(e.getExpectedTokens()), false);
  }

  @Override
  protected void reportInputMismatch(Parser parser, InputMismatchException e) {
    Token offending = e.getOffendingToken();
    if (LexicalErrors.isErrorToken(offending)) {
      return;
    }
    expected(parser, offending, Expected.describe(e.getExpectedTokens()), false);
  }

  @Override
  protected void reportFailedPredicate(Parser parser, FailedPredicateException e) {
    unexpected(parser, e.getOffendingToken());
  }

  @Override
  protected void reportUnwantedToken(Parser parser) {
    if (inErrorRecoveryMode(parser)) {
      return;
    }
    beginErrorCondition(parser);
    Token current = parser.getCurrentToken();
    if (statement(parser.getContext()) != null && isStructural(current.getType())) {
      // `input x[1, 2;`: the ';' is not extra, something is missing before it.
      expected(parser, current, Expected.describe(getExpectedTokens(parser)), false);
      return;
    }
    unexpected(parser, current);
  }

  /** Tokens that end or delimit statements and blocks: never "extra" inside a statement. */
  private static boolean isStructural(int type) {
    return type == SEMI
        || type == LBRACE
        || type == RBRACE
        || type == DEF
        || type == MODEL
        || type == Token.EOF;
  }

  @Override
  protected void reportMissingToken(Parser parser) {
    if (inErrorRecoveryMode(parser)) {
      return;
    }
    beginErrorCondition(parser);
    Token current = parser.getCurrentToken();
    if (LexicalErrors.isErrorToken(current)) {
      return;
    }
    expected(parser, current, Expected.describe(getExpectedTokens(parser)), true);
  }

  /** "expected X ..." in the terms of the rule being parsed. */
  private void expected(Parser parser, Token offending, String what, boolean missing) {
    if (what == null) {
      unexpected(parser, offending);
      return;
    }
    ParserRuleContext ctx = parser.getContext();
    Token previous = parser.getInputStream().LT(-1);
    if (ctx instanceof NablaParser.AssignContext
        && what.equals("'='")
        && isName(offending.getType())
        && previous == ctx.start) {
      // `inptu x[64];`: a misspelled keyword, or `z1 W1 @ x;`, an assignment without '='.
      report.accept(
          positions.of(previous),
          "unknown declaration " + Quote.name(previous.getText()) + ": expected input, target,"
              + " param, hyper, output, loss, dim, or an assignment "
              + Quote.name(previous.getText() + " = ..."));
      return;
    }
    ParserRuleContext statement = statement(ctx);
    if (statement != null && what.contains("';'") && ctx == statement) {
      // The statement is complete up to here; its end is what is missing (`input x[64] target`
      // would also accept 'grad', but the user forgot the ';').
      what = "';'";
    }
    if (ctx instanceof NablaParser.ParensContext && what.equals("',' or ')'")) {
      // `(a + b;`: the ')' is missing; that a ',' would make a pair (2, 1) is no help here.
      what = "')'";
    }
    StringBuilder message = new StringBuilder("expected ").append(what);
    String closes = closing(ctx, what);
    if (what.equals("';'") && statement != null) {
      message.append(" after the ").append(kind(statement));
    } else if (closes != null) {
      message.append(closes);
    } else if (Positions.isReal(previous)) {
      message.append(" after ").append(Expected.found(previous));
    }
    if (!missing) {
      message.append(", found ").append(Expected.found(offending));
    }
    report.accept(place(offending, previous), message.toString());
  }

  /** "unexpected X", with a hint at the top level of the file. */
  private void unexpected(Parser parser, Token offending) {
    if (LexicalErrors.isErrorToken(offending)) {
      return;
    }
    String message = "unexpected " + Expected.found(offending);
    if (parser.getContext() instanceof NablaParser.FileContext) {
      message += ": a file holds only 'def' functions, 'dim' constants and 'model' blocks";
    }
    report.accept(positions.of(offending), message);
  }

  /**
   * Where an "expected" error points: at the offending token, unless it is on a later line than
   * the previous token (or is the end of the file); then just after the previous token.
   */
  private Span place(Token offending, Token previous) {
    if (Positions.isReal(previous)) {
      int previousEnd = positions.endOf(previous);
      if (offending.getType() == Token.EOF
          || positions.lineOf(positions.startOf(offending)) > positions.lineOf(previousEnd)) {
        return positions.after(previous);
      }
    }
    return positions.of(offending);
  }

  /** " to close the '(' at line 3, column 7" when a closing bracket is among the expected. */
  private String closing(ParserRuleContext ctx, String what) {
    boolean paren = what.contains("')'");
    boolean bracket = what.contains("']'");
    boolean brace = what.contains("'}'");
    for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
      if (paren
          && (c instanceof NablaParser.CallContext
              || c instanceof NablaParser.ParensContext
              || c instanceof NablaParser.DefContext)) {
        return opened(c, LPAREN, RPAREN);
      }
      if (bracket
          && (c instanceof NablaParser.ShapeContext || c instanceof NablaParser.IndexContext)) {
        return opened(c, LBRACKET, RBRACKET);
      }
      if (brace && c instanceof NablaParser.ModelContext model) {
        NablaParser.IdentContext name = model.ident();
        return name != null && Positions.isReal(name.getStart())
            ? " to close model " + Quote.name(name.getText())
            : " to close the model";
      }
    }
    return null;
  }

  private String opened(ParserRuleContext c, int open, int close) {
    TerminalNode opener = c.getToken(open, 0);
    if (opener == null || c.getToken(close, 0) != null) {
      return null;
    }
    Span at = positions.of(opener.getSymbol());
    return " to close the '" + opener.getText() + "' at line " + at.line() + ", column "
        + at.column();
  }

  /** The declaration, statement or def being parsed, or null outside one. */
  private static ParserRuleContext statement(ParserRuleContext ctx) {
    for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
      if (c instanceof NablaParser.MemberContext
          || c instanceof NablaParser.DefContext
          || c instanceof NablaParser.FileDimContext) {
        return c;
      }
    }
    return null;
  }

  private static String kind(ParserRuleContext statement) {
    return switch (statement) {
      case NablaParser.DefContext _ -> "def";
      case NablaParser.AssignContext _ -> "statement";
      case NablaParser.OutputDeclContext _ -> "statement";
      case NablaParser.LossDeclContext _ -> "statement";
      case NablaParser.CollectDeclContext _ -> "statement";
      case NablaParser.LoopContext _ -> "loop";
      default -> "declaration";
    };
  }

  private static boolean isName(int type) {
    return type == NAME || (type >= INPUT && type <= COLLECT);
  }

  // ------------------------------------------------------------------ recovery

  /**
   * ANTLR drops a token that stands in the way when the one after it fits. For the punctuation
   * that structures the file that guess is nearly always wrong: in {@code model { x = 1; }} the
   * '{' is not extra, the name is missing, and dropping '{' would make "x" the model's name.
   */
  @Override
  protected Token singleTokenDeletion(Parser parser) {
    int la = parser.getInputStream().LA(1);
    if (isStructural(la)) {
      return null;
    }
    return super.singleTokenDeletion(parser);
  }

  /**
   * Inside a declaration, statement or def: skip to its ';' (consumed if this rule owns it) or to
   * the model's '}'. Elsewhere ANTLR's own follow-set recovery is fine.
   */
  @Override
  public void recover(Parser parser, RecognitionException e) {
    ParserRuleContext statement = statement(parser.getContext());
    if (statement == null) {
      super.recover(parser, e);
      return;
    }
    TokenStream input = parser.getInputStream();
    if (lastErrorIndex == input.index()
        && lastErrorStates != null
        && lastErrorStates.contains(parser.getState())
        && input.LA(1) != Token.EOF) {
      // Already failed here once: make progress.
      parser.consume();
    }
    lastErrorIndex = input.index();
    if (lastErrorStates == null) {
      lastErrorStates = new IntervalSet();
    }
    lastErrorStates.add(parser.getState());
    skipUntil(parser, SEMI, RBRACE);
    if (parser.getContext() == statement && input.LA(1) == SEMI) {
      parser.consume();
      // Back at a statement boundary: the next statement's errors are its own, report them.
      endErrorCondition(parser);
    }
  }

  /**
   * In the loops over a file's items and a model's members, a token that cannot start the next
   * item is reported once and skipped with the rest of its statement, instead of ANTLR's
   * default of abandoning the enclosing rule (which would silently drop the rest of the model or
   * file).
   */
  @Override
  public void sync(Parser parser) throws RecognitionException {
    ParserRuleContext ctx = parser.getContext();
    boolean file = ctx instanceof NablaParser.FileContext;
    boolean model = ctx instanceof NablaParser.ModelContext;
    if (!file && !model) {
      super.sync(parser);
      return;
    }
    ATNState state = parser.getInterpreter().atn.states.get(parser.getState());
    IntervalSet next = parser.getATN().nextTokens(state);
    TokenStream input = parser.getInputStream();
    int la = input.LA(1);
    // Keep the bookkeeping of DefaultErrorStrategy.sync: recoverInline uses it for the expected
    // tokens of its error.
    if (next.contains(la)) {
      nextTokensContext = null;
      nextTokensState = ATNState.INVALID_STATE_NUMBER;
      return;
    }
    if (next.contains(Token.EPSILON)) {
      if (nextTokensContext == null) {
        nextTokensContext = ctx;
        nextTokensState = parser.getState();
      }
      return;
    }
    if (model && (la == DEF || la == MODEL || la == Token.EOF)) {
      return; // the model lacks its '}': matching '}' reports that
    }
    reportUnwantedToken(parser);
    while (!next.contains(input.LA(1))
        && input.LA(1) != Token.EOF
        && input.LA(1) != DEF
        && input.LA(1) != MODEL) {
      if (file) {
        parser.consume();
      } else {
        skipUntil(parser, SEMI, RBRACE);
        if (input.LA(1) == SEMI) {
          parser.consume();
        }
        if (input.LA(1) == RBRACE) {
          return;
        }
      }
    }
  }

  /** Consumes tokens up to (not including) one of the stops, 'def', 'model' or the end. */
  private static void skipUntil(Parser parser, int... stops) {
    TokenStream input = parser.getInputStream();
    while (true) {
      int la = input.LA(1);
      if (la == Token.EOF || la == DEF || la == MODEL) {
        return;
      }
      for (int stop : stops) {
        if (la == stop) {
          return;
        }
      }
      parser.consume();
    }
  }
}
