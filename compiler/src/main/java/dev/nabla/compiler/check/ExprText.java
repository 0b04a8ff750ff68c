package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.BinaryOp;
import dev.nabla.compiler.ast.Expr;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an expression back in {@code .nn} syntax, for messages that name an operand that is
 * not a plain name ({@code W1 @ x is [32] but b1 is [31]}).
 */
final class ExprText {
  private ExprText() {}

  static String of(Expr e) {
    return write(e, 0);
  }

  /** Binding strength, loosest first (comparisons 0), as in the grammar. */
  private static int precedence(Expr e) {
    return switch (e) {
      case Expr.Binary b ->
          switch (b.op()) {
            case ADD, SUB -> 1;
            case MUL, DIV -> 2;
            case MATMUL -> 3;
            case POW -> 5;
            case LT, LE, GT, GE, EQ, NE -> 0;
          };
      case Expr.Neg n -> 4;
      default -> 6;
    };
  }

  private static String write(Expr e, int context) {
    String text =
        switch (e) {
          case Expr.Num n -> n.text();
          case Expr.Name n -> n.name();
          case Expr.Neg n -> "-" + write(n.operand(), 4);
          case Expr.Binary b -> {
            int p = precedence(b);
            boolean rightAssoc = b.op() == BinaryOp.POW;
            String left = write(b.left(), rightAssoc ? p + 1 : p);
            String right = write(b.right(), rightAssoc ? p : p + 1);
            yield left + " " + b.op().symbol() + " " + right;
          }
          case Expr.Transpose t -> write(t.operand(), 6) + ".T";
          case Expr.Index i -> {
            List<String> subs = new ArrayList<>();
            for (Expr.Subscript s : i.subscripts()) {
              subs.add(s.isRange()
                  ? (s.from() == null ? "" : write(s.from(), 0)) + ":" + (s.to() == null ? "" : write(s.to(), 0))
                  : write(s.at(), 0));
            }
            yield write(i.operand(), 6) + "[" + String.join(", ", subs) + "]";
          }
          case Expr.ListLit l -> {
            List<String> items = new ArrayList<>();
            l.items().forEach(item -> items.add(write(item, 0)));
            yield "[" + String.join(", ", items) + "]";
          }
          case Expr.Tuple t -> {
            List<String> items = new ArrayList<>();
            t.items().forEach(item -> items.add(write(item, 0)));
            yield "(" + String.join(", ", items) + ")";
          }
          case Expr.Call c -> {
            List<String> args = new ArrayList<>();
            c.args().forEach(a -> args.add(write(a, 0)));
            c.namedArgs().forEach(a -> args.add(a.name() + "=" + write(a.value(), 0)));
            yield c.function() + "(" + String.join(", ", args) + ")";
          }
        };
    return precedence(e) < context ? "(" + text + ")" : text;
  }
}
