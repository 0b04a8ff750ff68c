package dev.nabla.compiler.parse;

import static dev.nabla.compiler.parse.Parsing.parseClean;
import static dev.nabla.compiler.parse.Parsing.sexpr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.ast.Def;
import dev.nabla.compiler.ast.Dim;
import dev.nabla.compiler.ast.Expr;
import dev.nabla.compiler.ast.Identifier;
import dev.nabla.compiler.ast.Member;
import dev.nabla.compiler.ast.ModelDecl;
import dev.nabla.compiler.ast.SourceFile;
import dev.nabla.compiler.ast.Span;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every construct of language version 1 parses, into the AST it should. */
class ConstructsTest {
  /** The first example of the language contract, verbatim. */
  static final String DIGITS =
      """
      # Two-layer perceptron for 8x8 digit images (64 pixels, 10 classes).
      model Digits {
        input  x[64];                 # one instance
        target d[10];                 # its desired output (one-hot)

        param  W1[32, 64] = he;       # weights of layer 1
        param  b1[32]     = zeros;
        param  W2[10, 32] = xavier;
        param  b2[10]     = zeros;
        hyper  lambda = 1e-4;         # weight-decay strength, settable at run time

        z1 = W1 @ x + b1;
        y1 = relu(z1);
        z2 = W2 @ y1 + b2;
        output Y = softmax(z2);

        loss L = cross_entropy(Y, d) + lambda * norm2(W1);
      }
      """;

  @Test
  void theFirstExampleOfTheSpec() {
    ModelDecl model = parseClean(DIGITS).model();
    assertThat(model.name()).isEqualTo("Digits");
    assertThat(model.members().stream().map(AstPrinter::print))
        .containsExactly(
            "(input x [64])",
            "(target d [10])",
            "(param W1 [32 64] he)",
            "(param b1 [32] zeros)",
            "(param W2 [10 32] xavier)",
            "(param b2 [10] zeros)",
            "(hyper lambda 1e-4)",
            "(= z1 (+ (@ W1 x) b1))",
            "(= y1 (call relu z1))",
            "(= z2 (+ (@ W2 y1) b2))",
            "(output Y (call softmax z2))",
            "(loss L (+ (call cross_entropy Y d) (* lambda (call norm2 W1))))");
  }

  @Test
  void operatorNodesArePlacedAtTheirOperator() {
    ModelDecl model = parseClean(DIGITS).model();
    Member.Assign z1 = (Member.Assign) model.members().get(7);
    // "  z1 = W1 @ x + b1;" is line 12 here (the spec's error message, 11:11, counts from the
    // line after the comment); the '@' is at column 11.
    Expr.Binary plus = (Expr.Binary) z1.value();
    Expr.Binary matmul = (Expr.Binary) plus.left();
    assertThat(matmul.span()).hasToString("12:11");
    assertThat(plus.span()).hasToString("12:15");
    assertThat(((Expr.Name) matmul.left()).span()).hasToString("12:8");
    assertThat(z1.span()).hasToString("12:3");
    assertThat(z1.nameSpan()).hasToString("12:3");
    // The range of an operator node is the whole expression "W1 @ x".
    assertThat(DIGITS.substring(matmul.span().start(), matmul.span().end())).isEqualTo("W1 @ x");
    assertThat(DIGITS.substring(z1.span().start(), z1.span().end()))
        .isEqualTo("z1 = W1 @ x + b1;");

    Member.Output output = (Member.Output) model.members().get(10);
    assertThat(output.span()).hasToString("15:3");
    assertThat(output.nameSpan()).hasToString("15:10");
    assertThat(output.value().span()).hasToString("15:14"); // the call: its function name

    Member.Param w1 = (Member.Param) model.members().get(2);
    assertThat(w1.shape()).extracting(Dim::span).map(Span::toString).containsExactly("6:13", "6:17");
    assertThat(w1.nameSpan()).hasToString("6:10");
    assertThat(model.span()).hasToString("2:1");
    assertThat(model.nameSpan()).hasToString("2:7");
  }

