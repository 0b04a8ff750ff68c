package dev.nabla.compiler.ast;

import java.util.List;

/**
 * A whole {@code .nn} file: its {@code def} functions, its file-level {@code dim} constants and
 * its {@code model} blocks, each in source order.
 */
public record SourceFile(
    Source source, List<Def> defs, List<Member.DimDecl> dims, List<ModelDecl> models) {
  public SourceFile {
    defs = List.copyOf(defs);
    dims = List.copyOf(dims);
    models = List.copyOf(models);
  }

  public SourceFile(Source source, List<Def> defs, List<ModelDecl> models) {
    this(source, defs, List.of(), models);
  }
}
