package dev.nabla.compiler.pipeline;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.ast.SourceFile;
import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.check.Checker;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.diag.Limits;
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
    if (source.text().length() > Limits.MAX_SOURCE_BYTES) {
      diagnostics.error(
          source,
          Span.NONE,
          "the model text is longer than " + Limits.MAX_SOURCE_BYTES + " characters (16 MiB), the"
              + " limit for a model file");
      return new Result(source, List.of(), diagnostics);
    }
    try {
      SourceFile file = Parser.parse(source, diagnostics);
      if (diagnostics.hasErrors()) {
        return new Result(source, List.of(), diagnostics);
      }
      List<CheckedModel> models = Checker.check(file, diagnostics);
      return new Result(source, diagnostics.hasErrors() ? List.of() : models, diagnostics);
    } catch (StackOverflowError e) {
      // The limits keep expressions shallow enough for the compiler's own 512 MB stack
      // (BigStack); a caller that runs the front end on a small stack still gets an error.
      diagnostics.error(source, Span.NONE, stackMessage());
      return new Result(source, List.of(), diagnostics);
    }
  }

  static String stackMessage() {
    return "the model is nested too deeply for this thread's stack; run the compiler on a"
        + " thread with a bigger stack (as the nabla command does) or nest expressions less";
  }
}
