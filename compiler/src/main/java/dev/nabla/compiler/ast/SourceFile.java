package dev.nabla.compiler.ast;

import java.util.List;

/** A whole {@code .nn} file: its {@code def} functions and {@code model} blocks, in source order. */
public record SourceFile(Source source, List<Def> defs, List<ModelDecl> models) {
  public SourceFile {
    defs = List.copyOf(defs);
    models = List.copyOf(models);
  }
}
