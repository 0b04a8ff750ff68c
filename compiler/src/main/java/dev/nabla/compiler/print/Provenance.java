package dev.nabla.compiler.print;

import dev.nabla.compiler.autodiff.DerivativeProgram;
import dev.nabla.compiler.graph.Node;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where an adjoint comes from, as a line's comment: the value's source position and the
 * chain-rule terms summed into it, {@code 11:3 dL/dy1 * dy1/dz1}, one per child of the value.
 */
final class Provenance {
  /**
   * Nesting of an unnamed value written out in a term; deeper parts are {@code ...}. A term
   * describes one value, so a chain of values nested ever deeper must not write ever more.
   */
  static final int MAX_DEPTH = 6;

  private final Function<Node, String> names;
  /** For each forward value, its children that have an adjoint, in forward order. */
  private final Map<Node, List<Node>> children = new IdentityHashMap<>();

  /**
   * Indexes the program's children once, so each line costs only its own terms.
   *
   * @param names the names of the printed program (model values and its own lines)
   */
  Provenance(DerivativeProgram program, Function<Node, String> names) {
    this.names = names;
    for (Node u : program.forward()) {
      if (program.adjoints().containsKey(u)) {
        for (Node in : u.inputs().stream().distinct().toList()) {
          children.computeIfAbsent(in, k -> new ArrayList<>()).add(u);
        }
      }
    }
  }

  String of(Node value) {
    String c = describe(value);
    List<String> terms = new ArrayList<>();
    for (Node u : children.getOrDefault(value, List.of())) {
      String child = describe(u);
      terms.add("dL/d" + child + " * d" + child + "/d" + c);
    }
    String where = value.origin().span().isKnown() ? "line " + value.origin().span().line() + ": " : "";
    return where + "dL/d" + c + " = " + (terms.isEmpty() ? "1" : String.join(" + ", terms));
  }

  private String describe(Node n) {
    String name = names.apply(n);
    if (name != null) {
      return name;
    }
    return "(" + ExprWriter.shortened(names, MAX_DEPTH).write(n) + ")";
  }
}
