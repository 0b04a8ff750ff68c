package dev.nabla.compiler.ast;

import java.util.List;

/**
 * An expression. The span of an operator node is the position of its operator token (the
 * column an error about that operator points at); of a call, the function name.
 */
public sealed interface Expr {
  Span span();

  /** A number literal; {@code text} is how it was written. */
  record Num(double value, String text, Span span) implements Expr {}

  /** A reference to a value, parameter, hyper, input, target or def parameter. */
  record Name(String name, Span span) implements Expr {}

  /** Unary minus {@code -a}. */
  record Neg(Expr operand, Span span) implements Expr {}

  /** {@code a + b}, {@code a - b}, {@code a * b}, {@code a / b}, {@code A @ B}, {@code a ^ p}. */
  record Binary(BinaryOp op, Expr left, Expr right, Span span) implements Expr {}

  /** Postfix transpose {@code A.T}. */
  record Transpose(Expr operand, Span span) implements Expr {}

  /** Indexing {@code v[3]}; the index is a whole-number expression ({@code v[T - 1]}). */
  record Index(Expr operand, Expr index, Span span) implements Expr {}

  /** {@code f(a, b, alpha=0.1)}: positional arguments, then named ones. */
  record Call(String function, List<Expr> args, List<NamedArg> namedArgs, Span span)
      implements Expr {
    public Call {
      args = List.copyOf(args);
      namedArgs = List.copyOf(namedArgs);
    }
  }

  /** {@code alpha=0.1} inside a call. */
  record NamedArg(String name, Expr value, Span span) {}
}
