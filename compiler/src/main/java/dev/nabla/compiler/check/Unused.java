package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.Expr;
import dev.nabla.compiler.ast.Member;
import dev.nabla.compiler.ast.ModelDecl;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.diag.Diagnostics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Warnings for names a model declares or computes but never uses: an input, target, param, hyper
 * or value that neither the loss nor any output refers to, directly or through other values.
 * Such a name changes nothing the model computes (a param's gradient is zero, {@code grad}
 * prints {@code dw = expand(0, 5)}), which is almost always a mistake in the model.
 */
final class Unused {
  private Unused() {}

  static void warn(Source source, ModelDecl model, Diagnostics diagnostics) {
    Map<String, Member> definitions = new HashMap<>();
    Deque<String> work = new ArrayDeque<>();
    for (Member m : model.members()) {
      if (m instanceof Member.Loop loop) {
        loop.defines().forEach(d -> definitions.putIfAbsent(d.name(), loop));
      } else if (!(m instanceof Member.Output o && o.value() == null)) {
        definitions.putIfAbsent(m.name(), m);
      }
      if (m instanceof Member.Output || m instanceof Member.Loss) {
        work.add(m.name());
      }
    }
    Set<String> used = new HashSet<>();
    while (!work.isEmpty()) {
      String name = work.removeLast();
      if (used.add(name) && definitions.get(name) != null) {
        for (Expr value : values(definitions.get(name))) {
          names(value, work);
        }
      }
    }
    for (Member m : model.members()) {
      String kind = kind(m);
      if (kind != null && !used.contains(m.name()) && definitions.get(m.name()) == m) {
        diagnostics.warning(source, m.nameSpan(), kind + " '" + m.name() + "' is not used: it does not"
            + " reach the loss or an output");
      }
    }
  }

  /** What a member is called in a warning; null for outputs and the loss, which are uses. */
  private static String kind(Member m) {
    return switch (m) {
      case Member.Input i -> "input";
      case Member.Target t -> "target";
      case Member.Param p -> "param";
      case Member.Hyper h -> "hyper";
      case Member.Assign a -> "value";
      case Member.Output o -> null;
      case Member.Loss l -> null;
      case Member.DimDecl d -> null; // a constant, like a literal: not worth a warning
      // a loop's names are used or not together; state and collect outside a loop are errors
      case Member.Loop l -> null;
      case Member.State s -> null;
      case Member.Collect c -> null;
    };
  }

  /** The expressions a member computes from: a loop's are its header's, initial values' and body's. */
  private static List<Expr> values(Member m) {
    return switch (m) {
      case Member.Assign a -> List.of(a.value());
      case Member.Output o -> o.value() == null ? List.of() : List.of(o.value());
      case Member.Loss l -> List.of(l.value());
      case Member.State s -> List.of(s.initial());
      case Member.Collect c -> List.of(c.value());
      case Member.Loop loop -> {
        List<Expr> all = new ArrayList<>();
        loop.sequences().forEach(s -> all.add(s.sequence()));
        loop.body().forEach(b -> all.addAll(values(b)));
        yield all;
      }
      default -> List.of();
    };
  }

  /** Adds every name an expression refers to; iterative, as expressions may be deeply nested. */
  private static void names(Expr root, Deque<String> out) {
    List<Expr> stack = new ArrayList<>(List.of(root));
    while (!stack.isEmpty()) {
      switch (stack.removeLast()) {
        case Expr.Name n -> out.add(n.name());
        case Expr.Num n -> {}
        case Expr.Neg n -> stack.add(n.operand());
        case Expr.Binary b -> {
          stack.add(b.left());
          stack.add(b.right());
        }
        case Expr.Transpose t -> stack.add(t.operand());
        case Expr.Index i -> {
          stack.add(i.operand());
          stack.addAll(i.bounds());
        }
        case Expr.ListLit l -> stack.addAll(l.items());
        case Expr.Tuple t -> stack.addAll(t.items());
        case Expr.Call c -> {
          stack.addAll(c.args());
          c.namedArgs().forEach(a -> stack.add(a.value()));
        }
      }
    }
  }
}
