package dev.nabla.compiler.parse;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.ast.SourceFile;
import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.diag.Limits;
import dev.nabla.grammar.NablaLexer;
import dev.nabla.grammar.NablaParser;
import java.util.function.BiConsumer;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * The front door of the front end: source text in, AST and diagnostics out.
 *
 * <p>Never throws for bad input. Every syntax error is reported to the {@link Diagnostics}, and
 * the returned {@link SourceFile} holds whatever could be built (possibly nothing): callers check
 * {@link Diagnostics#hasErrors()} before going on.
 *
 * <p>ANTLR recursion is deep (several frames per nesting level); run the compiler on a thread
 * with a big stack ({@link BigStack}) to accept deeply nested expressions.
 */
public final class Parser {
  private Parser() {}

  public static SourceFile parse(Source source, Diagnostics diagnostics) {
    Positions positions = new Positions(source);
    BiConsumer<Span, String> report = (span, message) -> diagnostics.error(source, span, message);

    NablaLexer lexer = new NablaLexer(CharStreams.fromString(source.text(), source.path()));
    lexer.removeErrorListeners();
    lexer.addErrorListener(new Fallback(positions, report));
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    tokens.fill();
    LexicalErrors.report(tokens.getTokens(), positions, report);

    NablaParser.FileContext tree = parseTwoStage(tokens, positions, report);
    return new AstBuilder(source, positions, diagnostics).build(tree);
  }

  /**
   * First the fast SLL prediction, giving up at the first error; only if that fails, the full
   * LL prediction with error reporting and recovery. SLL is exact for correct input of this
   * grammar in practice, and when it is not, the second stage still gives the right answer.
   */
  private static NablaParser.FileContext parseTwoStage(
      CommonTokenStream tokens, Positions positions, BiConsumer<Span, String> report) {
    DepthLimitedParser parser = new DepthLimitedParser(tokens);
    parser.removeErrorListeners();
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    parser.setErrorHandler(new BailErrorStrategy());
    try {
      return parser.file();
    } catch (TooDeep e) {
      reportTooDeep(e, positions, report);
      return null;
    } catch (ParseCancellationException e) {
      tokens.seek(0);
      parser.reset();
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      parser.setErrorHandler(new SyntaxErrorStrategy(positions, report));
      parser.addErrorListener(new Fallback(positions, report));
      try {
        return parser.file();
      } catch (TooDeep deep) {
        reportTooDeep(deep, positions, report);
        return null;
      }
    }
  }

  private static void reportTooDeep(TooDeep e, Positions positions, BiConsumer<Span, String> report) {
    Span span = Positions.isReal(e.token) ? positions.of(e.token) : new Span(1, 1, 0, 0);
    report.accept(span, tooDeepMessage());
  }

  static String tooDeepMessage() {
    return "this expression is nested more than " + Limits.MAX_NESTING
        + " levels deep, the limit (every operator, call and pair of parentheses is a level)";
  }

  /** Thrown when an expression nests deeper than {@link Limits#MAX_NESTING} while parsing. */
  private static final class TooDeep extends ParseCancellationException {
    final transient Token token;

    TooDeep(Token token) {
      this.token = token;
    }
  }

  /**
   * Counts how deep the parser is in the (recursive) {@code expr} rule and stops at the limit,
   * before ANTLR's recursion can exhaust the stack. A chain {@code a + b + c} is parsed in a
   * loop, but built into nested contexts; {@link AstBuilder} limits those.
   */
  private static final class DepthLimitedParser extends NablaParser {
    private int depth;

    DepthLimitedParser(CommonTokenStream tokens) {
      super(tokens);
    }

    @Override
    public void enterRecursionRule(
        ParserRuleContext localctx, int state, int ruleIndex, int precedence) {
      if (++depth > Limits.MAX_NESTING) {
        depth = 0;
        throw new TooDeep(getCurrentToken());
      }
      super.enterRecursionRule(localctx, state, ruleIndex, precedence);
    }

    @Override
    public void unrollRecursionContexts(ParserRuleContext parent) {
      depth = Math.max(0, depth - 1);
      super.unrollRecursionContexts(parent);
    }

    @Override
    public void reset() {
      depth = 0;
      super.reset();
    }
  }

  /**
   * ANTLR reports through listeners only what our error strategy does not handle itself (none of
   * our grammar's errors, in practice); such messages are still passed on, not printed.
   */
  private static final class Fallback extends BaseErrorListener {
    private final Positions positions;
    private final BiConsumer<Span, String> report;

    Fallback(Positions positions, BiConsumer<Span, String> report) {
      this.positions = positions;
      this.report = report;
    }

    @Override
    public void syntaxError(
        Recognizer<?, ?> recognizer,
        Object offendingSymbol,
        int line,
        int charPositionInLine,
        String msg,
        RecognitionException e) {
      Span span =
          offendingSymbol instanceof Token t && Positions.isReal(t)
              ? positions.of(t)
              : new Span(line, charPositionInLine + 1, 0, 0);
      report.accept(span, "syntax error: " + msg);
    }
  }
}
