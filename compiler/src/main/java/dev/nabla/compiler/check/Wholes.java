package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The whole numbers of a list argument ({@code reshape(a, [2, -1])}, {@code transpose(a, [2, 0,
 * 1])}, {@code pad(X, [1, 0], [0, 2])}), each evaluated by {@link Lowering#whole} (integer
 * literals and dims).
 */
final class Wholes {
  private Wholes() {}

  /**
   * The items of a list argument, or of one whole number (a list of one); null after an error.
   *
   * @param whole the evaluator: an expression and what the place needs (for its message)
   */
  static List<Integer> list(Expr e, BiFunction<Expr, String, Integer> whole, String needs) {
    List<Expr> items = e instanceof Expr.ListLit l ? l.items() : List.of(e);
    List<Integer> values = new ArrayList<>();
    boolean failed = false;
    for (Expr item : items) {
      Integer v = whole.apply(item, needs);
      failed |= v == null;
      values.add(v);
    }
    return failed ? null : values;
  }
}
