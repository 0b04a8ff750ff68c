package dev.nabla.compiler.parse;

import static dev.nabla.compiler.parse.Parsing.parse;
import static dev.nabla.compiler.parse.Parsing.parseClean;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.diag.Diagnostic;
import org.junit.jupiter.api.Test;

/**
 * Bad input gives the exact diagnostics a user sees: file, line, column of the token at fault,
 * a message in the language's terms, the source line and a caret. Never an exception.
 */
class SyntaxErrorTest {
  private static void assertErrors(String source, String expected) {
    Parsing.Result result = parse(source);
    assertThat(result.rendered()).isEqualTo(expected);
    assertThat(result.diagnostics().hasErrors()).isTrue();
  }

  @Test
  void missingSemicolonAtTheEndOfALine() {
    // The caret goes where the ';' belongs, not to the start of the next line.
    assertErrors(
        """
        model M {
          z1 = W1 @ x + b1
          y1 = relu(z1);
        }
        """,
        """
        t.nn:2:19: error: expected ';' after the statement
            z1 = W1 @ x + b1
                            ^
        """);
  }

  @Test
  void missingSemicolonBeforeTheNextDeclarationOnTheSameLine() {
    assertErrors(
        "model M { input x[64] target d[10]; }",
        """
        t.nn:1:23: error: expected ';' after the declaration, found 'target'
          model M { input x[64] target d[10]; }
                                ^
        """);
  }

  @Test
  void missingSemicolonAfterADef() {
    assertErrors(
        "def f(x) = x\ndef g(y) = y;",
        """
        t.nn:1:13: error: expected ';' after the def
          def f(x) = x
                      ^
        """);
  }

  @Test
  void unclosedParenthesis() {
    assertErrors(
        "model M { y = relu((x + 1); }",
        """
        t.nn:1:27: error: expected ',' or ')' to close the '(' at line 1, column 19, found ';'
          model M { y = relu((x + 1); }
                                    ^
        """);
  }

  @Test
  void unclosedParenthesisAtTheEndOfALine() {
    assertErrors(
        """
        model M {
          output Y = softmax(z2
        }
        """,
        """
        t.nn:2:24: error: expected ',' or ')' to close the '(' at line 2, column 21, found '}'
            output Y = softmax(z2
                                 ^
        """);
  }

  @Test
  void extraClosingParenthesis() {
    assertErrors(
        "model M { z = (a + b)); }",
        """
        t.nn:1:22: error: unexpected ')'
          model M { z = (a + b)); }
                               ^
        """);
  }

  @Test
  void unexpectedCharacter() {
    assertErrors(
        "model M { z = a $ b; }",
        """
        t.nn:1:17: error: unexpected character '$'
          model M { z = a $ b; }
                          ^
        """);
  }

  @Test
  void aRunOfBadCharactersIsOneError() {
    assertErrors(
        "model M { z = a $$$ b; }",
        """
        t.nn:1:17: error: unexpected character '$'
          model M { z = a $$$ b; }
                          ^
        """);
  }

  @Test
  void nonAsciiCharacters() {
    assertErrors(
        "model M {\n  z = a \u00d7 b;\n  w = a\u00a0+ b;\n}",
        """
        t.nn:2:9: error: unexpected character '\u00d7' (U+00D7)
            z = a \u00d7 b;
                  ^
        t.nn:3:8: error: unexpected character U+00A0
            w = a\u00a0+ b;
                 ^
        """);
  }

  @Test
  void unterminatedComment() {
    assertErrors(
        """
        model M { x = 1; }
        /* never closed
        model N { }
        """,
        """
        t.nn:2:1: error: unterminated comment: '/*' has no matching '*/'
          /* never closed
          ^
        """);
  }

  @Test
  void exponentWithoutDigits() {
    assertErrors(
        "model M { hyper h = 1e; hyper k = 2.5E+; }",
        """
        t.nn:1:21: error: bad number '1e': the exponent has no digits
          model M { hyper h = 1e; hyper k = 2.5E+; }
                              ^
        t.nn:1:35: error: bad number '2.5E+': the exponent has no digits
          model M { hyper h = 1e; hyper k = 2.5E+; }
                                            ^
        """);
  }

