package dev.nabla.compiler.print;

import dev.nabla.compiler.graph.Shape;
import dev.nabla.compiler.graph.Subscript;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** How the layout ops' constants are written in printed programs: lists and subscripts. */
final class LayoutText {
  private LayoutText() {}

  /** {@code [2, 0, 1]}. */
  static String list(List<Integer> items) {
    return items.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * The subscripts of {@code X[1, 2:4]} as parsed back by the checker: an index where the axis is
   * dropped, {@code a:b} where it is sliced, {@code :} where it is whole; whole axes at the end
   * are left out.
   */
  static String subscripts(Subscript s, Shape input) {
    int last = input.rank() - 1;
    while (last > 0 && !s.dropped().get(last) && s.from().get(last) == 0 && s.to().get(last) == input.dim(last)) {
      last--;
    }
    List<String> parts = new ArrayList<>();
    for (int k = 0; k <= last; k++) {
      int from = s.from().get(k);
      int to = s.to().get(k);
      if (s.dropped().get(k)) {
        parts.add(String.valueOf(from));
      } else if (from == 0 && to == input.dim(k)) {
        parts.add(":");
      } else {
        parts.add(from + ":" + to);
      }
    }
    return String.join(", ", parts);
  }
}
