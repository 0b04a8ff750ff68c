package dev.nabla.compiler.print;

import dev.nabla.compiler.autodiff.DerivativeProgram;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.graph.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an adjoint comes from, as a line's comment: the value's source position and the
 * chain-rule terms summed into it, {@code 11:3 dL/dy1 * dy1/dz1}, one per child of the value.
 */
final class Provenance {
  private Provenance() {}

  static String of(CheckedModel model, Node value, DerivativeProgram program) {
    String c = describe(model, value);
    List<String> terms = new ArrayList<>();
    for (Node u : program.forward()) {
      if (program.adjoints().containsKey(u) && u.inputs().contains(value)) {
        String child = describe(model, u);
        terms.add("dL/d" + child + " * d" + child + "/d" + c);
      }
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
