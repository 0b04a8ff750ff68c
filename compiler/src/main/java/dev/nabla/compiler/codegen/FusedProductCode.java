package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.Locals.BATCH;
import static dev.nabla.compiler.codegen.Locals.INV_B;
import static dev.nabla.compiler.codegen.Locals.SGD;
import static dev.nabla.compiler.codegen.Locals.SGD_RATE;
import static dev.nabla.compiler.codegen.RuntimeTypes.GEMM;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Transpose;
import dev.nabla.runtime.kernels.Gemm;

/**
 * The statements of the fused products that {@link ProductFusion} found: one {@link Gemm} call
 * with its bias and activation, its activation's derivative, or its bias gradient's sums (and
 * both gradients' 1/B), at the group's site.
 */
final class FusedProductCode {
  private static final ClassName ACT = ClassName.get(Gemm.Act.class);

  private final Addressing a;
  private final ProductFusion fusion;

  FusedProductCode(Addressing addressing) {
    this.a = addressing;
    this.fusion = addressing.plan().fusion();
  }

  /** The fused product that runs at {@code n}'s statement, or null when there is none. */
  CodeBlock at(Node n) {
    ProductFusion.Layer layer = fusion.layerAt(n);
    if (layer != null) {
      CodeBlock y = layer.y() == null ? CodeBlock.of("null") : a.ref(layer.y());
      return product(layer.product(), layer.c(), CodeBlock.of("$L, 0, $T.$L, $L, 0",
          a.ref(layer.bias()), ACT, layer.act().name(), y));
    }
    ProductFusion.Derivative d = fusion.derivativeAt(n);
    if (d != null) {
      return product(d.product(), n, CodeBlock.of("$T.$L, $L, 0", ACT, d.act().name(), a.ref(d.saved())));
    }
    Node biasMean = fusion.sumsOf(n);
    if (biasMean != null) {
      Node outer = n.input(0);
      int rows = outer.input(0).shape().dim(0);
      int cols = outer.input(1).shape().dim(0);
      // mean_b outer(dz_b, x_b) = (1/B) dZ^T X, and mean_b dz_b = (1/B) times dZ's column sums:
      // the kernel scales both (no pass of its own over the weight gradient).
      Node param = a.plan().sgdFusion().paramOf(n);
      if (param != null) {
        // and, in backwardAndSgd, the weights' SGD step from each finished block of the gradient
        return CodeBlock.of("$T.aTb($L, $L, $L, $L, 0, $L, 0, $L, 0, $L, 0, $N, $N ? $L : null, 0, $N);\n",
            GEMM, rows, cols, BATCH, a.ref(outer.input(0)), a.ref(outer.input(1)), a.ref(n), a.ref(biasMean), INV_B,
            SGD, a.ref(param), SGD_RATE);
      }
      return CodeBlock.of("$T.aTb($L, $L, $L, $L, 0, $L, 0, $L, 0, $L, 0, $N);\n",
          GEMM, rows, cols, BATCH, a.ref(outer.input(0)), a.ref(outer.input(1)), a.ref(n), a.ref(biasMean), INV_B);
    }
    return null;
  }

  /**
   * {@code Gemm.abT(batch, n, k, X, 0, W, 0, C, 0, <fused arguments>)} for the layer product
   * {@code W @ x} of every instance ({@code ab} when W is a transpose read in place).
   */
  private CodeBlock product(Node m, Node c, CodeBlock fused) {
    Node w = m.input(0);
    boolean transposed = a.plan().storage(w) == Storage.ABSORBED && w.op() instanceof Transpose;
    Node held = transposed ? w.input(0) : w;
    int rows = m.shape().dim(0);
    int k = w.shape().dim(1);
    return CodeBlock.of("$T.$L($L, $L, $L, $L, 0, $L, 0, $L, 0, $L);\n", GEMM, transposed ? "ab" : "abT",
        BATCH, rows, k, a.ref(m.input(1)), a.ref(held), a.ref(c), fused);
  }
}
