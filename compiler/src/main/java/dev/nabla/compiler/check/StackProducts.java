package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Permute;
import dev.nabla.compiler.graph.Shape;
import dev.nabla.compiler.graph.StackMatMul;
import dev.nabla.compiler.graph.Transpose;
import java.util.function.BiConsumer;

/**
 * {@code A @ B} where an operand has rank 3 or more (NumPy's matmul of stacks of matrices): the
 * user-facing checks, with messages naming both shapes, and the node.
 */
final class StackProducts {
  private StackProducts() {}

  /**
   * The product's node, or null after reporting why the shapes do not multiply.
   *
   * @param l how the message names the left operand (its source text)
   * @param r the same for the right operand
   */
  static Node lower(Graph g, Span span, Node left, String l, Node right, String r, BiConsumer<Span, String> error) {
    Shape a = left.shape();
    Shape b = right.shape();
    StackMatMul op = StackMatMul.written(a, b);
    int inner = op.left().cols(a);
    int rowsOfB = op.right().rows(b);
    if (inner != rowsOfB) {
      error.accept(span, "shape mismatch in '@': " + l + " is " + a + " and " + r + " is " + b
          + ", but " + inner + " columns do not meet " + rowsOfB + " rows (stacks of matrices multiply their last two axes)");
      return null;
    }
    Shape sa = op.left().stack(a);
    Shape sb = op.right().stack(b);
    if (Shape.broadcast(sa, sb) == null) {
      error.accept(span, "shape mismatch in '@': " + l + " is " + a + " and " + r + " is " + b
          + ", but their stacks " + sa + " and " + sb + " do not broadcast (each dim equal, or 1)");
      return null;
    }
    return g.stackMatMul(untransposed(left), view(left, op.left()), untransposed(right), view(right, op.right()));
  }

  /**
   * A transposed operand is read in place: the product takes the value under the {@code .T}, a
   * matrix's ({@link Transpose}) or a stack's ({@link Permute} of the last two axes, as in
   * attention's {@code q @ k.T}), so the transpose is never copied.
   */
  private static Node untransposed(Node x) {
    return transposed(x) ? x.input(0) : x;
  }

  private static StackMatMul.View view(Node x, StackMatMul.View v) {
    return transposed(x) ? v.transposed() : v;
  }

  private static boolean transposed(Node x) {
    return x.op() instanceof Transpose || x.op() instanceof Permute p && p.swapsLastTwo();
  }
}
