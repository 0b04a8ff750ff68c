package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.Expr;
import dev.nabla.compiler.ast.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * The pair arguments {@code (sh, sw)} of the 2-D convolutions and poolings: their stride,
 * padding, dilation and window {@code k} are one whole number (both axes) or a parenthesised pair
 * (rows, columns). Everywhere else a pair is an error that says where pairs belong.
 */
final class Pairs {
  private Pairs() {}

  /**
   * The entries of a pair parameter's argument: one whole number (a list of one) or the two of a
   * pair; null after reporting an error (a pair of another length, an entry that is not whole).
   *
   * @param whole the evaluator of a whole number: an expression and what the place needs
   */
  static List<Integer> read(String function, String param, Expr arg, BiFunction<Expr, String, Integer> whole,
      BiConsumer<Span, String> error) {
    if (!(arg instanceof Expr.Tuple t)) {
      Integer v = whole.apply(arg, "'" + function + "' needs a whole number or a pair (rows, columns) for " + param);
      return v == null ? null : List.of(v);
    }
    if (t.items().size() != 2) {
      error.accept(t.span(), "'" + function + "' needs " + param + " as one whole number or a pair (rows, columns),"
          + " but " + ExprText.of(t) + " has " + t.items().size() + " entries");
      return null;
    }
    List<Integer> values = new ArrayList<>();
    for (Expr item : t.items()) {
      Integer v = whole.apply(item, "each entry of " + param + " in '" + function + "' must be a whole number");
      if (v == null) {
        return null;
      }
      values.add(v);
    }
    return values;
  }

  /** The message for a pair where one whole number is expected (a 1-D form's stride, a size). */
  static String notOne(String function, String param, Expr.Tuple pair) {
    String hint = function.contains("1d")
        ? ": a pair (rows, columns) is only for the 2-D forms (" + function.replace("1d", "2d") + ")"
        : "";
    return "'" + function + "' takes one whole number for " + param + ", not the pair " + ExprText.of(pair) + hint;
  }

  /** The message for a pair used as a value. */
  static String notValue(Expr.Tuple pair) {
    return "a pair such as " + ExprText.of(pair) + " can only be the stride, padding, dilation or window k of a"
        + " 2-D convolution or pooling (conv2d, maxpool2d, ...), not a value";
  }

  /** A pair as messages and printed programs write it: one number when both entries agree. */
  static String text(int rows, int cols) {
    return rows == cols ? String.valueOf(rows) : "(" + rows + ", " + cols + ")";
  }
}
