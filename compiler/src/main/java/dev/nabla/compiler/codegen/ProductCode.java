package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.RuntimeTypes.GEMM;
import static dev.nabla.compiler.codegen.Locals.ACC;
import static dev.nabla.compiler.codegen.Locals.B;
import static dev.nabla.compiler.codegen.Locals.BATCH;
import static dev.nabla.compiler.codegen.Locals.I;
import static dev.nabla.compiler.codegen.Locals.INV_B;
import static dev.nabla.compiler.codegen.Locals.J;
import static dev.nabla.compiler.codegen.Locals.Q;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Outer;
import dev.nabla.compiler.graph.Shape;
import dev.nabla.compiler.graph.Transpose;
import dev.nabla.runtime.kernels.Gemm;

/**
 * Products: {@code @} through the runtime's {@link Gemm} kernels (a transposed operand read in
 * place), {@code outer}, and the mean over the batch (of an outer product, one {@code A^T · B}).
 */
final class ProductCode {
  private final Addressing a;
  private final LoopPolicy loops;

  ProductCode(Addressing addressing, LoopPolicy loops) {
    this.a = addressing;
    this.loops = loops;
  }

  /** An operand of a product: its array, and whether the kernel should read it transposed. */
  private record Operand(Node node, boolean transposed) {}

  private Operand operand(Node n) {
    if (a.plan().storage(n) == Storage.ABSORBED && n.op() instanceof Transpose) {
      return new Operand(n.input(0), true);
    }
    return new Operand(n, false);
  }

  /** Kernel name for op(A) · op(B); null for both transposed (no kernel: plain loops). */
  private static String kernel(boolean ta, boolean tb) {
    if (ta && tb) {
      return null;
    }
    return ta ? "aTb" : tb ? "abT" : "ab";
  }

  private CodeBlock gemm(String kernel, Object rows, int n, int k, Node x, Ix xOff, Node y, Ix yOff, Node c, Ix cOff) {
    return CodeBlock.of(
        "$T.$L($L, $L, $L, $L, $L, $L, $L, $L, $L, false);\n",
        GEMM, kernel, rows, n, k, a.ref(x), xOff, a.ref(y), yOff, a.ref(c), cOff);
  }

  /**
   * A matrix product. Per instance it is {@code op(A)[m,k] · op(B)[k,n]} with a vector on the
   * left read as one row and on the right as one column. Over the batch it becomes one kernel
   * call where the layout allows (a batched left operand stacks its rows; the layer form
   * {@code W @ x} becomes {@code X · W^T}), else one call per instance.
   */
  CodeBlock matmul(Node n) {
    Operand left = operand(n.input(0));
    Operand right = operand(n.input(1));
    Shape as = n.input(0).shape();
    Shape bs = n.input(1).shape();
    int m = as.rank() == 2 ? as.dim(0) : 1;
    int k = as.rank() == 2 ? as.dim(1) : as.dim(0);
    int cols = bs.rank() == 2 ? bs.dim(1) : 1;
    boolean leftBatched = left.node().batched();
    boolean rightBatched = right.node().batched();
    String ka = kernel(left.transposed(), right.transposed());
    Ix zero = Ix.of(0);
    if (ka != null && leftBatched && !left.transposed() && !rightBatched) {
      // Stack the batch's rows of A: [B*m, k] · op(B).
      return gemm(ka, BATCH.times(m), cols, k, left.node(), zero, right.node(), zero, n, zero);
    }
    if (!leftBatched && rightBatched && bs.rank() == 1 && !right.transposed()) {
      // The layer form op(A) x for every instance: Z[B, m] = X[B, k] · op(A)^T.
      String kb = left.transposed() ? "ab" : "abT";
      return gemm(kb, BATCH, m, k, right.node(), zero, left.node(), zero, n, zero);
    }
    if (ka != null && !leftBatched && !rightBatched) {
      return gemm(ka, m, cols, k, left.node(), zero, right.node(), zero, n, zero);
    }
    if (ka != null) {
      // Per instance products stay on the calling thread: a product splits itself when large.
      return loops.perInstanceSerial(n, b -> gemm(ka, m, cols, k,
          left.node(), Addressing.offset(left.node(), b), right.node(), Addressing.offset(right.node(), b),
          n, Addressing.offset(n, b)));
    }
    // Both transposed: C[i,j] = sum_p A[p,i] * B[j,p], in plain loops.
    return loops.perInstanceSerial(n, b -> {
      CodeBlock dot = CodeBlock.builder()
          .addStatement("double $N = 0", ACC)
          .add(LoopPolicy.loop(k, Q, CodeBlock.of("$N += $L * $L;\n", ACC,
              a.elem(left.node(), b, Q.times(m).plus(I)), a.elem(right.node(), b, J.times(k).plus(Q)))))
          .addStatement("$L = $L", a.at(n, b, I.times(cols).plus(J)), a.precision().fromDouble(CodeBlock.of("$N", ACC)))
          .build();
      return LoopPolicy.loops(m, cols, I, J, dot);
    });
  }

  /** {@code outer(a, b)}: one loop over both vectors' elements. */
  CodeBlock outer(Node n) {
    int rows = n.input(0).shape().dim(0);
    int cols = n.input(1).shape().dim(0);
    return loops.perInstance(n, b -> LoopPolicy.loops(rows, cols, I, J,
        CodeBlock.of("$L = $L * $L;\n", a.at(n, b, I.times(cols).plus(J)),
            a.elem(n.input(0), b, I), a.elem(n.input(1), b, J))));
  }

  /** The mean over the batch; of an outer product, one {@code A^T · B} product. */
  CodeBlock batchMean(Node n) {
    Node in = n.input(0);
    int size = n.shape().size();
    CodeBlock.Builder code = CodeBlock.builder();
    if (a.plan().storage(in) == Storage.ABSORBED && in.op() instanceof Outer) {
      int rows = in.input(0).shape().dim(0);
      int cols = in.input(1).shape().dim(0);
      // mean_b outer(a_b, c_b) = (1/B) A^T C with A = [B, rows], C = [B, cols]
      code.add("$T.aTb($L, $L, $L, $L, 0, $L, 0, $L, 0, false);\n",
          GEMM, rows, cols, BATCH, a.ref(in.input(0)), a.ref(in.input(1)), a.ref(n));
    } else {
      code.add(LoopPolicy.loop(size, J, CodeBlock.of("$L[$L] = 0;\n", a.ref(n), J)));
      code.beginControlFlow("for (int $L = 0; $L < $L; $L++)", B, B, BATCH, B);
      code.add(a.needsAxes(in)
          ? LoopPolicy.nested(in.shape(), AxisGroups.of(in, a.plan()),
              nd -> CodeBlock.of("$L[$L] += $L;\n", a.ref(n), nd, a.elem(in, B, nd)))
          : LoopPolicy.loop(size, J, CodeBlock.of("$L[$L] += $L;\n", a.ref(n), J, a.elem(in, B, J))));
      code.endControlFlow();
    }
    code.add(LoopPolicy.loop(size, J, CodeBlock.of("$L[$L] *= $N;\n", a.ref(n), J, INV_B)));
    return code.build();
  }
}
