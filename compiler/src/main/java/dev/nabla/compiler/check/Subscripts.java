package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.Expr;
import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Lowers Python-style indexing and slicing, {@code X[2, 1:4]}, {@code X[-1]}, {@code X[:, -2:]}:
 * one subscript per leading axis (axes left out are taken whole), negative numbers counted from
 * the end, an integer index dropping its axis. Anything out of range is an error naming the
 * value, its shape and the axis; nothing is clamped (unlike Python's slices), and an empty slice
 * is an error too, since values have no zero-length axes.
 */
final class Subscripts {
  private Subscripts() {}

  /**
   * The node of {@code i} applied to {@code v}, or null after reporting an error.
   *
   * @param whole the evaluator of a bound ({@link Lowering#whole}): an expression and what the
   *     place needs, for its message
   */
  static Node lower(Expr.Index i, Node v, Graph graph, BiFunction<Expr, String, Integer> whole, Lowering reporter) {
    if (v == null) {
      return null;
    }
    Shape s = v.shape();
    String what = ExprText.of(i.operand());
    int given = i.subscripts().size();
    if (given > s.rank()) {
      reporter.error(i.span(), s.isScalar()
          ? "cannot index " + what + ": it is a scalar"
          : "too many indices for " + what + ", which is " + s + ": " + given + " given for "
              + s.rank() + (s.rank() == 1 ? " axis" : " axes"));
      return null;
    }
    List<Integer> from = new ArrayList<>();
    List<Integer> to = new ArrayList<>();
    List<Boolean> dropped = new ArrayList<>();
    boolean failed = false;
    for (int k = 0; k < s.rank(); k++) {
      int n = s.dim(k);
      if (k >= given) {
        from.add(0);
        to.add(n);
        dropped.add(false);
        continue;
      }
      Expr.Subscript sub = i.subscripts().get(k);
      String axis = s.rank() == 1 ? what + ", which is " + s : "axis " + k + " of " + what + ", which is " + s;
      if (!sub.isRange()) {
        Integer at = whole.apply(sub.at(), "an index must be a whole number");
        if (at == null) {
          failed = true;
          continue;
        }
        int index = at < 0 ? at + n : at;
        if (index < 0 || index >= n) {
          reporter.error(sub.span(), "index " + at + " is out of range for " + axis
              + " (valid: " + -n + " to " + (n - 1) + ")");
          failed = true;
          continue;
        }
        from.add(index);
        to.add(index + 1);
        dropped.add(true);
        continue;
      }
      Integer a = sub.from() == null ? Integer.valueOf(0) : whole.apply(sub.from(), "a slice bound must be a whole number");
      Integer b = sub.to() == null ? Integer.valueOf(n) : whole.apply(sub.to(), "a slice bound must be a whole number");
      if (a == null || b == null) {
        failed = true;
        continue;
      }
      int start = a < 0 ? a + n : a;
      int end = b < 0 ? b + n : b;
      if (start < 0 || end > n || start >= end) {
        boolean inside = start >= 0 && end <= n;
        reporter.error(sub.span(), "slice " + rangeText(sub) + (inside ? " is empty for " : " is out of range for ")
            + axis + " (need " + -n + " <= from < to <= " + n + ", negatives counted from the end)");
        failed = true;
        continue;
      }
      from.add(start);
      to.add(end);
      dropped.add(false);
    }
    return failed ? null : graph.subscript(v, from, to, dropped);
  }

  private static String rangeText(Expr.Subscript sub) {
    return (sub.from() == null ? "" : ExprText.of(sub.from())) + ":" + (sub.to() == null ? "" : ExprText.of(sub.to()));
  }
}
