package dev.nabla.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.graph.ArgMaxMask;
import dev.nabla.compiler.graph.BatchMean;
import dev.nabla.compiler.graph.Binary;
import dev.nabla.compiler.graph.Broadcast;
import dev.nabla.compiler.graph.Concat;
import dev.nabla.compiler.graph.ConcatAxis;
import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.Conv;
import dev.nabla.compiler.graph.Pool;
import dev.nabla.compiler.graph.Extreme;
import dev.nabla.compiler.graph.GroupSum;
import dev.nabla.compiler.graph.Index;
import dev.nabla.compiler.graph.Kl;
import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.LogSoftmax;
import dev.nabla.compiler.graph.LogSumExp;
import dev.nabla.compiler.graph.MatMul;
import dev.nabla.compiler.graph.MaxPool;
import dev.nabla.compiler.graph.MaxPoolMask;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Outer;
import dev.nabla.compiler.graph.Pad;
import dev.nabla.compiler.graph.PadAxes;
import dev.nabla.compiler.graph.Permute;
import dev.nabla.compiler.graph.Recurrence;
import dev.nabla.compiler.graph.RecurrenceOutput;
import dev.nabla.compiler.graph.Repeat;
import dev.nabla.compiler.graph.Reshape;
import dev.nabla.compiler.graph.Slice;
import dev.nabla.compiler.graph.Softmax;
import dev.nabla.compiler.graph.StackMatMul;
import dev.nabla.compiler.graph.Stack;
import dev.nabla.compiler.graph.Subscript;
import dev.nabla.compiler.graph.Sum;
import dev.nabla.compiler.graph.Transpose;
import dev.nabla.compiler.graph.Unary;
import dev.nabla.compiler.graph.Where;

/**
 * Emits the Java statements that compute one value of the program into its buffer: the one
 * place that maps every op to its code, by family. Where values live and how an element is read
 * is {@link Addressing}; how loops run (threads, fusion's work estimate) is {@link LoopPolicy};
 * the templates are {@link ElementwiseCode} (with {@link ElementFormulas}), {@link ProductCode},
 * {@link ReductionCode} and {@link LayoutCode}.
 */
final class Emitter {
  private final Addressing addressing;
  private final ElementwiseCode elementwise;
  private final ProductCode products;
  private final ReductionCode reductions;
  private final LayoutCode layout;
  private final StackProductCode stackProducts;
  private final FusedProductCode fused;
  private final ConvCode convolutions;
  private final PoolCode pooling;
  private final RecurrenceCode recurrences;
  private final LoopPolicy loops;

  Emitter(Plan plan, Precision precision, boolean inBackward, BatchLoopMethods batchLoops, PassFields fields) {
    this(new Addressing(plan, precision, inBackward), batchLoops, fields);
  }

  /** The emitter of values addressed by {@code addressing} (a model's, or a recurrence step's). */
  Emitter(Addressing addressing, BatchLoopMethods batchLoops, PassFields fields) {
    this.addressing = addressing;
    Plan plan = addressing.plan();
    LoopPolicy loops = new LoopPolicy(plan, batchLoops);
    this.loops = loops;
    this.elementwise = new ElementwiseCode(addressing, loops);
    this.products = new ProductCode(addressing, loops);
    this.reductions = new ReductionCode(addressing, loops);
    this.layout = new LayoutCode(addressing, loops);
    this.stackProducts = new StackProductCode(addressing);
    this.fused = new FusedProductCode(addressing);
    this.convolutions = new ConvCode(addressing, loops, fields);
    this.pooling = new PoolCode(addressing, loops);
    this.recurrences = new RecurrenceCode(addressing, batchLoops, fields);
  }

  /** Element {@code idx} of instance {@code b} of a value (see {@link Addressing#elem}). */
  CodeBlock elem(Node n, Ix b, Ix idx) {
    return addressing.elem(n, b, idx);
  }

  /** The statements that fill a value's buffer. No default: javac asks for a new op's line. */
  CodeBlock compute(Node n) {
    if (addressing.plan().loopWritten(n)) {
      return RecurrenceCode.writtenByLoop(n); // a batch mean that a recurrence's loop computes
    }
    if (addressing.plan().padSums().isSum(n)) {
      return addressing.plan().padSums().code(n, addressing, loops); // pieces written in place
    }
    CodeBlock product = fused.at(n);
    if (product != null) {
      return product; // a dense layer's product with its element-wise work (ProductFusion)
    }
    ConvFusion.Layer layer = addressing.plan().convFusion().at(n);
    if (layer != null) {
      return convolutions.layer(layer); // a convolution with its bias, relu and pooling (ConvFusion)
    }
    PoolStepFusion.Site masked = addressing.plan().poolSteps().at(n);
    if (masked != null) {
      return pooling.maskedScatter(n, masked); // maxpool's adjoint and relu's mask in one pass
    }
    return switch (n.op()) {
      case Unary _, Binary _, Broadcast _, Where _ -> elementwise.elementwise(n);
      case MatMul _ -> products.matmul(n);
      case StackMatMul s -> stackProducts.compute(n, s);
      case Outer _ -> products.outer(n);
      case BatchMean _ -> absorbed(n.input(0)) ? stackProducts.batchMean(n, n.input(0))
          : convolutions.sumsKernelGrad(n) ? convolutions.kernelGradMean(n) : products.batchMean(n);
      case Sum s -> absorbed(n.input(0)) ? stackProducts.summed(n, n.input(0), s.axis()) : reductions.sum(n, s);
      case GroupSum gs -> reductions.groupReduce(n, gs.k(), false);
      case MaxPool mp -> reductions.groupReduce(n, mp.k(), true);
      case MaxPoolMask mm -> reductions.maxpoolMask(n, mm.k());
      case Extreme e -> reductions.extreme(n, e.max(), e.axis());
      case ArgMaxMask m -> reductions.argmaxMask(n, m.axis());
      case Softmax s -> reductions.softmax(n, false, s.axis());
      case LogSoftmax s -> reductions.softmax(n, true, s.axis());
      case LogSumExp l -> reductions.logSumExp(n, l.axis());
      case Kl _ -> reductions.kl(n);
      case Transpose _ -> layout.transpose(n);
      case Index i -> layout.index(n, i);
      case Slice s -> layout.slice(n, s);
      case Pad pad -> layout.pad(n, pad);
      case Concat _ -> layout.concat(n);
      case Repeat r -> layout.repeat(n, r);
      case Permute p -> layout.permute(n, p);
      case Subscript s -> layout.subscript(n, s);
      case PadAxes p -> layout.padAxes(n, p);
      case ConcatAxis c -> layout.concatAxis(n, c);
      case Stack s -> layout.stack(n, s);
      case Reshape _ -> layout.reshape(n);
      case Conv cv -> convolutions.conv(n, cv);
      case Pool pool -> pooling.pool(n, pool);
      case Recurrence _ -> recurrences.loop(n);
      case RecurrenceOutput _ -> RecurrenceCode.writtenByLoop(n);
      case Leaf _, Constant _ -> throw new IllegalStateException("internal: no code for " + n);
    };
  }

  /** Whether a value is a product of stacks computed by its user's code (a sum or a batch mean). */
  private boolean absorbed(Node n) {
    return n.op() instanceof StackMatMul && addressing.plan().storage(n) == Plan.Storage.ABSORBED;
  }
}
