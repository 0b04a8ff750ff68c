package dev.nabla.compiler.autodiff;

import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.graph.Node;
import java.util.List;
import java.util.Map;

/**
 * A model's forward graph together with its derivative: the adjoint (dL/dc) of every value the
 * gradients pass through, and the gradient of every param and {@code grad} input. Adjoints are
 * nodes of the same graph as the forward values, so the derivative program reads forward values
 * instead of recomputing them.
 *
 * <p>Semantics per instance, as the language defines: an adjoint is the derivative of one
 * instance's loss. Where a per-instance contribution flows into a value shared by the batch, a
 * {@code batch_mean} node averages it, so that running the program over a batch gives the
 * gradients of the batch-mean loss. A {@code grad} input's gradient here is per instance; the
 * gradient of the batch-mean loss with respect to it is 1/B times that.
 *
 * @param adjoints forward node to its adjoint node (only for nodes that lead to a gradient)
 * @param gradients the param and grad-input names, in declaration order, to their gradients
 * @param forward the nodes of the forward program (every value the loss and outputs need)
 */
public record DerivativeProgram(
    CheckedModel model,
    Map<Node, Node> adjoints,
    Map<String, Node> gradients,
    List<Node> forward) {

  /** The same program with other adjoint and gradient nodes (after simplification). */
  public DerivativeProgram with(Map<Node, Node> adjoints, Map<String, Node> gradients) {
    return new DerivativeProgram(model, adjoints, gradients, forward);
  }
}