  @Test
  void theDefExamplesOfTheSpec() {
    SourceFile file =
        parseClean(
                """
                def swish(z) = z * sigmoid(z);          # inlined wherever it is called
                def dense(W, b, v) = W @ v + b;         # defs may call earlier or later defs,
                                                        # but not themselves (no recursion)
                model M { x = 1; }
                """)
            .file();
    assertThat(file.defs()).hasSize(2);
    Def swish = file.defs().get(0);
    assertThat(swish.name()).isEqualTo("swish");
    assertThat(swish.parameters()).extracting(Identifier::name).containsExactly("z");
    assertThat(AstPrinter.print(swish.body())).isEqualTo("(* z (call sigmoid z))");
    Def dense = file.defs().get(1);
    assertThat(dense.parameters()).extracting(Identifier::name).containsExactly("W", "b", "v");
    assertThat(dense.parameters().get(2).span()).hasToString("2:17");
    assertThat(dense.span()).hasToString("2:1");
    assertThat(dense.nameSpan()).hasToString("2:5");
    assertThat(AstPrinter.print(dense.body())).isEqualTo("(+ (@ W v) b)");
    assertThat(file.models()).extracting(ModelDecl::name).containsExactly("M");
  }

  @Test
  void defsAndModelsInAnyOrderAndADefWithoutParameters() {
    SourceFile file =
        parseClean(
                """
                model A { x = one(); }
                def one() = 1;
                model B { y = 2; }
                def two(a) = a + a;
                """)
            .file();
    assertThat(file.models()).extracting(ModelDecl::name).containsExactly("A", "B");
    assertThat(file.defs()).extracting(Def::name).containsExactly("one", "two");
    assertThat(file.defs().getFirst().parameters()).isEmpty();
  }

  @Test
  void anEmptyFileAndAnEmptyModel() {
    assertThat(parseClean("").file().models()).isEmpty();
    assertThat(parseClean("  # only a comment\n").file().defs()).isEmpty();
    assertThat(parseClean("model Empty {}").model().members()).isEmpty();
  }

  @Test
  void everyDeclarationForm() {
    List<String> members =
        parseClean(
                """
                model M {
                  input x[64];
                  input g[64] grad;
                  input t;
                  input s grad;
                  input img[8, 8];
                  target d[10];
                  target c;
                  param W[32, 64] = he;
                  param V[3, 3];
                  param k;
                  param a[4] = uniform(-1, 1);
                  param b[4] = normal(0, 0.01);
                  param c2[4] = const(0.5);
                  param o[4] = ones;
                  hyper lambda = 1e-4;
                  hyper neg = -0.5;
                  hyper e = 2.5e+3;
                  z = x;
                  output Y = softmax(z);
                  output z;
                  loss L = sum(z);
                }
                """)
            .model()
            .members()
            .stream()
            .map(AstPrinter::print)
            .toList();
    assertThat(members)
        .containsExactly(
            "(input x [64])",
            "(input g [64] grad)",
            "(input t)",
            "(input s grad)",
            "(input img [8 8])",
            "(target d [10])",
            "(target c)",
            "(param W [32 64] he)",
            "(param V [3 3])",
            "(param k)",
            "(param a [4] (call uniform (neg 1) 1))",
            "(param b [4] (call normal 0 0.01))",
            "(param c2 [4] (call const 0.5))",
            "(param o [4] ones)",
            "(hyper lambda 1e-4)",
            "(hyper neg (neg 0.5))",
            "(hyper e 2.5e+3)",
            "(= z x)",
            "(output Y (call softmax z))",
            "(output z)",
            "(loss L (call sum z))");
  }

  @Test
  void memberKeywordsAreOnlyKeywordsWhereADeclarationStarts() {
    List<String> members =
        parseClean(
                """
                model M {
                  input grad;
                  input input[2] grad;
                  param loss[3];
                  grad = grad * 2;
                  output = loss + input;
                  hyper target = 1;
                  loss L = sum(output) + param(target, hyper=grad);
                  output output;
                }
                """)
            .model()
            .members()
            .stream()
            .map(AstPrinter::print)
            .toList();
    assertThat(members)
        .containsExactly(
            "(input grad)",
            "(input input [2] grad)",
            "(param loss [3])",
            "(= grad (* grad 2))",
            "(= output (+ loss input))",
            "(hyper target 1)",
            "(loss L (+ (call sum output) (call param target hyper=grad)))",
            "(output output)");
  }

