package dev.nabla.compiler.pipeline;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.CodeGenerator;
import dev.nabla.compiler.codegen.GradientCheckTestGenerator;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.Diagnostic;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.diag.Severity;
import dev.nabla.compiler.ast.Source;
import java.util.ArrayList;
import java.util.List;

/**
 * From a model source to the text of its generated Java sources: the compiler's own phases
 * (parse and check, differentiate and simplify, generate), unchanged, so that every build route
 * (the annotation processor, the Maven plugin) writes what {@code nabla compile} writes. Touches
 * no file; run it on a big stack ({@link dev.nabla.compiler.parse.BigStack}).
 */
public final class ModelSources {
  private ModelSources() {}

  /** One generated source: its qualified class name and its text. */
  public record GeneratedFile(String qualifiedName, String text) {
    /** The path of this source under a source root: {@code com/example/Xor.java}. */
    public String relativePath() {
      return qualifiedName.replace('.', '/') + ".java";
    }
  }

  /** The sources of one model; the first is the model class {@code <Model>}. */
  public record GeneratedModel(String name, List<GeneratedFile> files) {}

  /** The diagnostics in source order, and the models (none if there is an error). */
  public record Output(List<Diagnostic> diagnostics, List<GeneratedModel> models) {
    /** Whether a diagnostic is an error (then {@link #models()} is empty). */
    public boolean hasErrors() {
      return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }
  }

  /**
   * Generates the sources of every model in {@code source} into {@code packageName} ("" for
   * none), with a JUnit gradient-check test per model when {@code emitTests}. As in
   * {@code nabla compile}, a source with an error anywhere generates nothing.
   */
  public static Output generate(Source source, String packageName, Precision precision, boolean emitTests) {
    Frontend.Result front = Frontend.run(source);
    List<Diagnostic> diagnostics = new ArrayList<>(front.diagnostics().sorted());
    if (!front.ok()) {
      return new Output(diagnostics, List.of());
    }
    Diagnostics derivation = new Diagnostics();
    List<GeneratedModel> models = new ArrayList<>();
    for (CheckedModel m : front.models()) {
      Derivation d = Derivation.of(m, derivation);
      if (d == null) {
        continue;
      }
      List<JavaFile> files = new ArrayList<>(CodeGenerator.generate(d, new CodeGenerator.Options(packageName, precision)));
      if (emitTests) {
        files.add(GradientCheckTestGenerator.generate(m, files.getFirst()));
      }
      List<GeneratedFile> texts = new ArrayList<>();
      for (JavaFile f : files) {
        String name = f.packageName().isEmpty() ? f.typeSpec().name() : f.packageName() + "." + f.typeSpec().name();
        texts.add(new GeneratedFile(name, f.toString()));
      }
      models.add(new GeneratedModel(m.name(), List.copyOf(texts)));
    }
    diagnostics.addAll(derivation.sorted());
    return new Output(diagnostics, derivation.hasErrors() ? List.of() : models);
  }
}
