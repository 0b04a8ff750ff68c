package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.ModelDecl;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Shape;
import java.util.List;
import java.util.Map;

/**
 * A model that passed every check: its forward computation as a shape-annotated graph, and what
 * it declares. Every later phase starts from here; nothing after the checker looks at the AST
 * except for names and positions.
 *
 * @param values every named value (declared or assigned) in source order, to its node
 * @param labels for each node that has a name in the source, its first name (for printing)
 * @param outputs the output names, in source order, to their nodes
 * @param rewrites the numerically stable forms the checker chose instead of the written ones
 */
public record CheckedModel(
    ModelDecl decl,
    Source source,
    Graph graph,
    List<Declared> inputs,
    List<Declared> targets,
    List<ParamInfo> params,
    List<HyperInfo> hypers,
    Map<String, Node> values,
    Map<Node, String> labels,
    Map<String, Node> outputs,
    String lossName,
    Node loss,
    List<String> gradInputs,
    List<StableRewrite> rewrites) {

  public String name() {
    return decl.name();
  }

  /** An input or target: per-instance shape, and its leaf node. */
  public record Declared(String name, Shape shape, Node node, Span span) {}

  /** A trainable parameter, its shape, initializer and leaf node. */
  public record ParamInfo(String name, Shape shape, Initializer init, Node node, Span span) {}

  /** A named scalar constant with its default value. */
  public record HyperInfo(String name, double defaultValue, Node node, Span span) {}

  /** A place where the checker computed a stable form instead of the written expression. */
  public record StableRewrite(Span span, String written, String computedAs) {}
}
