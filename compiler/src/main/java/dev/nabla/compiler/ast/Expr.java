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

  /**
   * Indexing and slicing, {@code X[3]}, {@code X[-1, 1:4]}, {@code X[:, -2:]}: one subscript per
   * leading axis; its span is the {@code [}.
   */
  record Index(Expr operand, List<Subscript> subscripts, Span span) implements Expr {
    public Index {
      subscripts = List.copyOf(subscripts);
    }

    /** The bound expressions written in the subscripts, in order. */
    public List<Expr> bounds() {
      List<Expr> all = new java.util.ArrayList<>();
      for (Subscript s : subscripts) {
        for (Expr e : java.util.Arrays.asList(s.at(), s.from(), s.to())) {
          if (e != null) {
            all.add(e);
          }
        }
      }
      return all;
    }
  }

  /**
   * One axis of an {@link Index}: an index {@code at} (that axis is dropped), or a range
   * {@code from:to} whose bounds may be left out (null: the start, the end). The bounds are
   * expressions, checked to be whole numbers by the checker.
   */
  record Subscript(Expr at, Expr from, Expr to, Span span) {
    public boolean isRange() {
      return at == null;
    }
  }

  /** A list {@code [2, -1]}: an argument of reshape, transpose or pad. */
  record ListLit(List<Expr> items, Span span) implements Expr {
    public ListLit {
      items = List.copyOf(items);
    }
  }

  /**
   * A parenthesised tuple with a comma, {@code (2, 1)}: a pair of whole numbers for the rows and
   * columns of a 2-D convolution's or pooling's stride, padding, dilation or window. Parsed
   * with any number of items (two or more), so that the checker can say what is wrong.
   */
  record Tuple(List<Expr> items, Span span) implements Expr {
    public Tuple {
      items = List.copyOf(items);
    }
  }

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
