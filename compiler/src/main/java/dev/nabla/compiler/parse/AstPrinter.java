package dev.nabla.compiler.parse;

import dev.nabla.compiler.ast.Dim;
import dev.nabla.compiler.ast.Expr;
import dev.nabla.compiler.ast.Member;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Compact S-expressions of the AST, for tests and debugging: {@code -a^2} is {@code (neg (^ a
 * 2))}, {@code x.T @ y} is {@code (@ (T x) y)}, {@code f(a, alpha=0.1)} is {@code (call f a
 * alpha=0.1)}, {@code v[3]} is {@code (idx v 3)}. Numbers print as written.
 */
public final class AstPrinter {
  private AstPrinter() {}

  public static String print(Expr expr) {
    StringBuilder out = new StringBuilder();
    append(out, expr);
    return out.toString();
  }

  /**
   * A member: {@code (input x [64] grad)}, {@code (param W [32 64] he)}, {@code (hyper lambda
   * 1e-4)}, {@code (= z (+ a b))}, {@code (output Y)}, {@code (loss L ...)}.
   */
  public static String print(Member member) {
    return switch (member) {
      case Member.Input i ->
          "(input " + i.name() + shape(i.shape()) + (i.grad() ? " grad" : "") + ")";
      case Member.Target t -> "(target " + t.name() + shape(t.shape()) + ")";
      case Member.Param p ->
          "(param " + p.name() + shape(p.shape())
              + (p.initializer() == null ? "" : " " + print(p.initializer())) + ")";
      case Member.Hyper h -> "(hyper " + h.name() + " " + print(h.value()) + ")";
      case Member.Assign a -> "(= " + a.name() + " " + print(a.value()) + ")";
      case Member.Output o ->
          "(output " + o.name() + (o.value() == null ? "" : " " + print(o.value())) + ")";
      case Member.Loss l -> "(loss " + l.name() + " " + print(l.value()) + ")";
      case Member.DimDecl d -> "(dim " + d.name() + " " + print(d.value()) + ")";
      case Member.State s -> "(state " + s.name() + shape(s.shape()) + " " + print(s.initial()) + ")";
      case Member.Collect c -> "(collect " + c.name() + " " + print(c.value()) + ")";
      case Member.Loop l -> "(for" + (l.reverse() ? " reverse" : "")
          + l.sequences().stream().map(s -> " (in " + s.name() + " " + print(s.sequence()) + ")")
              .collect(Collectors.joining())
          + l.body().stream().map(m -> " " + print(m)).collect(Collectors.joining()) + ")";
    };
  }

  private static String shape(List<Dim> shape) {
    if (shape.isEmpty()) {
      return "";
    }
    return shape.stream()
        .map(d -> print(d.size()))
        .collect(Collectors.joining(" ", " [", "]"));
  }

  // Recursion depth follows the expression's nesting, like the parser's: run deep ones on a
  // BigStack.
  private static void append(StringBuilder out, Expr expr) {
    switch (expr) {
      case Expr.Num n -> out.append(n.text());
      case Expr.Name n -> out.append(n.name());
      case Expr.Neg n -> {
        out.append("(neg ");
        append(out, n.operand());
        out.append(')');
      }
      case Expr.Binary b -> {
        out.append('(').append(b.op().symbol()).append(' ');
        append(out, b.left());
        out.append(' ');
        append(out, b.right());
        out.append(')');
      }
      case Expr.Transpose t -> {
        out.append("(T ");
        append(out, t.operand());
        out.append(')');
      }
      case Expr.Index i -> {
        out.append("(idx ");
        append(out, i.operand());
        for (Expr.Subscript s : i.subscripts()) {
          out.append(' ');
          if (s.isRange()) {
            out.append("(: ");
            appendOrDash(out, s.from());
            out.append(' ');
            appendOrDash(out, s.to());
            out.append(')');
          } else {
            append(out, s.at());
          }
        }
        out.append(')');
      }
      case Expr.ListLit l -> items(out, "(list", l.items());
      case Expr.Tuple t -> items(out, "(tuple", t.items());
      case Expr.Call c -> {
        out.append("(call ").append(c.function());
        for (Expr arg : c.args()) {
          out.append(' ');
          append(out, arg);
        }
        for (Expr.NamedArg arg : c.namedArgs()) {
          out.append(' ').append(arg.name()).append('=');
          append(out, arg.value());
        }
        out.append(')');
      }
    }
  }

  /** A left-out range bound prints as {@code _}. */
  /** {@code (list a b)}, {@code (tuple a b)}. */
  private static void items(StringBuilder out, String open, List<Expr> items) {
    out.append(open);
    for (Expr item : items) {
      out.append(' ');
      append(out, item);
    }
    out.append(')');
  }

  private static void appendOrDash(StringBuilder out, Expr e) {
    if (e == null) {
      out.append('_');
    } else {
      append(out, e);
    }
  }
}
