package dev.nabla.compiler.simplify;

import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.Node;

/**
 * One local rewrite: looks at a node (whose inputs are already simplified) and returns an equal
 * but simpler node, or null when it does not apply. The name is what {@code nabla grad --trace}
 * prints when the rule fires.
 */
public record Rule(String name, Rewrite rewrite) {
  @FunctionalInterface
  public interface Rewrite {
    Node apply(Graph g, Node n);
  }
}