  @Test
  void numberWithTwoDecimalPoints() {
    assertErrors(
        "model M { z = 1.2.3 * x; }",
        """
        t.nn:1:15: error: bad number '1.2.3': more than one decimal point
          model M { z = 1.2.3 * x; }
                        ^
        """);
  }

  @Test
  void numberGluedToAName() {
    assertErrors(
        "model M { z = 2x; }",
        """
        t.nn:1:15: error: bad number '2x'
          model M { z = 2x; }
                        ^
        """);
  }

  @Test
  void numberTooLarge() {
    assertErrors(
        "model M { hyper h = 1e999; }",
        """
        t.nn:1:21: error: number '1e999' is too large
          model M { hyper h = 1e999; }
                              ^
        """);
  }

  @Test
  void unknownPostfix() {
    assertErrors(
        "model M { z = x.t @ y; }",
        """
        t.nn:1:16: error: unknown postfix '.t': the only one is '.T' (transpose)
          model M { z = x.t @ y; }
                         ^
        """);
  }

  @Test
  void missingModelName() {
    assertErrors(
        "model { x = 1; }",
        """
        t.nn:1:7: error: expected a name after 'model'
          model { x = 1; }
                ^
        """);
  }

  @Test
  void modelNameMissingAtTheEndOfTheFile() {
    assertErrors(
        "model M { }\nmodel\n",
        """
        t.nn:2:6: error: expected a name after 'model', found end of file
          model
               ^
        """);
  }

  @Test
  void missingClosingBraceAtTheEndOfTheFile() {
    assertErrors(
        "model M {\n  x = 1;\n",
        """
        t.nn:2:9: error: expected '}' to close model 'M'
            x = 1;
                  ^
        """);
  }

  @Test
  void missingClosingBraceBeforeTheNextModel() {
    Parsing.Result result = parse("model A { x = 1;\nmodel B { y = 2; }");
    assertThat(result.rendered())
        .isEqualTo(
            """
            t.nn:1:17: error: expected '}' to close model 'A'
              model A { x = 1;
                              ^
            """);
    // Both models are still there: 'model' is reserved, so the parser resynchronises on it.
    assertThat(result.file().models()).hasSize(2);
  }

  @Test
  void emptyDimension() {
    assertErrors(
        "model M { input x[]; }",
        """
        t.nn:1:18: error: empty shape '[]': leave out the brackets for a scalar
          model M { input x[]; }
                           ^
        """);
  }

  @Test
  void indexBoundsAreExpressionsForTheChecker() {
    // Version 2: an index or slice bound may be negative or a dim, so the parser takes any
    // expression; whether it is a whole number is the checker's question (check/LayoutErrorsTest).
    assertThat(parseClean("model M { z = v[i] + v[-1] + v[2.0] + X[1:, :-2, :] + X[:, 0]; }").diagnostics().hasErrors())
        .isFalse();
  }

  @Test
  void garbageAtTopLevel() {
    Parsing.Result result = parse("foo bar;\nmodel M { x = 1; }\n} ;");
    assertThat(result.rendered())
        .isEqualTo(
            """
            t.nn:1:1: error: unexpected 'foo': a file holds only 'def' functions, 'dim' constants and 'model' blocks
              foo bar;
              ^
            t.nn:3:1: error: unexpected '}': a file holds only 'def' functions, 'dim' constants and 'model' blocks
              } ;
              ^
            """);
    assertThat(result.file().models()).hasSize(1);
  }

  @Test
  void missingEquals() {
    assertErrors(
        "model M { hyper lambda 1e-4; loss L sum(x); }",
        """
        t.nn:1:24: error: expected '=' after 'lambda'
          model M { hyper lambda 1e-4; loss L sum(x); }
                                 ^
        t.nn:1:37: error: expected '=' after 'L'
          model M { hyper lambda 1e-4; loss L sum(x); }
                                              ^
        """);
  }

  @Test
  void misspelledKeyword() {
    assertErrors(
        "model M { inptu x[64]; }",
        """
        t.nn:1:11: error: unknown declaration 'inptu': expected input, target, param, hyper, \
        output, loss, dim, or an assignment 'inptu = ...'
          model M { inptu x[64]; }
                    ^
        """);
  }

  @Test
  void keywordWithoutAName() {
    assertErrors(
        "model M { input 3; loss; }",
        """
        t.nn:1:17: error: expected a name after 'input', found '3'
          model M { input 3; loss; }
                          ^
        t.nn:1:24: error: expected a name after 'loss', found ';'
          model M { input 3; loss; }
                                 ^
        """);
  }

