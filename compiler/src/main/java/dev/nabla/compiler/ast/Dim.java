package dev.nabla.compiler.ast;

/**
 * One dimension of a declared shape, {@code 64} or {@code 4 * H} in {@code param W[4 * H, 64];}:
 * a whole-number expression of integer literals and dims, evaluated by the checker.
 */
public record Dim(Expr size, Span span) {}
