package dev.nabla.compiler.parse;

import static dev.nabla.compiler.parse.Parsing.parse;
import static dev.nabla.compiler.parse.Parsing.parseClean;
import static dev.nabla.compiler.parse.Parsing.sexpr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.ast.Member;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Version 2's syntax in the parser: comparisons bind looser than {@code + -} and do not chain
 * ({@code a < b < c} is {@code (a < b) < c}); {@code dim} declares a constant at file level or in
 * a model and is an ordinary name everywhere else; dimensions and indices are expressions.
 */
class ComparisonAndDimParsingTest {
  @ParameterizedTest(name = "{0}  =>  {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a < b              | (< a b)
          a <= b             | (<= a b)
          a > b              | (> a b)
          a >= b             | (>= a b)
          a == b             | (== a b)
          a != b             | (!= a b)
          a + 1 < b * 2      | (< (+ a 1) (* b 2))
          a - b >= -c        | (>= (- a b) (neg c))
          a < b < c          | (< (< a b) c)
          a == b != c        | (!= (== a b) c)
          a < (b < c)        | (< a (< b c))
          (a < b) * c        | (* (< a b) c)
          where(x > 0, x, 0) | (call where (> x 0) x 0)
          f(a<b, k=c>=d)     | (call f (< a b) k=(>= c d))
          v[T - 1]           | (idx v (- T 1))
          a<=-b              | (<= a (neg b))
          """)
  void parsesAs(String source, String expected) {
    assertThat(sexpr(source)).isEqualTo(expected);
  }

  @Test
  void dimDeclarationsAtFileLevelAndInAModel() {
    Parsing.Result r = parseClean("dim T = 8;\ndef f(z) = z;\ndim H = 4 * T;\nmodel M { dim K = H / 2; input x[T, K + 1]; }");
    assertThat(r.file().dims()).extracting(Member.DimDecl::name).containsExactly("T", "H");
    assertThat(r.file().dims().get(1).nameSpan()).hasToString("3:5");
    assertThat(r.model().members()).extracting(AstPrinter::print)
        .containsExactly("(dim K (/ H 2))", "(input x [T (+ K 1)])");
  }

  @Test
  void dimIsANameWhereNoDeclarationStarts() {
    // `dim = ...` assigns a value called dim (the checker then asks to rename it), and dim can
    // be read, as the other contextual keywords can.
    assertThat(parseClean("model M { dim = 3; y = dim * 2; }").model().members())
        .extracting(AstPrinter::print)
        .containsExactly("(= dim 3)", "(= y (* dim 2))");
  }

  @Test
  void aBrokenDimDeclarationIsReportedAndTheFileGoesOn() {
    Parsing.Result r = parse("dim T = ;\ndim H 4;\nmodel M { x = 1; }\n");
    assertThat(r.rendered()).isEqualTo(
        """
        t.nn:1:9: error: expected an expression after '=', found ';'
          dim T = ;
                  ^
        t.nn:2:7: error: expected '=' after 'H'
          dim H 4;
                ^
        """);
    assertThat(r.model().name()).isEqualTo("M");
  }

  @Test
  void aLoneBangIsABadCharacter() {
    assertThat(parse("model M { y = a ! b; }").rendered()).startsWith("t.nn:1:17: error:");
  }
}
