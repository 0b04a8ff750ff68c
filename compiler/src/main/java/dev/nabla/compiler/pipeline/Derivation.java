package dev.nabla.compiler.pipeline;

import dev.nabla.compiler.autodiff.DerivativeProgram;
import dev.nabla.compiler.autodiff.ReverseMode;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.simplify.Simplifier;

/**
 * A model's derivative: the program reverse mode made, and the simplified program every later
 * phase (printing, code generation) uses.
 */
public record Derivation(CheckedModel model, DerivativeProgram raw, Simplifier.Result simplified) {
  /** Differentiates and simplifies a checked model; null after reporting an error. */
  public static Derivation of(CheckedModel model, Diagnostics diagnostics) {
    DerivativeProgram raw = ReverseMode.differentiate(model, diagnostics);
    if (raw == null) {
      return null;
    }
    return new Derivation(model, raw, Simplifier.simplify(raw));
  }

  public DerivativeProgram program() {
    return simplified.program();
  }
}
