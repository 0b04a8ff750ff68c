package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.Def;
import dev.nabla.compiler.ast.Identifier;
import dev.nabla.compiler.ast.ModelDecl;
import dev.nabla.compiler.ast.SourceFile;
import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.diag.Diagnostics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The semantic phase: checks a parsed file (names, defs, cycles, losses, outputs, shapes) and
 * lowers each model to its forward graph. Every error of the file is reported; models with
 * errors are left out of the result.
 */
public final class Checker {
  private Checker() {}

  public static List<CheckedModel> check(SourceFile file, Diagnostics diagnostics) {
    Map<String, Def> defs = new LinkedHashMap<>();
    for (Def def : file.defs()) {
      if (Builtins.get(def.name()) != null) {
        diagnostics.error(
            file.source(),
            def.nameSpan(),
            "'" + def.name() + "' is a built-in function; give this def another name");
        continue;
      }
      Def first = defs.get(def.name());
      if (first != null) {
        diagnostics.error(
            file.source(),
            def.nameSpan(),
            "def '" + def.name() + "' is already defined at line " + first.nameSpan().line());
        continue;
      }
      Set<String> seen = new HashSet<>();
      for (Identifier p : def.parameters()) {
        if (!seen.add(p.name())) {
          diagnostics.error(
              file.source(),
              p.span(),
              "parameter '" + p.name() + "' appears twice in def '" + def.name() + "'");
        }
      }
      defs.put(def.name(), def);
    }
    if (file.models().isEmpty() && !diagnostics.hasErrors()) {
      diagnostics.error(
          file.source(),
          new Span(1, 1, 0, 0),
          "no model in this file; write one as 'model Name { ... }'");
    }
    List<CheckedModel> checked = new ArrayList<>();
    Map<String, ModelDecl> names = new LinkedHashMap<>();
    for (ModelDecl model : file.models()) {
      ModelDecl first = names.putIfAbsent(model.name(), model);
      if (first != null) {
        diagnostics.error(
            file.source(),
            model.nameSpan(),
            "model '" + model.name() + "' is already defined at line " + first.nameSpan().line());
        continue;
      }
      CheckedModel m = new ModelChecker(file.source(), diagnostics, model, defs).check();
      if (m != null) {
        checked.add(m);
      }
    }
    return checked;
  }
}
