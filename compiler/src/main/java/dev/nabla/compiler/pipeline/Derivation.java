package dev.nabla.compiler.pipeline;

import dev.nabla.compiler.autodiff.DerivativeProgram;
import dev.nabla.compiler.autodiff.ReverseMode;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.diag.Limits;
import dev.nabla.compiler.simplify.Simplifier;

/**
 * A model's derivative: the program reverse mode made, and the simplified program every later
 * phase (printing, code generation) uses.
 */
public record Derivation(CheckedModel model, DerivativeProgram raw, Simplifier.Result simplified) {
  /** Differentiates and simplifies a checked model; null after reporting an error. */
  public static Derivation of(CheckedModel model, Diagnostics diagnostics) {
    try {
      DerivativeProgram raw = ReverseMode.differentiate(model, diagnostics);
      if (raw == null) {
        return null;
      }
      if (tooBig(model, diagnostics)) {
        return null;
      }
      Derivation d = new Derivation(model, raw, Simplifier.simplify(raw));
      return tooBig(model, diagnostics) ? null : d;
    } catch (StackOverflowError e) {
      diagnostics.error(model.source(), model.decl().nameSpan(), Frontend.stackMessage());
      return null;
    }
  }

  /** Reports a graph (forward and derivative nodes) over {@link Limits#MAX_GRAPH_NODES}. */
  private static boolean tooBig(CheckedModel model, Diagnostics diagnostics) {
    int nodes = model.graph().nodes().size();
    if (nodes <= Limits.MAX_GRAPH_NODES) {
      return false;
    }
    diagnostics.error(
        model.source(),
        model.decl().nameSpan(),
        "model '" + model.name() + "' and its derivative have " + nodes + " operations; the limit"
            + " is " + Limits.MAX_GRAPH_NODES);
    return true;
  }

  public DerivativeProgram program() {
    return simplified.program();
  }
}
