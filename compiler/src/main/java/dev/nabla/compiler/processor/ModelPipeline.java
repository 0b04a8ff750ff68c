package dev.nabla.compiler.processor;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.CodeGenerator;
import dev.nabla.compiler.codegen.GradientCheckTestGenerator;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.Diagnostic;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import java.util.ArrayList;
import java.util.List;

/**
 * What the processor does with one model source: the compiler's own phases (parse and check,
 * differentiate and simplify, generate), unchanged, so the sources are the ones
 * {@code nabla compile} writes. Runs on a big stack; touches nothing of javac.
 */
@FunctionalInterface
interface ModelPipeline {
  /** One generated source: its qualified class name and its text. */
  record GeneratedFile(String qualifiedName, String text) {}

  /** The sources of one model; the first is the model class {@code <Model>}. */
  record GeneratedModel(String name, List<GeneratedFile> files) {}

  /** The diagnostics in source order, and the models (none if there is an error). */
  record Output(List<Diagnostic> diagnostics, List<GeneratedModel> models) {}

  Output run(Source source, String packageName, Precision precision, boolean emitTests);

  /** The compiler's pipeline. */
  ModelPipeline STANDARD = ModelPipeline::standard;

  private static Output standard(Source source, String packageName, Precision precision, boolean emitTests) {
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
    // As nabla compile: a file with an error anywhere generates nothing.
    return new Output(diagnostics, derivation.hasErrors() ? List.of() : models);
  }
}
