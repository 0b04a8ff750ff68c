package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.RuntimeTypes.POOLS;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Pool;
import dev.nabla.compiler.graph.PoolGeometry;
import dev.nabla.runtime.kernels.Pools;

/**
 * Pooling and the ops of its derivative: one call of the runtime's {@link Pools} kernel per
 * instance, the instances split across the thread pool.
 */
final class PoolCode {
  private final Addressing a;
  private final LoopPolicy loops;

  PoolCode(Addressing addressing, LoopPolicy loops) {
    this.a = addressing;
    this.loops = loops;
  }

  /**
   * The product {@code m = maxpool2d_grad(x, dy) * step(z)} of {@link PoolStepFusion} in one call
   * per instance: the scatter and the relu's mask in one pass.
   */
  CodeBlock maskedScatter(Node m, PoolStepFusion.Site site) {
    Node scatter = site.scatter();
    PoolGeometry g = ((Pool) scatter.op()).geometry();
    Node x = scatter.input(0);
    Node dy = scatter.input(1);
    Node z = site.z();
    return loops.perInstance(m, b -> CodeBlock.of(
        "$T.maxScatterStep($L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L);\n", POOLS,
        a.ref(x), Addressing.offset(x, b), a.ref(dy), Addressing.offset(dy, b), a.ref(z), Addressing.offset(z, b),
        a.ref(m), Addressing.offset(m, b), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(),
        g.paddingH(), g.paddingW(), g.outH(), g.outW()));
  }

  CodeBlock pool(Node n, Pool pool) {
    PoolGeometry g = pool.geometry();
    CodeBlock sizes = CodeBlock.of("$L, $L, $L, $L, $L, $L, $L", g.c(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW());
    CodeBlock padding = CodeBlock.of("$L, $L", g.paddingH(), g.paddingW());
    CodeBlock out = CodeBlock.of("$L, $L", g.outH(), g.outW());
    return loops.perInstance(n, b -> {
      CodeBlock.Builder args = CodeBlock.builder();
      for (Node in : n.inputs()) {
        args.add("$L, $L, ", a.ref(in), Addressing.offset(in, b));
      }
      args.add("$L, $L, $L, ", a.ref(n), Addressing.offset(n, b), sizes);
      return switch (pool.kind()) {
        case MAX -> CodeBlock.of("$T.max($L$L, $L);\n", POOLS, args.build(), padding, out);
        case MAX_SCATTER -> CodeBlock.of("$T.maxScatter($L$L, $L);\n", POOLS, args.build(), padding, out);
        case MAX_GATHER -> CodeBlock.of("$T.maxGather($L$L, $L);\n", POOLS, args.build(), padding, out);
        case AVG -> CodeBlock.of("$T.avg($L$L);\n", POOLS, args.build(), out);
        case AVG_SCATTER -> CodeBlock.of("$T.avgScatter($L$L);\n", POOLS, args.build(), out);
      };
    });
  }
}