  @Test
  void missingExpression() {
    assertErrors(
        "model M { z = ; w = a ^ ; }",
        """
        t.nn:1:15: error: expected an expression after '=', found ';'
          model M { z = ; w = a ^ ; }
                        ^
        t.nn:1:25: error: expected an expression after '^', found ';'
          model M { z = ; w = a ^ ; }
                                  ^
        """);
  }

  @Test
  void missingOperator() {
    assertErrors(
        "model M { z = a b; }",
        """
        t.nn:1:17: error: unexpected 'b'
          model M { z = a b; }
                          ^
        """);
  }

  @Test
  void paramInitializerThatIsNeitherANameNorACall() {
    assertErrors(
        "model M { param b[3] = 0.5; param c[3] = a + b; }",
        """
        t.nn:1:24: error: a param initializer must be a name or a call: write 'const(0.5)' \
        for a constant
          model M { param b[3] = 0.5; param c[3] = a + b; }
                                 ^
        t.nn:1:42: error: a param initializer must be a name or a call, such as 'he' or \
        'uniform(-1, 1)'
          model M { param b[3] = 0.5; param c[3] = a + b; }
                                                   ^
        """);
  }

  @Test
  void positionalArgumentAfterANamedOne() {
    assertErrors(
        "model M { z = leaky_relu(alpha=0.1, x); }",
        """
        t.nn:1:37: error: positional argument after the named argument 'alpha': named \
        arguments come last
          model M { z = leaky_relu(alpha=0.1, x); }
                                              ^
        """);
  }

  @Test
  void defWithoutParentheses() {
    assertErrors(
        "def f x) = x;",
        """
        t.nn:1:7: error: expected '(' after 'f'
          def f x) = x;
                ^
        """);
  }

  @Test
  void everyErrorOfAFileIsReported() {
    Parsing.Result result =
        parse(
            """
            model M {
              input x[];
              z1 = W1 @ x + b1
              y1 = relu(z1;
              q = 1.2.3;
              hyper h 3;
              output Y = y1;
            }
            def f(a) = a $ 2;
            model N { loss L = ; }
            """);
    assertThat(result.diagnostics().errors())
        .extracting(Diagnostic::span)
        .map(Object::toString)
        .containsExactly("2:10", "3:19", "4:15", "5:7", "6:11", "9:14", "10:20");
    assertThat(result.rendered())
        .contains(
            "t.nn:2:10: error: empty shape '[]'",
            "t.nn:3:19: error: expected ';' after the statement",
            "t.nn:4:15: error: expected ',' or ')' to close the '(' at line 4, column 12, found"
                + " ';'",
            "t.nn:5:7: error: bad number '1.2.3'",
            "t.nn:6:11: error: expected '=' after 'h'",
            "t.nn:9:14: error: unexpected character '$'",
            "t.nn:10:20: error: expected an expression after '=', found ';'");
    // What could be built is still there.
    assertThat(result.file().models()).extracting(m -> m.name()).containsExactly("M", "N");
    assertThat(result.file().models().getFirst().members().stream().map(AstPrinter::print))
        .contains("(output Y y1)");
  }

  @Test
  void badInputNeverThrows() {
    String[] inputs = {
      "(", ")", "{", "}", "[", "]", ";", "=", ",", "model", "def", "model M {", "def f(",
      "model M { z = ((((", "model M { z = a[", "model M { input x[64", "model M { param W =",
      "model M { output }", "def f() = ;", "model M { z = f(a=); }", "@@@", "..T", ".T",
      "model M { z = .T; }", "/*", "*/", "; # a stray semicolon", "model M { z = x.T.T.; }", "model model model",
      "def def def", "model M { input input input input; }", "\u0000\u0001", "\uFEFF",
      "model M { z = 1 +\n", "model M { z = f(,,); }", "model M { z = v[]; }",
      "model M { z = v[1][2]; } }}}"
    };
    for (String input : inputs) {
      Parsing.Result result = parse(input);
      assertThat(result.diagnostics().hasErrors()).as(input).isTrue();
      assertThat(result.rendered()).as(input).doesNotContain("syntax error:");
    }
  }
}
