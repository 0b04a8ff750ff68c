package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.RuntimeTypes.CONVOLUTIONS;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.graph.Conv;
import dev.nabla.compiler.graph.ConvGeometry;
import dev.nabla.compiler.graph.Node;
import dev.nabla.runtime.kernels.Convolutions;

/**
 * Convolutions and their adjoints: one call of the runtime's {@link Convolutions} kernel per
 * instance, the instances split across the thread pool (a shared result, such as a convolution
 * of two params, is one call).
 */
final class ConvCode {
  private final Addressing a;
  private final LoopPolicy loops;

  ConvCode(Addressing addressing, LoopPolicy loops) {
    this.a = addressing;
    this.loops = loops;
  }

  CodeBlock conv(Node n, Conv conv) {
    ConvGeometry g = conv.geometry();
    String kernel = switch (conv.kind()) {
      case FORWARD -> "forward";
      case INPUT_GRAD -> "inputGrad";
      case KERNEL_GRAD -> "kernelGrad";
    };
    Node first = n.input(0);
    Node second = n.input(1);
    return loops.perInstance(n, b -> CodeBlock.of(
        "$T.$L($L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L);\n",
        CONVOLUTIONS, kernel,
        a.ref(first), Addressing.offset(first, b), a.ref(second), Addressing.offset(second, b),
        a.ref(n), Addressing.offset(n, b),
        g.c(), g.h(), g.w(), g.o(), g.kh(), g.kw(), g.strideH(), g.strideW(), g.paddingH(), g.paddingW(),
        g.dilationH(), g.dilationW(), g.outH(), g.outW()));
  }
}
