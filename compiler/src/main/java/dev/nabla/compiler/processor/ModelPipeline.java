package dev.nabla.compiler.processor;

import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.pipeline.ModelSources;

/**
 * What the processor does with one model source: {@link ModelSources#generate}, the compiler's
 * own phases, unchanged. An interface so that tests can put a failing or warning pipeline in.
 */
@FunctionalInterface
interface ModelPipeline {
  ModelSources.Output run(Source source, String packageName, Precision precision, boolean emitTests);

  /** The compiler's pipeline. */
  ModelPipeline STANDARD = ModelSources::generate;
}
