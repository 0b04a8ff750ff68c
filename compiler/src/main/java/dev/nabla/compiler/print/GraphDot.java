package dev.nabla.compiler.print;

import dev.nabla.compiler.autodiff.DerivativeProgram;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Origin;
import dev.nabla.compiler.graph.Shape;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nabla graph}: the computation graph as a Graphviz influence diagram, values as nodes
 * and dependencies as arrows. With {@code grad}, the arrows run backwards, from each value to
 * the values it depends on, and carry the local derivative rule: how the adjoint {@code g} of
 * the value turns into a contribution to the adjoint of the input.
 */
public final class GraphDot {
  private GraphDot() {}

  /**
   * Nesting written out in a label; deeper parts are {@code ...} (each has its own graph node).
   * Labels of a chain {@code tanh(tanh(...))} would otherwise grow with its depth: a graph
   * quadratic in the model's size.
   */
  static final int MAX_LABEL_DEPTH = 6;

  public static String forward(CheckedModel model, List<Node> nodes) {
    StringBuilder out = header(model, "LR");
    for (Node n : nodes) {
      out.append(nodeLine(model, n));
    }
    for (Node n : nodes) {
      for (Node in : n.inputs()) {
        out.append("  n").append(in.id()).append(" -> n").append(n.id()).append(";\n");
      }
    }
    return out.append("}\n").toString();
  }

  public static String derivative(DerivativeProgram program) {
    CheckedModel model = program.model();
    Graph g = model.graph();
    StringBuilder out = header(model, "RL");
    for (Node n : program.forward()) {
      out.append(nodeLine(model, n));
    }
    // g stands for the adjoint of the value an arrow leaves; the label is the VJP rule's result.
    Map<Node, String> placeholders = new IdentityHashMap<>();
    for (Node u : program.forward()) {
      if (!program.adjoints().containsKey(u) || u.op() instanceof Leaf) {
        continue;
      }
      Node placeholder = g.leaf(Leaf.Kind.HYPER, "<adjoint>", u.shape());
      placeholders.put(placeholder, "g");
      Origin previous = g.setOrigin(Origin.NONE);
      List<Node> local;
      try {
        local = u.op().vjp(g, u, placeholder);
      } finally {
        g.setOrigin(previous);
      }
      for (int i = 0; i < local.size(); i++) {
        Node c = u.input(i);
        if (local.get(i) == null || !program.adjoints().containsKey(c)) {
          continue;
        }
        Map<Node, String> names = new IdentityHashMap<>(model.labels());
        names.putAll(placeholders);
        String rule = ExprWriter.shortened(names::get, MAX_LABEL_DEPTH).write(local.get(i));
        out.append("  n").append(u.id()).append(" -> n").append(c.id())
            .append(" [label=").append(quote(rule)).append("];\n");
      }
    }
    return out.append("}\n").toString();
  }

  private static StringBuilder header(CheckedModel model, String direction) {
    return new StringBuilder("digraph ")
        .append(quote(model.name()))
        .append(" {\n  rankdir=").append(direction)
        .append(";\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n");
  }

  private static String nodeLine(CheckedModel model, Node n) {
    String label = model.labels().get(n);
    String shape = "ellipse";
    String text;
    if (n.op() instanceof Leaf leaf) {
      shape = leaf.kind() == Leaf.Kind.PARAM ? "box" : "ellipse";
      text = leaf.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + leaf.name();
    } else {
      text = (label != null ? label + " = " : "") + ExprWriter.shortened(x -> x == n ? null : model.labels().get(x), MAX_LABEL_DEPTH).writeDefinition(n);
    }
    text += " " + shapeText(n.shape());
    String style = n == model.loss() ? ", style=bold" : "";
    return "  n" + n.id() + " [shape=" + shape + style + ", label=" + quote(text) + "];\n";
  }

  private static String shapeText(Shape s) {
    return s.isScalar() ? "[]" : s.toString();
  }

  /** A DOT string literal: quotes and backslashes escaped. */
  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
