package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.ModelDecl;
import dev.nabla.compiler.ast.SourceFile;
import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.names.JavaIdentifiers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The semantic phase: checks a parsed file (names, defs, cycles, losses, outputs, shapes) and
 * lowers each model to its forward graph. Every error of the file is reported; models with
 * errors are left out of the result.
 */
public final class Checker {
  private Checker() {}

  public static List<CheckedModel> check(SourceFile file, Diagnostics diagnostics) {
    // Errors from an earlier phase may have made a model disappear; "no model" would be made up.
    int errorsBefore = diagnostics.errorCount();
    Defs defs = Defs.check(file, diagnostics);
    Dims dims = Dims.ofFile(file.source(), file.dims(), diagnostics);
    if (file.models().isEmpty() && errorsBefore == 0) {
      diagnostics.error(
          file.source(),
          new Span(1, 1, 0, 0),
          "no model in this file; write one as 'model Name { ... }'");
    }
    List<CheckedModel> checked = new ArrayList<>();
    Map<String, ModelDecl> names = new LinkedHashMap<>();
    Map<String, ModelDecl> classes = new LinkedHashMap<>();
    for (ModelDecl model : file.models()) {
      ModelDecl first = names.putIfAbsent(model.name(), model);
      if (first != null) {
        diagnostics.error(
            file.source(),
            model.nameSpan(),
            "model '" + model.name() + "' is already defined at line " + first.nameSpan().line());
      }
      if (first == null) {
        classNameClash(file, model, classes, diagnostics);
      }
      // A second model of one name is still checked: its own errors are errors of the file too.
      CheckedModel m = new ModelChecker(file.source(), diagnostics, model, defs, dims).check();
      if (m != null && first == null) {
        checked.add(m);
      }
    }
    // Warnings are for files that are otherwise fine: next to an error they are noise (a param
    // a broken def cannot use is "unused" because of the error).
    if (diagnostics.errorCount() == 0) {
      for (CheckedModel m : checked) {
        Unused.warn(file.source(), m.decl(), diagnostics);
      }
    }
    return checked;
  }

  /**
   * Two models whose generated classes would have one name ({@code net} and {@code Net}, or
   * {@code Foo} and {@code FooForward}), compared ignoring case as file systems may do; and a
   * model whose class would be named like a {@code java.lang} class ({@code String}), which
   * generated code names without qualification.
   */
  private static void classNameClash(
      SourceFile file, ModelDecl model, Map<String, ModelDecl> classes, Diagnostics diagnostics) {
    for (String cls : JavaIdentifiers.classNames(model.name())) {
      String hidden = JavaIdentifiers.hiddenJavaLangClass(cls);
      if (hidden != null) {
        diagnostics.error(
            file.source(),
            model.nameSpan(),
            "model '" + model.name() + "' would be generated as class " + cls + ", which would hide "
                + hidden + " from the other generated classes of its package; rename it");
        return;
      }
      ModelDecl other = classes.putIfAbsent(cls.toLowerCase(Locale.ROOT), model);
      if (other != null && other != model) {
        diagnostics.error(
            file.source(),
            model.nameSpan(),
            "model '" + model.name() + "' would be generated as class " + cls + ", a name the"
                + " classes of model '" + other.name() + "' (line " + other.nameSpan().line()
                + ") already use; rename one of them");
        return;
      }
    }
  }
}
