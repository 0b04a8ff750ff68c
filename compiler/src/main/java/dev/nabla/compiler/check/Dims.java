package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.BinaryOp;
import dev.nabla.compiler.ast.Expr;
import dev.nabla.compiler.ast.Member;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.diag.Elided;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code dim} constants one scope sees (a file's, or a model's with its file's) and the one
 * evaluator of the whole numbers written in a model: the dimensions of declarations, indices,
 * slice bounds, window sizes, axes and the whole-number arguments of built-ins all go through
 * {@link #whole}.
 *
 * <p>A whole number is written with integer literals ({@code 3.0} and {@code 1e3} are whole too),
 * dims, parentheses, unary minus and {@code + - * /}, where {@code /} must divide exactly. It is
 * computed exactly in {@code long} and must fit an {@code int}. A dim is a positive whole number;
 * dims may be declared in any order (a dim's value is computed when first needed), and a dim
 * reached again while its own value is computed closes a cycle, reported at its first dim.
 *
 * <p>Every error is reported once: a dim whose value failed answers null to every later use,
 * silently, so that its users stop without a second message.
 */
final class Dims {
  private enum State {
    EVALUATING,
    DONE
  }

  private final Source source;
  private final Diagnostics diagnostics;
  /** The file's dims, for a model's scope; null for the file's own scope. */
  private final Dims parent;
  private final Map<String, Member.DimDecl> decls = new LinkedHashMap<>();
  private final Map<String, State> states = new HashMap<>();
  private final Map<String, Integer> values = new HashMap<>();
  private final List<String> evaluating = new ArrayList<>();
  /** Names of the scope that are not dims (a model's values), to say what they are instead. */
  private final Map<String, Member> others;

  private Dims(Source source, Diagnostics diagnostics, Dims parent, Map<String, Member> others) {
    this.source = source;
    this.diagnostics = diagnostics;
    this.parent = parent;
    this.others = others;
  }

  /**
   * The file-level dims, every one evaluated (so that each error is reported once, even for a
   * dim no model uses). A dim declared twice, or named like a built-in, is reported here.
   */
  static Dims ofFile(Source source, List<Member.DimDecl> dims, Diagnostics diagnostics) {
    Dims file = new Dims(source, diagnostics, null, Map.of());
    for (Member.DimDecl d : dims) {
      String refusal = ReservedNames.refusal(d.name(), "dim");
      if (refusal != null) {
        diagnostics.error(source, d.nameSpan(), refusal);
        continue;
      }
      Member.DimDecl first = file.decls.putIfAbsent(d.name(), d);
      if (first != null) {
        diagnostics.error(source, d.nameSpan(),
            "dim '" + d.name() + "' is already declared at line " + first.nameSpan().line());
      }
    }
    file.evaluateAll();
    return file;
  }

  /**
   * A model's scope: its own dims (already checked for names: not defined twice, not a file
   * dim's name) over the file's. {@code members} are the model's names, filled by the caller
   * before any dim is evaluated, so that a message can say "'x' is an input, not a dim".
   */
  Dims forModel(List<Member.DimDecl> dims, Map<String, Member> members) {
    Dims model = new Dims(source, diagnostics, this, members);
    for (Member.DimDecl d : dims) {
      model.decls.put(d.name(), d);
    }
    return model;
  }

  /** The file-level dim of this name (in this scope or its file's), or null. */
  Member.DimDecl fileDim(String name) {
    return parent == null ? decls.get(name) : parent.fileDim(name);
  }

  /** Evaluates every dim of this scope, reporting what is wrong with each. */
  void evaluateAll() {
    for (String name : decls.keySet()) {
      value(name);
    }
  }

  /** Whether {@code name} is a dim of this scope (or of the file). */
  boolean isDim(String name) {
    return decls.containsKey(name) || (parent != null && parent.isDim(name));
  }

  /** The value of a dim of this scope; null when it has an error (reported) or is no dim. */
  Integer value(String name) {
    if (!decls.containsKey(name)) {
      return parent == null ? null : parent.value(name);
    }
    State state = states.get(name);
    if (state == State.DONE) {
      return values.get(name);
    }
    if (state == State.EVALUATING) {
      cycle(name);
      return null;
    }
    Member.DimDecl d = decls.get(name);
    states.put(name, State.EVALUATING);
    evaluating.add(name);
    Integer v = whole(d.value(), "dim '" + name + "' must be a whole number");
    evaluating.removeLast();
    if (v != null && v < 1) {
      diagnostics.error(source, d.nameSpan(), "dim '" + name + "' must be at least 1, not " + v);
      v = null;
    }
    // A cycle reported meanwhile has already marked this dim failed: keep it failed.
    if (states.get(name) != State.DONE) {
      states.put(name, State.DONE);
      values.put(name, v);
    }
    return values.get(name);
  }

  private void cycle(String name) {
    int at = evaluating.indexOf(name);
    List<String> cycle = new ArrayList<>(evaluating.subList(at, evaluating.size()));
    for (String d : cycle) {
      states.put(d, State.DONE);
      values.put(d, null);
    }
    cycle.add(name);
    String message =
        cycle.size() == 2
            ? "dim '" + name + "' is used in its own definition (a dim cannot depend on itself)"
            : "cycle between dims: " + Elided.join(" -> ", cycle)
                + " (a dim cannot depend on itself)";
    diagnostics.error(source, decls.get(cycle.getFirst()).nameSpan(), message);
  }

  /**
   * The value of a whole-number expression, or null after reporting why it is none.
   *
   * @param needs the rule it must follow, in the words of its place, for the message about a
   *     number that is not whole or a form that is not allowed ({@code "a dimension must be a
   *     whole number"}, {@code "'maxpool' needs a whole number for k"}): "..., not 2.5"
   */
  Integer whole(Expr e, String needs) {
    return whole(e, needs, Set.of());
  }

  /**
   * As {@link #whole(Expr, String)}, where {@code hidden} are names that are not dims here even
   * if a dim has one (the parameters of a def being inlined).
   */
  Integer whole(Expr e, String needs, Set<String> hidden) {
    Long v = eval(e, needs, hidden);
    return v == null ? null : (int) (long) v;
  }

  private Long eval(Expr e, String needs, Set<String> hidden) {
    return switch (e) {
      case Expr.Num n -> {
        if (n.value() != Math.rint(n.value())) {
          yield fail(n.span(), needs + ", not " + n.text());
        }
        yield fits(n.value(), n.span());
      }
      case Expr.Name n -> name(n, hidden);
      case Expr.Neg n -> {
        Long v = eval(n.operand(), needs, hidden);
        yield v == null ? null : -v;
      }
      case Expr.Binary b when b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB
          || b.op() == BinaryOp.MUL || b.op() == BinaryOp.DIV -> {
        Long l = eval(b.left(), needs, hidden);
        Long r = eval(b.right(), needs, hidden);
        if (l == null || r == null) {
          yield null;
        }
        yield switch (b.op()) {
          case ADD -> fits(l + r, b.span());
          case SUB -> fits(l - r, b.span());
          case MUL -> fits((double) l * r, b.span()) == null ? null : l * r;
          default -> divide(b, l, r);
        };
      }
      case Expr.Binary b ->
          fail(b.span(), needs + ", not " + ExprText.of(e)
              + " (whole numbers combine with + - * / only)");
      default -> fail(e.span(), needs + ", not " + ExprText.of(e));
    };
  }

  private Long divide(Expr.Binary b, long l, long r) {
    if (r == 0) {
      return fail(b.span(), "division by zero in a whole number: " + ExprText.of(b));
    }
    if (l % r != 0) {
      return fail(b.span(), "'/' of whole numbers must divide exactly, but " + ExprText.of(b)
          + " is " + l + " / " + r + ", which leaves " + Math.abs(l % r));
    }
    return l / r;
  }

  private Long name(Expr.Name n, Set<String> hidden) {
    String name = n.name();
    if (!hidden.contains(name) && isDim(name)) {
      Integer v = value(name);
      return v == null ? null : (long) v;
    }
    Member other = others.get(name);
    if (hidden.contains(name)) {
      return fail(n.span(), "'" + name + "' is a parameter of the def, not a dim");
    }
    if (other != null) {
      return fail(n.span(), "'" + name + "' is " + kind(other) + ", not a dim");
    }
    return fail(n.span(), "unknown dim '" + name + "'" + Suggest.didYouMean(name, allDims()));
  }

  private static String kind(Member m) {
    return switch (m) {
      case Member.Input i -> "an input";
      case Member.Target t -> "a target";
      case Member.Param p -> "a param";
      case Member.Hyper h -> "a hyper";
      case Member.DimDecl d -> "a dim";
      case Member.Assign a -> "a value";
      case Member.Output o -> "an output";
      case Member.Loss l -> "the loss";
      case Member.Loop l -> "a state or collected value of the loop at line " + l.nameSpan().line();
      case Member.State s -> "a state";
      case Member.Collect c -> "a collected value";
    };
  }

  private List<String> allDims() {
    List<String> all = new ArrayList<>(decls.keySet());
    if (parent != null) {
      all.addAll(parent.allDims());
    }
    return all;
  }

  /** The value, or null after an error when it does not fit an int. */
  private Long fits(double v, Span span) {
    if (Math.abs(v) > Integer.MAX_VALUE) {
      return fail(span, "this whole number is too large: it must lie within +-" + Integer.MAX_VALUE);
    }
    return (long) v;
  }

  private Long fail(Span span, String message) {
    diagnostics.error(source, span, message);
    return null;
  }

  /**
   * A dim's value as a number, where numbers are written (a hyper's value, the power of
   * {@code ^}, a number argument: {@link Lowering#constantValue}); null for other names and for
   * a dim with an error (reported at the dim).
   */
  Double constantOf(String name) {
    Integer v = isDim(name) ? value(name) : null;
    return v == null ? null : (double) v;
  }
}
