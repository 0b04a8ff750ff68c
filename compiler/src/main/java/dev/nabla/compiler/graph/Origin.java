package dev.nabla.compiler.graph;

import dev.nabla.compiler.ast.Span;

/**
 * Where a graph node came from. For a forward node, the source position of the expression. For
 * a node of the derivative program, the source position of the forward node whose local rule
 * made it and the chain-rule term it implements, such as {@code dL/dz1 * dz1/dW1}.
 */
public record Origin(Span span, String term) {
  public static final Origin NONE = new Origin(Span.NONE, "");

  public static Origin at(Span span) {
    return new Origin(span, "");
  }
}
