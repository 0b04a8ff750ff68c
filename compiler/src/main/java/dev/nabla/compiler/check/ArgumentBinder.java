package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.Expr;
import dev.nabla.compiler.check.Builtins.Builtin;
import dev.nabla.compiler.check.Builtins.Param;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches the arguments of a call to a built-in's parameters, by position and by name, and
 * reports what does not fit: too many or too few, an unknown name, a parameter given twice, a
 * required one missing. Nothing is lowered here; {@link Lowering} lowers the bound arguments.
 */
final class ArgumentBinder {
  private ArgumentBinder() {}

  /**
   * @param byName the argument written for each fixed parameter that was given one
   * @param rest the arguments of a variadic last parameter, in order
   */
  record Bound(Map<String, Expr> byName, List<Expr> rest) {}

  /** The call's arguments bound to the built-in's parameters; null after reporting an error. */
  static Bound bind(Builtin b, Expr.Call c, Lowering reporter) {
    List<Param> params = b.params();
    Param variadic = b.variadicParam();
    int fixed = b.positional();
    int min = b.required() + (variadic != null && variadic.kind() == Builtins.Kind.VALUE ? 1 : 0) - (variadic != null ? 1 : 0);
    int max = variadic == null ? params.size() : Integer.MAX_VALUE;
    int given = c.args().size() + c.namedArgs().size();
    if (c.args().size() > max) {
      reporter.error(c.span(), Lowering.arity(b.name(), min, max, given));
      return null;
    }
    Map<String, Expr> bound = new LinkedHashMap<>();
    List<Expr> rest = new ArrayList<>();
    for (int i = 0; i < c.args().size(); i++) {
      if (i < fixed) {
        bound.put(params.get(i).name(), c.args().get(i));
      } else {
        rest.add(c.args().get(i));
      }
    }
    for (Expr.NamedArg named : c.namedArgs()) {
      Param p = params.stream().filter(q -> q.name().equals(named.name()) && !q.variadic()).findFirst().orElse(null);
      if (p == null) {
        reporter.error(named.span(), "'" + b.name() + "' has no parameter named '" + named.name() + "'");
        return null;
      }
      if (bound.containsKey(p.name())) {
        int position = params.indexOf(p);
        String how =
            position < c.args().size() ? ": as argument " + (position + 1) + " and by name" : "";
        reporter.error(
            named.span(),
            "'" + p.name() + "' is given twice in this call of '" + b.name() + "'" + how);
        return null;
      }
      bound.put(p.name(), named.value());
    }
    // Checked after the named arguments: with one given twice, the count would be the wrong story.
    if (given < min || given > max) {
      reporter.error(c.span(), Lowering.arity(b.name(), min, max, given));
      return null;
    }
    for (Param p : params) {
      if (!p.variadic() && !p.optional() && !bound.containsKey(p.name())) {
        reporter.error(c.span(), "'" + b.name() + "' is missing its argument '" + p.name() + "'");
        return null;
      }
    }
    return new Bound(bound, rest);
  }
}
