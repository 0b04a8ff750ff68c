package dev.nabla.compiler.ast;

import java.util.List;

/** {@code model Digits { ... }}: declarations and statements in source order. */
public record ModelDecl(String name, Span nameSpan, List<Member> members, Span span) {
  public ModelDecl {
    members = List.copyOf(members);
  }
}
