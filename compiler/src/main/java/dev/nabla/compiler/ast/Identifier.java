package dev.nabla.compiler.ast;

/** A name as written at one place in the source (a def's parameter, a declared value). */
public record Identifier(String name, Span span) {}
