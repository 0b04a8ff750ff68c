package dev.nabla.compiler.diag;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.ast.Span;

/** One message about a model source, at a position. */
public record Diagnostic(Severity severity, Source source, Span span, String message) {}
