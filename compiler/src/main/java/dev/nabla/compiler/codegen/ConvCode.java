package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.Locals.INV_B;
import static dev.nabla.compiler.codegen.Locals.J;
import static dev.nabla.compiler.codegen.RuntimeTypes.CONVOLUTIONS;
import static dev.nabla.compiler.codegen.RuntimeTypes.CONV_BATCH_F32;
import static dev.nabla.compiler.codegen.RuntimeTypes.CONV_BATCH_F64;
import static dev.nabla.compiler.codegen.RuntimeTypes.CONV_FORWARD_F32;
import static dev.nabla.compiler.codegen.RuntimeTypes.CONV_FORWARD_F64;
import static dev.nabla.compiler.codegen.RuntimeTypes.CONV_PLAN;
import static dev.nabla.compiler.codegen.RuntimeTypes.POOL_WINDOWS;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.graph.BatchMean;
import dev.nabla.compiler.graph.Conv;
import dev.nabla.compiler.graph.ConvGeometry;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Pool;
import dev.nabla.compiler.graph.PoolGeometry;
import dev.nabla.runtime.kernels.Convolutions;

/**
 * Convolutions and their adjoints. A batched one is one call of a {@code ConvBatch} object that
 * the pass makes in its constructor ({@link PassFields}): it splits the instances across the
 * thread pool and takes the faster path for its sizes, the packed matrix kernels through
 * im2col/col2im or the direct loops ({@code ConvPlan.gemm}). A kernel's adjoint that only a batch
 * mean reads is summed over the batch by that call ({@code kernelGradSum}: one {@code aTb} over
 * the whole batch), then scaled by 1/B. A result shared by the batch (a convolution of two
 * params) is one call of the runtime's per-instance {@link Convolutions} kernel.
 */
final class ConvCode {
  private final Addressing a;
  private final LoopPolicy loops;
  private final PassFields fields;

  ConvCode(Addressing addressing, LoopPolicy loops, PassFields fields) {
    this.a = addressing;
    this.loops = loops;
    this.fields = fields;
  }

  CodeBlock conv(Node n, Conv conv) {
    Node first = n.input(0);
    Node second = n.input(1);
    if (n.batched() && conv.kind() != Conv.Kind.KERNEL_GRAD) {
      String method = conv.kind() == Conv.Kind.FORWARD ? "forward" : "inputGrad";
      return CodeBlock.of("$N.$L($L, 0, $L, $L, 0, $L, $L, 0, $L);\n", batchField(n, conv), method,
          a.ref(first), step(first), a.ref(second), step(second), a.ref(n), step(n));
    }
    ConvGeometry g = conv.geometry();
    String kernel = switch (conv.kind()) {
      case FORWARD -> "forward";
      case INPUT_GRAD -> "inputGrad";
      case KERNEL_GRAD -> "kernelGrad";
    };
    return loops.perInstance(n, b -> CodeBlock.of("$T.$L($L, $L, $L, $L, $L, $L, $L);\n", CONVOLUTIONS, kernel,
        a.ref(first), Addressing.offset(first, b), a.ref(second), Addressing.offset(second, b),
        a.ref(n), Addressing.offset(n, b), sizes(g)));
  }

  /**
   * A convolution layer's forward pass ({@link ConvFusion}): one call of the pass's
   * {@code ConvForward} that computes the convolution, its bias, relu and pooling as the layer
   * has them, instance by instance.
   */
  CodeBlock layer(ConvFusion.Layer layer) {
    Node cv = layer.conv();
    ConvGeometry g = ((Conv) cv.op()).geometry();
    Node x = cv.input(0);
    Node k = cv.input(1);
    Node pool = layer.pool();
    CodeBlock windows = CodeBlock.of("null");
    if (pool != null) {
      PoolGeometry p = ((Pool) pool.op()).geometry();
      windows = CodeBlock.of("new $T($L, $L, $L, $L, $L, $L, $L, $L)", POOL_WINDOWS, p.kh(), p.kw(), p.strideH(),
          p.strideW(), p.paddingH(), p.paddingW(), p.outH(), p.outW());
    }
    ClassName type = a.precision() == Precision.FLOAT ? CONV_FORWARD_F32 : CONV_FORWARD_F64;
    String field = fields.add(type, "conv" + cv.id(),
        CodeBlock.of("new $T(new $T($L), batch, $L, $L)", type, CONV_PLAN, sizes(g), layer.relu() != null, windows),
        CodeBlock.of("$L over the batch (node $L), then its layer's$L$L$L: its plan and scratch.\n", ((Conv) cv.op()).name(),
            cv.id(), layer.bias() != null ? " bias" : "", layer.relu() != null ? " relu" : "",
            pool != null ? " max pooling" : ""));
    return CodeBlock.of("$N.forward($L, 0, $L, $L, 0, $L, $L, 0, $L, 0, $L, $L, 0, $L, $L, 0, $L);\n", field,
        a.ref(x), step(x), a.ref(k), step(k), orNull(layer.bias()), a.ref(layer.z()), step(layer.z()),
        orNull(layer.relu()), step(layer.relu()), orNull(pool), step(pool));
  }

