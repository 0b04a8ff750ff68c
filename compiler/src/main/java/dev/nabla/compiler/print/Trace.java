package dev.nabla.compiler.print;

import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.simplify.Simplifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code nabla grad --trace}: the stable forms the checker chose, the derivative program as
 * reverse mode wrote it, which simplification rules fired (how often, and first where), and the
 * size of the program after rewriting, merging and dead-node removal.
 */
public final class Trace {
  private Trace() {}

  public static String render(Derivation d) {
    CheckedModel model = d.model();
    StringBuilder out = new StringBuilder();
    out.append("# --- stable forms chosen when checking ---\n");
    if (model.rewrites().isEmpty()) {
      out.append("#   none\n");
    }
    for (CheckedModel.StableRewrite r : model.rewrites()) {
      out.append("#   line ").append(r.span().line()).append(':').append(r.span().column())
          .append(": ").append(r.written()).append(" became ").append(r.computedAs()).append('\n');
    }
    out.append("# --- pass 0: reverse mode, before simplification ---\n");
    out.append(GradText.render(ProgramLayout.of(d.raw(), null)));
    Simplifier.Result s = d.simplified();
    out.append("# --- pass 1: local rewrite rules, applied until none fires ---\n");
    Map<String, Integer> counts = new LinkedHashMap<>();
    Map<String, String> first = new LinkedHashMap<>();
    for (Simplifier.Firing f : s.firings()) {
      counts.merge(f.rule(), 1, Integer::sum);
      var span = f.before().origin().span();
      first.putIfAbsent(f.rule(), span.isKnown() ? " (first for line " + span.line() + ")" : "");
    }
    if (counts.isEmpty()) {
      out.append("#   no rule fired\n");
    }
    counts.forEach((rule, n) -> out.append("#   ").append(rule).append("  x").append(n).append(first.get(rule)).append('\n'));
    out.append("# --- pass 2: common subexpressions merged, dead nodes removed: ")
        .append(s.nodesBefore()).append(" -> ").append(s.nodesAfter()).append(" derivative nodes ---\n");
    return out.toString();
  }
}
