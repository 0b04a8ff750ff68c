package dev.nabla.compiler.pipeline;

import dev.nabla.compiler.ast.SourceFile;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.check.Checker;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.diag.Source;
import dev.nabla.compiler.parse.Parser;
import java.util.List;

/**
 * Parse and check: the phases every command starts with. Checking is skipped after syntax
 * errors, so that a broken statement does not also produce made-up semantic errors.
 */
public final class Frontend {
  private Frontend() {}

  public record Result(Source source, List<CheckedModel> models, Diagnostics diagnostics) {
    public boolean ok() {
      return !diagnostics.hasErrors();
    }

    /** The model with this name, or the only model when {@code name} is null; else null. */
    public CheckedModel model(String name) {
      if (name == null) {
        return models.size() == 1 ? models.getFirst() : null;
      }
      return models.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }
  }

  public static Result run(Source source) {
    Diagnostics diagnostics = new Diagnostics();
    SourceFile file = Parser.parse(source, diagnostics);
    if (diagnostics.hasErrors()) {
      return new Result(source, List.of(), diagnostics);
    }
    List<CheckedModel> models = Checker.check(file, diagnostics);
    return new Result(source, diagnostics.hasErrors() ? List.of() : models, diagnostics);
  }
}
