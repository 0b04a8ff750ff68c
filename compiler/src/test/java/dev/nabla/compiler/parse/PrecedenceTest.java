package dev.nabla.compiler.parse;

import static dev.nabla.compiler.parse.Parsing.sexpr;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Precedence, associativity and the lexing of .T and numbers, through the AST's S-expressions. */
class PrecedenceTest {
  @ParameterizedTest(name = "{0}  =>  {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          -a^2               | (neg (^ a 2))
          a^b^c              | (^ a (^ b c))
          a - b - c          | (- (- a b) c)
          a / b / c          | (/ (/ a b) c)
          a @ b @ c          | (@ (@ a b) c)
          a @ b + c          | (+ (@ a b) c)
          a + b @ c          | (+ a (@ b c))
          x.T @ y            | (@ (T x) y)
          x.T@y              | (@ (T x) y)
          A.T.T              | (T (T A))
          a * b @ c          | (* a (@ b c))
          a @ b * c          | (* (@ a b) c)
          -x @ y             | (@ (neg x) y)
          v[3].T             | (T (idx v 3))
          a^-2               | (^ a (neg 2))
          a^-2 @ b           | (@ (^ a (neg 2)) b)
          -a.T               | (neg (T a))
          a.T^2              | (^ (T a) 2)
          a + b * c          | (+ a (* b c))
          (a + b) * c        | (* (+ a b) c)
          a - -b             | (- a (neg b))
          --a                | (neg (neg a))
          2 * -3             | (* 2 (neg 3))
          a * b / c * d      | (* (/ (* a b) c) d)
          f(x)[0]            | (idx (call f x) 0)
          (a @ b).T          | (T (@ a b))
          W1 @ x + b1        | (+ (@ W1 x) b1)
          f(a, b, alpha=0.1) | (call f a b alpha=0.1)
          f()                | (call f)
          g(x + 1, k=-2)     | (call g (+ x 1) k=(neg 2))
          sum(A, axis=0)     | (call sum A axis=0)
          f(x, s=(2, k + 1)) | (call f x s=(tuple 2 (+ k 1)))
          ((a), (b, c))      | (tuple a (tuple b c))
          """)
  void parsesAs(String source, String expected) {
    assertThat(sexpr(source)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          12      | 12.0
          0.5     | 0.5
          .5      | 0.5
          1.      | 1.0
          1e-4    | 1.0E-4
          3.0E+2  | 300.0
          2E3     | 2000.0
          1.5e2   | 150.0
          """)
  void numbersKeepTheirTextAndValue(String source, double value) {
    var num = (dev.nabla.compiler.ast.Expr.Num) Parsing.expr(source);
    assertThat(num.text()).isEqualTo(source);
    assertThat(num.value()).isEqualTo(value);
  }
}
