package dev.nabla.compiler.ast;

import java.util.List;

/** {@code def swish(z) = z * sigmoid(z);}: a function inlined wherever it is called. */
public record Def(String name, Span nameSpan, List<Identifier> parameters, Expr body, Span span) {
  public Def {
    parameters = List.copyOf(parameters);
  }
}
