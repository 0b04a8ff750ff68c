package dev.nabla.compiler.print;

import dev.nabla.compiler.autodiff.DerivativeProgram;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.graph.Node;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an adjoint comes from, as a line's comment: the value's source position and the
 * chain-rule terms summed into it, {@code 11:3 dL/dy1 * dy1/dz1}, one per child of the value.
 */
final class Provenance {
  private final CheckedModel model;
  /** For each forward value, its children that have an adjoint, in forward order. */
  private final Map<Node, List<Node>> children = new IdentityHashMap<>();

  /** Indexes the program's children once, so each line costs only its own terms. */
  Provenance(CheckedModel model, DerivativeProgram program) {
    this.model = model;
    for (Node u : program.forward()) {
      if (program.adjoints().containsKey(u)) {
        for (Node in : u.inputs().stream().distinct().toList()) {
          children.computeIfAbsent(in, k -> new ArrayList<>()).add(u);
        }
      }
    }
  }

  String of(Node value) {
    String c = describe(model, value);
    List<String> terms = new ArrayList<>();
    for (Node u : children.getOrDefault(value, List.of())) {
      String child = describe(model, u);
      terms.add("dL/d" + child + " * d" + child + "/d" + c);
    }
    String where = value.origin().span().isKnown() ? "line " + value.origin().span().line() + ": " : "";
    return where + "dL/d" + c + " = " + (terms.isEmpty() ? "1" : String.join(" + ", terms));
  }

  static String describe(CheckedModel model, Node n) {
    String label = model.labels().get(n);
    if (label != null) {
      return label;
    }
    return "(" + new ExprWriter(model.labels()::get).write(n) + ")";
  }
}