  private CodeBlock orNull(Node n) {
    return n == null ? CodeBlock.of("null") : a.ref(n);
  }

  /** Whether batch mean {@code n} reads a kernel's adjoint that its call sums (see {@link Plan}). */
  boolean sumsKernelGrad(Node n) {
    Node in = n.input(0);
    return n.op() instanceof BatchMean && in.op() instanceof Conv cv && cv.kind() == Conv.Kind.KERNEL_GRAD
        && a.plan().storage(in) == Plan.Storage.ABSORBED;
  }

  /** The batch mean of a kernel's adjoint: the batch's sum in one call, then 1/B. */
  CodeBlock kernelGradMean(Node n) {
    Node in = n.input(0);
    Node x = in.input(0);
    Node dy = in.input(1);
    return CodeBlock.builder()
        .add("$N.kernelGradSum($L, 0, $L, $L, 0, $L, $L, 0);\n", batchField(in, (Conv) in.op()),
            a.ref(x), step(x), a.ref(dy), step(dy), a.ref(n))
        .add(LoopPolicy.loop(n.shape().size(), J, CodeBlock.of("$L[$L] *= $N;\n", a.ref(n), J, INV_B)))
        .build();
  }

  /** The pass's {@code ConvBatch} field for a convolution op, made in its constructor. */
  private String batchField(Node n, Conv conv) {
    ConvGeometry g = conv.geometry();
    ClassName type = a.precision() == Precision.FLOAT ? CONV_BATCH_F32 : CONV_BATCH_F64;
    CodeBlock plan = CodeBlock.of("new $T($L)", CONV_PLAN, sizes(g));
    return fields.add(type, "conv" + n.id(),
        CodeBlock.of("new $T($L, $T.Kind.$L, batch)", type, plan, CONV_PLAN, conv.kind().name()),
        CodeBlock.of("$L over the batch (node $L): its plan and scratch.\n", conv.name(), n.id()));
  }

  /**
   * The scratch of every {@code ConvBatch} and {@code ConvForward} object the passes make
   * ({@link #batchField}, {@link #layer}), in
   * elements, as a sum to add to the run's memory check ({@code HeapLimits.checkRun}): the part
   * per instance or the fixed part (which depends on the pool's threads, so it is computed when
   * the run is made). Empty when the model has none.
   */
  static CodeBlock scratch(Plan plan, Precision precision, boolean perInstance) {
    ClassName type = precision == Precision.FLOAT ? CONV_BATCH_F32 : CONV_BATCH_F64;
    CodeBlock.Builder sum = CodeBlock.builder();
    java.util.List<Node> all = new java.util.ArrayList<>(plan.forwardNodes());
    all.addAll(plan.backwardNodes());
    ClassName layerType = precision == Precision.FLOAT ? CONV_FORWARD_F32 : CONV_FORWARD_F64;
    for (Node n : all) {
      ConvFusion.Layer layer = plan.convFusion().at(n);
      if (layer != null && !perInstance) {
        sum.add(" + $T.scratchFixed(new $T($L))", layerType, CONV_PLAN, sizes(((Conv) layer.conv().op()).geometry()));
      }
      if (n.op() instanceof Conv conv && layer == null && makesBatchField(plan, n, conv)) {
        sum.add(" + $T.$L(new $T($L), $T.Kind.$L)", type, perInstance ? "scratchPerInstance" : "scratchFixed",
            CONV_PLAN, sizes(conv.geometry()), CONV_PLAN, conv.kind().name());
      }
    }
    return sum.build();
  }

  /** Whether a convolution op runs through a pass's {@code ConvBatch} object (see {@link #conv}, {@link #kernelGradMean}). */
  private static boolean makesBatchField(Plan plan, Node n, Conv conv) {
    Plan.Storage s = plan.storage(n);
    return conv.kind() == Conv.Kind.KERNEL_GRAD
        ? s == Plan.Storage.ABSORBED
        : n.batched() && (s == Plan.Storage.FORWARD || s == Plan.Storage.BACKWARD);
  }

  /** The sizes the runtime's kernels take: {@code c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow}. */
  private static CodeBlock sizes(ConvGeometry g) {
    return CodeBlock.of("$L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L",
        g.c(), g.h(), g.w(), g.o(), g.kh(), g.kw(), g.strideH(), g.strideW(), g.paddingH(), g.paddingW(),
        g.dilationH(), g.dilationW(), g.outH(), g.outW());
  }

  /** The distance between two instances' blocks of a value: its size, or 0 when shared (or absent). */
  private static int step(Node n) {
    return n != null && n.batched() ? n.shape().size() : 0;
  }
}
