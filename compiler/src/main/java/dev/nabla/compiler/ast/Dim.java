package dev.nabla.compiler.ast;

/** One dimension of a declared shape, {@code 64} in {@code input x[64];}. */
public record Dim(int size, Span span) {}
