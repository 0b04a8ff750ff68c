package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.Def;
import dev.nabla.compiler.ast.Expr;
import dev.nabla.compiler.ast.Identifier;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.ast.SourceFile;
import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.diag.Elided;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The defs of a file, checked on their own before any model uses them: names, parameters, the
 * names and functions a body mentions, and recursion. These errors do not depend on a call, so
 * each is reported once, at the def, even for a def no model calls. A def with such an error is
 * "broken": calls of it lower to nothing, silently, so that every call site does not repeat it.
 * Shape errors do depend on the arguments, so they are found when a call is inlined.
 */
final class Defs {
  private final Map<String, Def> defs = new LinkedHashMap<>();
  private final Set<String> broken = new HashSet<>();
  private final Source source;
  private final Diagnostics diagnostics;

  /** The file-level dims' names: a def body may use them (they are constants, like numbers). */
  private final Set<String> fileDims = new HashSet<>();

  private Defs(Source source, Diagnostics diagnostics) {
    this.source = source;
    this.diagnostics = diagnostics;
  }

  static Defs check(SourceFile file, Diagnostics diagnostics) {
    Defs d = new Defs(file.source(), diagnostics);
    file.dims().forEach(dim -> d.fileDims.add(dim.name()));
    for (Def def : file.defs()) {
      d.declare(def);
    }
    for (Def def : d.defs.values()) {
      d.checkBody(def, def.body());
    }
    d.checkRecursion();
    return d;
  }

  /** The def with this name, or null (a def that was rejected by name is not here). */
  Def get(String name) {
    return defs.get(name);
  }

  boolean contains(String name) {
    return defs.containsKey(name);
  }

  /** True for a def with an error of its own (already reported). */
  boolean isBroken(String name) {
    return broken.contains(name);
  }

  private void declare(Def def) {
    String refusal = ReservedNames.refusal(def.name(), "def");
    if (refusal != null) {
      diagnostics.error(source, def.nameSpan(), refusal);
      return;
    }
    Def first = defs.get(def.name());
    if (first != null) {
      diagnostics.error(
          source,
          def.nameSpan(),
          "def '" + def.name() + "' is already defined at line " + first.nameSpan().line());
      return;
    }
    defs.put(def.name(), def);
    Set<String> seen = new HashSet<>();
    for (Identifier p : def.parameters()) {
      if (!seen.add(p.name())) {
        error(
            def,
            p.span(),
            "parameter '" + p.name() + "' appears twice in def '" + def.name() + "'");
      }
    }
  }

  /**
   * A def sees only its own parameters and the file's dims: it is a function of its arguments,
   * written outside any model, so a name of some model in its body would make its meaning depend
   * on where it is called.
   */
  private void checkBody(Def def, Expr e) {
    switch (e) {
      case Expr.Name n -> {
        if (def.parameters().stream().noneMatch(p -> p.name().equals(n.name()))
            && !fileDims.contains(n.name())) {
          error(def, n.span(), notAParameter(def, n.name()));
        }
      }
      case Expr.Call c -> {
        if (!defs.containsKey(c.function()) && Builtins.get(c.function()) == null) {
          error(def, c.span(), unknownFunction(c.function()));
        }
        c.args().forEach(a -> checkBody(def, a));
        c.namedArgs().forEach(a -> checkBody(def, a.value()));
      }
      case Expr.Binary b -> {
        checkBody(def, b.left());
        checkBody(def, b.right());
      }
      case Expr.Neg n -> checkBody(def, n.operand());
      case Expr.Transpose t -> checkBody(def, t.operand());
      case Expr.Index i -> {
        checkBody(def, i.operand());
        i.bounds().forEach(x -> checkBody(def, x));
      }
      case Expr.ListLit l -> l.items().forEach(x -> checkBody(def, x));
      case Expr.Tuple t -> t.items().forEach(x -> checkBody(def, x));
      case Expr.Num n -> {}
    }
  }

  private String notAParameter(Def def, String name) {
    if (Builtins.get(name) != null) {
      return "'" + name + "' is a built-in function; call it, as in " + name + "(...)";
    }
    if (defs.containsKey(name)) {
      return "'" + name + "' is a def; call it, as in " + name + "(...)";
    }
    List<String> params = def.parameters().stream().map(Identifier::name).toList();
    String hint = Suggest.didYouMean(name, params);
    String advice = "; a def sees only its parameters, so pass " + name + " as an argument";
    return "'" + name + "' is not a parameter of def '" + def.name() + "'"
        + (hint.isEmpty() ? advice : hint);
  }

  /** "unknown function 'rleu'; did you mean 'relu'?", over built-ins and defs. */
  String unknownFunction(String name) {
    List<String> all = new ArrayList<>(Builtins.names());
    all.addAll(defs.keySet());
    return "unknown function '" + name + "'" + Suggest.didYouMean(name, all);
  }

  // ---- recursion: defs are inlined, so a def may not reach itself through its calls

  private enum Mark {
    VISITING,
    DONE
  }

  private void checkRecursion() {
    Map<String, Mark> marks = new LinkedHashMap<>();
    for (String name : defs.keySet()) {
      visit(name, marks, new ArrayList<>());
    }
  }

  private void visit(String name, Map<String, Mark> marks, List<String> path) {
    if (marks.containsKey(name)) {
      return;
    }
    marks.put(name, Mark.VISITING);
    path.add(name);
    for (Expr.Call call : calls(defs.get(name).body(), new ArrayList<>())) {
      String callee = call.function();
      if (!defs.containsKey(callee)) {
        continue;
      }
      if (marks.get(callee) == Mark.VISITING) {
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(callee), path.size()));
        broken.addAll(cycle);
        cycle.add(callee);
        String how =
            cycle.size() == 2
                ? "def '" + callee + "' calls itself"
                : "def '" + callee + "' calls itself through " + Elided.join(" -> ", cycle);
        error(defs.get(name), call.span(), how + "; defs are inlined, so they cannot be recursive");
      } else {
        visit(callee, marks, path);
      }
    }
    path.removeLast();
    marks.put(name, Mark.DONE);
  }

  /** Every call in an expression, outermost first, left to right. */
  private static List<Expr.Call> calls(Expr e, List<Expr.Call> out) {
    switch (e) {
      case Expr.Call c -> {
        out.add(c);
        c.args().forEach(a -> calls(a, out));
        c.namedArgs().forEach(a -> calls(a.value(), out));
      }
      case Expr.Binary b -> {
        calls(b.left(), out);
        calls(b.right(), out);
      }
      case Expr.Neg n -> calls(n.operand(), out);
      case Expr.Transpose t -> calls(t.operand(), out);
      case Expr.Index i -> {
        calls(i.operand(), out);
        i.bounds().forEach(x -> calls(x, out));
      }
      case Expr.ListLit l -> l.items().forEach(x -> calls(x, out));
      case Expr.Tuple t -> t.items().forEach(x -> calls(x, out));
      case Expr.Name n -> {}
      case Expr.Num n -> {}
    }
    return out;
  }

  /** Reports an error of a def's own, which makes the def broken. */
  private void error(Def def, Span span, String message) {
    broken.add(def.name());
    diagnostics.error(source, span, message);
  }
}
