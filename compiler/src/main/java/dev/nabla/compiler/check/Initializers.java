package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.Expr;
import dev.nabla.compiler.ast.Member;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.diag.Diagnostics;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Reads and checks a param's initializer ({@code he}, {@code uniform(-1, 1)}, ...). */
final class Initializers {
  private static final String KNOWN =
      "zeros, ones, const(c), uniform(lo, hi), normal(mean, std), xavier or he";

  private static final List<String> KINDS =
      Arrays.stream(Initializer.Kind.values()).map(Initializer.Kind::sourceName).toList();

  private Initializers() {}

  /**
   * The initializer of a param (its default when omitted), or null after reporting an error.
   * {@code dims} gives the value of a dim in its arguments ({@code uniform(-1 / H, 1 / H)}).
   */
  static Initializer check(
      Member.Param p, Source source, Diagnostics diagnostics, Function<String, Double> dims) {
    Expr e = p.initializer();
    if (e == null) {
      return Initializer.defaultFor(p.shape().size());
    }
    String name;
    List<Expr> args;
    switch (e) {
      case Expr.Name n -> {
        name = n.name();
        args = List.of();
      }
      case Expr.Call c when c.namedArgs().isEmpty() -> {
        name = c.function();
        args = c.args();
      }
      case Expr.Call c -> {
        diagnostics.error(
            source,
            c.namedArgs().getFirst().span(),
            "initializers take their arguments in order, without names, as in uniform(-1, 1)");
        return null;
      }
      default -> {
        diagnostics.error(source, e.span(), "an initializer is one of " + KNOWN);
        return null;
      }
    }
    Initializer.Kind kind;
    try {
      kind = Initializer.Kind.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException notOne) {
      kind = null;
    }
    if (kind == null || !kind.sourceName().equals(name)) {
      String hint = Suggest.didYouMean(name, KINDS);
      diagnostics.error(
          source,
          e.span(),
          "unknown initializer '" + name + "'" + (hint.isEmpty() ? "; use " + KNOWN : hint));
      return null;
    }
    if (args.size() != kind.arity()) {
      diagnostics.error(
          source, e.span(), Lowering.arity(name, kind.arity(), kind.arity(), args.size()));
      return null;
    }
    double[] values = new double[2];
    for (int i = 0; i < args.size(); i++) {
      Double v = Lowering.constantValue(args.get(i), dims);
      if (v == null || !Double.isFinite(v)) {
        diagnostics.error(
            source,
            args.get(i).span(),
            "'" + name + "' needs numbers written in the model, not " + ExprText.of(args.get(i))
                + " (initial values are fixed when the model is compiled)");
        return null;
      }
      values[i] = v;
    }
    if (kind == Initializer.Kind.UNIFORM && !(values[0] < values[1])) {
      diagnostics.error(
          source,
          e.span(),
          "uniform(lo, hi) needs lo < hi, but lo is " + ExprText.of(args.get(0)) + " and hi is "
              + ExprText.of(args.get(1)));
      return null;
    }
    if (kind == Initializer.Kind.NORMAL && !(values[1] >= 0)) {
      diagnostics.error(
          source,
          args.get(1).span(),
          "normal(mean, std) needs std >= 0, but std is " + ExprText.of(args.get(1)));
      return null;
    }
    return new Initializer(kind, values[0], values[1]);
  }
}
