package dev.nabla.compiler.ast;

import java.util.List;

/**
 * One declaration or statement inside a model. Every member introduces exactly one name
 * ({@link #name()}), written at {@link #nameSpan()}.
 */
public sealed interface Member {
  String name();

  Span nameSpan();

  /** The whole member, from its first token. */
  Span span();

  /** {@code input x[64];} or {@code input x[64] grad;}; an empty shape is a scalar. */
  record Input(String name, Span nameSpan, List<Dim> shape, boolean grad, Span span)
      implements Member {
    public Input {
      shape = List.copyOf(shape);
    }
  }

  /** {@code target d[10];}. */
  record Target(String name, Span nameSpan, List<Dim> shape, Span span) implements Member {
    public Target {
      shape = List.copyOf(shape);
    }
  }

  /**
   * {@code param W[32, 64] = he;}. The initializer is a name ({@code he}) or a call
   * ({@code uniform(-1, 1)}); null when omitted.
   */
  record Param(String name, Span nameSpan, List<Dim> shape, Expr initializer, Span span)
      implements Member {
    public Param {
      shape = List.copyOf(shape);
    }
  }

  /** {@code hyper lambda = 1e-4;}. */
  record Hyper(String name, Span nameSpan, Expr value, Span span) implements Member {}

  /** {@code z1 = W1 @ x + b1;}. */
  record Assign(String name, Span nameSpan, Expr value, Span span) implements Member {}

  /** {@code output Y = softmax(z2);}, or {@code output Y;} (value null) to export a value. */
  record Output(String name, Span nameSpan, Expr value, Span span) implements Member {}

  /** {@code loss L = cross_entropy(Y, d);}. */
  record Loss(String name, Span nameSpan, Expr value, Span span) implements Member {}

  /**
   * {@code dim T = 8;}: a whole-number constant, inside a model or (in {@link SourceFile#dims})
   * at the top level of a file, for every model.
   */
  record DimDecl(String name, Span nameSpan, Expr value, Span span) implements Member {}
}
