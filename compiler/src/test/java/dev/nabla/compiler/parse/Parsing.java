package dev.nabla.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.ast.Expr;
import dev.nabla.compiler.ast.Member;
import dev.nabla.compiler.ast.ModelDecl;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.ast.SourceFile;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;

/** Test helpers: parse text, on a big stack, and look at the result. */
final class Parsing {
  private Parsing() {}

  /** The AST and the diagnostics of one parse. */
  record Result(SourceFile file, Diagnostics diagnostics) {
    /** All diagnostics rendered as the compiler prints them. */
    String rendered() {
      return DiagnosticRenderer.renderAll(diagnostics);
    }

    ModelDecl model() {
      assertThat(file.models()).hasSize(1);
      return file.models().getFirst();
    }
  }

  static Result parse(String text) {
    return parse("t.nn", text);
  }

  static Result parse(String path, String text) {
    return BigStack.run(
        () -> {
          Diagnostics diagnostics = new Diagnostics();
          SourceFile file = Parser.parse(new Source(path, text), diagnostics);
          return new Result(file, diagnostics);
        });
  }

  /** Parses text that must be free of errors. */
  static Result parseClean(String text) {
    Result result = parse(text);
    assertThat(result.rendered()).isEmpty();
    return result;
  }

  /** The one expression of {@code model M { z = <text>; }}. */
  static Expr expr(String text) {
    Member member = parseClean("model M { z = " + text + "; }").model().members().getFirst();
    return ((Member.Assign) member).value();
  }

  /** The S-expression of {@link #expr}. */
  static String sexpr(String text) {
    return AstPrinter.print(expr(text));
  }
}