  @Test
  void javaKeywordsAreOrdinaryNames() {
    assertThat(sexpr("int + class * new")).isEqualTo("(+ int (* class new))");
  }

  /** Every built-in call form of the contract parses (whether it type-checks is not our job). */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "exp(z)", "log(z)", "sqrt(z)", "abs(z)", "sin(z)", "cos(z)", "square(z)", "sigmoid(z)",
        "tanh(z)", "relu(z)", "softplus(z)", "identity(z)", "leaky_relu(z, alpha=0.01)",
        "leaky_relu(z)", "elu(z, alpha=1)", "max(a, b)", "min(a, b)", "pow(a, b)",
        "pow(a, b + 1)", "softmax(z)", "log_softmax(z)", "sum(a)", "mean(a)", "sum(A, axis=0)",
        "sum(A, axis=1)", "max(a)", "min(a)", "dot(a, b)", "norm2(a)", "outer(a, b)",
        "maxpool(v, 2)", "concat(a, b)", "concat(a, b, c, d)", "slice(v, 0, 3)", "l2(y, d)",
        "bce(y, d)", "cross_entropy(y, d)", "kl(d, y)", "hinge(s, d)", "smooth(d, 0.1)",
        "step(z)", "sign(z)", "ge(a, b)", "argmax_mask(v)", "maxpool_mask(v, 2)", "repeat(v, 3)"
      })
  void builtInCalls(String call) {
    Expr.Call parsed = (Expr.Call) Parsing.expr(call);
    assertThat(call).startsWith(parsed.function() + "(");
    assertThat(parsed.span().column()).isEqualTo("model M { z = ".length() + 1);
  }

  @Test
  void namedArguments() {
    Expr.Call call = (Expr.Call) Parsing.expr("leaky_relu(W @ x, alpha = 0.2)");
    assertThat(call.args()).hasSize(1);
    assertThat(call.namedArgs()).hasSize(1);
    assertThat(call.namedArgs().getFirst().name()).isEqualTo("alpha");
    assertThat(AstPrinter.print(call.namedArgs().getFirst().value())).isEqualTo("0.2");
    assertThat(AstPrinter.print(call)).isEqualTo("(call leaky_relu (@ W x) alpha=0.2)");
  }

  @Test
  void commentsOfAllThreeKinds() {
    ModelDecl model =
        parseClean(
                """
                # hash comment
                // slash comment
                /* block comment */ model /* inside */ M { /* multi
                   line * / ** comment ***/
                  x = a # trailing
                    + b // trailing too
                    /* between */ * c;
                  y = a/* glued */*b;
                }
                /**/ /***/ /* ** */
                """)
            .model();
    assertThat(model.members().stream().map(AstPrinter::print))
        .containsExactly("(= x (+ a (* b c)))", "(= y (* a b))");
  }

  @Test
  void whitespaceOfAllKindsAndWindowsLineEnds() {
    ModelDecl model = parseClean("model M {\r\n\tx = 1;\f\r\n  y\t=\t2;\r\n}\r\n").model();
    assertThat(model.members()).hasSize(2);
    assertThat(model.members().get(1).span()).hasToString("3:3");
  }

  @Test
  void indexAndTransposePositions() {
    Expr.Transpose t = (Expr.Transpose) Parsing.expr("v[3].T");
    Expr.Index i = (Expr.Index) t.operand();
    assertThat(i.subscripts()).hasSize(1);
    assertThat(((Expr.Num) i.subscripts().getFirst().at()).value()).isEqualTo(3);
    String prefix = "model M { z = ";
    assertThat(i.span().column()).isEqualTo(prefix.length() + 2); // the '['
    assertThat(t.span().column()).isEqualTo(prefix.length() + 5); // the '.T'
  }

  @Test
  void columnsCountJavaCharsLikeTheRenderer() {
    // U+1F600 is two UTF-16 chars; spans must agree with Source.line() and the caret renderer.
    String text = "model M { /* \uD83D\uDE00 */ z = a + b; }";
    Member member = parseClean(text).model().members().getFirst();
    Expr.Binary plus = (Expr.Binary) ((Member.Assign) member).value();
    assertThat(plus.span().column()).isEqualTo(text.indexOf('+') + 1);
    assertThat(text.substring(plus.span().start(), plus.span().end())).isEqualTo("a + b");
  }
}
