package dev.nabla.compiler.parse;

import dev.nabla.compiler.ast.SourceFile;
import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.diag.Source;
import dev.nabla.grammar.NablaLexer;
import dev.nabla.grammar.NablaParser;
import java.util.function.BiConsumer;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
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
    NablaParser parser = new NablaParser(tokens);
    parser.removeErrorListeners();
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    parser.setErrorHandler(new BailErrorStrategy());
    try {
      return parser.file();
    } catch (ParseCancellationException e) {
      tokens.seek(0);
      parser.reset();
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      parser.setErrorHandler(new SyntaxErrorStrategy(positions, report));
      parser.addErrorListener(new Fallback(positions, report));
      return parser.file();
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
