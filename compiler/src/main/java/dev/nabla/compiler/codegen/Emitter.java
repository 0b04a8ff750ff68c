package dev.nabla.compiler.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.ArgMaxMask;
import dev.nabla.compiler.graph.BatchMean;
import dev.nabla.compiler.graph.Binary;
import dev.nabla.compiler.graph.BinaryFn;
import dev.nabla.compiler.graph.Broadcast;
import dev.nabla.compiler.graph.Concat;
import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.Extreme;
import dev.nabla.compiler.graph.GroupSum;
import dev.nabla.compiler.graph.Index;
import dev.nabla.compiler.graph.Kl;
import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.LogSoftmax;
import dev.nabla.compiler.graph.MatMul;
import dev.nabla.compiler.graph.MaxPool;
import dev.nabla.compiler.graph.MaxPoolMask;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Outer;
import dev.nabla.compiler.graph.Pad;
import dev.nabla.compiler.graph.Repeat;
import dev.nabla.compiler.graph.Shape;
import dev.nabla.compiler.graph.Slice;
import dev.nabla.compiler.graph.Softmax;
import dev.nabla.compiler.graph.Sum;
import dev.nabla.compiler.graph.Transpose;
import dev.nabla.compiler.graph.Unary;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Emits the Java statements that compute one value of the program into its buffer, and the
 * Java expression for one element of a value (the heart of loop fusion: an inline value's
 * element is its formula over its inputs' elements).
 *
 * <p>Layout: a batched value of per-instance shape S is a {@code [B, S]} row-major array, so
 * instance {@code b}'s element {@code j} is at {@code b * size(S) + j}; a shared value is an
 * array of {@code size(S)}. Loops run over {@code b} (when the value is batched) and the
 * instance's elements.
 */
final class Emitter {
  static final ClassName GEMM = ClassName.get(CodeGenerator.KERNELS, "Gemm");
  static final ClassName SCALARS = ClassName.get(CodeGenerator.KERNELS, "Scalars");
  static final ClassName SOFTMAX = ClassName.get(CodeGenerator.KERNELS, "Softmax");
  static final ClassName ACTIVATIONS = ClassName.get(CodeGenerator.KERNELS, "Activations");

  private final Plan plan;
  private final Precision p;
  private final boolean inBackward;
  private final BatchLoopMethods loops;

  Emitter(Plan plan, Precision precision, boolean inBackward, BatchLoopMethods loops) {
    this.plan = plan;
    this.p = precision;
    this.inBackward = inBackward;
    this.loops = loops;
  }

  // ---------------------------------------------------------------- references and elements

  /** The array holding a value, as seen from the class being written. */
  CodeBlock ref(Node n) {
    String name = plan.name(n);
    return switch (plan.storage(n)) {
      case PARAM -> CodeBlock.of("model.$N", name);
      case INPUT, FORWARD -> inBackward ? CodeBlock.of("f.$N", name) : CodeBlock.of("$N", name);
      case BACKWARD -> CodeBlock.of("$N", name);
      default -> throw new IllegalStateException("internal: " + n + " has no array");
    };
  }

  /**
   * In place of an instance variable: {@code idx} is already the flat index into the batch's
   * array (a loop over the elements of a range of instances, see {@link #elementwise}).
   */
  static final String FLAT = "";

  /** The flat index of element {@code idx} of instance {@code b} in a value's array. */
  static String index(Node n, String b, String idx) {
    int size = n.shape().size();
    if (!n.batched() || b.equals(FLAT)) {
      return idx;
    }
    if (size == 1) {
      return b;
    }
    return idx.equals("0") ? b + " * " + size : b + " * " + size + " + " + idx;
  }

  /** The array offset of instance {@code b} of a value (0 for a shared value). */
  static String offset(Node n, String b) {
    return n.batched() ? b + " * " + n.shape().size() : "0";
  }

  /** Element {@code idx} (a Java int expression) of instance {@code b} of a value. */
  CodeBlock elem(Node n, String b, String idx) {
    return switch (plan.storage(n)) {
      case CONSTANT -> literal(((Constant) n.op()).value());
      case HYPER -> CodeBlock.of("$N", plan.name(n));
      case INPUT, PARAM, FORWARD, BACKWARD -> CodeBlock.of("$L[$L]", ref(n), index(n, b, idx));
      case INLINE -> inline(n, b, idx);
      case ABSORBED -> throw new IllegalStateException("internal: absorbed " + n + " read elementwise");
    };
  }

  private CodeBlock literal(double v) {
    CodeBlock lit = p.literal(v);
    return v < 0 ? CodeBlock.of("($L)", lit) : lit;
  }

  /** The index into an input of shape {@code in} for element {@code idx} of shape {@code out}. */
  private static String broadcastIndex(String idx, Shape out, Shape in) {
    if (in.equals(out)) {
      return idx;
    }
    if (in.isScalar()) {
      return "0";
    }
    return paren(idx) + " % " + in.dim(in.rank() - 1);
  }

  private static String paren(String idx) {
    return idx.contains(" ") ? "(" + idx + ")" : idx;
  }

  private CodeBlock inline(Node n, String b, String idx) {
    return switch (n.op()) {
      case Unary u -> unary(u, elem(n.input(0), b, idx));
      case Binary bin ->
          binary(
              bin,
              elem(n.input(0), b, broadcastIndex(idx, n.shape(), n.input(0).shape())),
              elem(n.input(1), b, broadcastIndex(idx, n.shape(), n.input(1).shape())));
      case Broadcast br -> {
        String source =
            switch (br.kind()) {
              case SCALAR -> "0";
              case ROWS -> paren(idx) + " % " + br.to().dim(1);
              case COLUMNS -> paren(idx) + " / " + br.to().dim(1);
            };
        yield elem(n.input(0), b, source);
      }
      case Leaf _, Constant _, BatchMean _, MatMul _, Transpose _, Outer _, Index _, Slice _, Pad _,
          Concat _, Repeat _, GroupSum _, Sum _, Extreme _, ArgMaxMask _, MaxPool _, MaxPoolMask _,
          Softmax _, LogSoftmax _, Kl _ -> throw notInline(n);
    };
  }

  /** Only elementwise ops and broadcasts are planned inline ({@link Plan#readsElementwise}). */
  private static IllegalStateException notInline(Node n) {
    return new IllegalStateException("internal: cannot inline " + n);
  }

  private CodeBlock unary(Unary u, CodeBlock x) {
    double a = u.parameter();
    return switch (u.fn()) {
      case NEG -> CodeBlock.of("(-$L)", x);
      case EXP -> p.fromDouble(CodeBlock.of("$T.exp($L)", Math.class, x));
      case LOG -> p.fromDouble(CodeBlock.of("$T.log($L)", Math.class, x));
      case SQRT -> p.fromDouble(CodeBlock.of("$T.sqrt($L)", Math.class, x));
      case SIN -> p.fromDouble(CodeBlock.of("$T.sin($L)", Math.class, x));
      case COS -> p.fromDouble(CodeBlock.of("$T.cos($L)", Math.class, x));
      case TANH -> p.fromDouble(CodeBlock.of("$T.tanh($L)", Math.class, x));
      case ABS -> CodeBlock.of("$T.abs($L)", Math.class, x);
      case SIGN -> CodeBlock.of("$T.signum($L)", Math.class, x);
      case SIGMOID -> CodeBlock.of("$T.sigmoid($L)", SCALARS, x);
      case SOFTPLUS -> CodeBlock.of("$T.softplus($L)", SCALARS, x);
      case RELU -> CodeBlock.of("$T.relu($L)", SCALARS, x);
      case STEP -> CodeBlock.of("$T.step($L)", SCALARS, x);
      case LEAKY_RELU -> CodeBlock.of("$T.leakyRelu($L, $L)", SCALARS, x, literal(a));
      case ELU -> CodeBlock.of("$T.elu($L, $L)", SCALARS, x, literal(a));
      case POWC -> {
        if (a == 2) {
          yield CodeBlock.of("$T.square($L)", SCALARS, x);
        } else if (a == 1) {
          yield x;
        } else if (a == -1) {
          yield CodeBlock.of("($L / $L)", literal(1), x);
        } else if (a == 0.5) {
          yield p.fromDouble(CodeBlock.of("$T.sqrt($L)", Math.class, x));
        }
        yield p.fromDouble(CodeBlock.of("$T.pow($L, $L)", Math.class, x, a));
      }
    };
  }

  private CodeBlock binary(Binary b, CodeBlock x, CodeBlock y) {
    return switch (b.fn()) {
      case ADD -> CodeBlock.of("($L + $L)", x, y);
      case SUB -> CodeBlock.of("($L - $L)", x, y);
      case MUL -> CodeBlock.of("($L * $L)", x, y);
      case DIV -> CodeBlock.of("($L / $L)", x, y);
      case POW -> p.fromDouble(CodeBlock.of("$T.pow($L, $L)", Math.class, x, y));
      case MAX -> CodeBlock.of("$T.max($L, $L)", SCALARS, x, y);
      case MIN -> CodeBlock.of("$T.min($L, $L)", SCALARS, x, y);
      case GE -> CodeBlock.of("$T.ge($L, $L)", SCALARS, x, y);
    };
  }

  // ---------------------------------------------------------------- statements

  /** The statements that fill a value's buffer. */
  CodeBlock compute(Node n) {
    return switch (n.op()) {
      case Unary u -> elementwise(n);
      case Binary b -> elementwise(n);
      case Broadcast b -> elementwise(n);
      case MatMul m -> matmul(n);
      case BatchMean m -> batchMean(n);
      case Outer o -> perInstance(n, b -> loops2(n.input(0).shape().dim(0), n.input(1).shape().dim(0),
          "i", "j", CodeBlock.of("$L[$L] = $L * $L;\n", ref(n), index(n, b, "i * " + n.input(1).shape().dim(0) + " + j"),
              elem(n.input(0), b, "i"), elem(n.input(1), b, "j"))));
      case Transpose t -> transpose(n);
      case Sum s -> sum(n, s);
      case Index i -> perInstance(n, b -> CodeBlock.of("$L[$L] = $L;\n", ref(n), index(n, b, "0"), elem(n.input(0), b, String.valueOf(i.index()))));
      case Slice s -> perInstance(n, b -> loop1(n.shape().size(), "j",
          CodeBlock.of("$L[$L] = $L;\n", ref(n), index(n, b, "j"), elem(n.input(0), b, "j + " + s.from()))));
      case Pad pad -> pad(n, pad);
      case Concat c -> concat(n);
      case Repeat r -> perInstance(n, b -> loop1(n.shape().size(), "j",
          CodeBlock.of("$L[$L] = $L;\n", ref(n), index(n, b, "j"), elem(n.input(0), b, "j / " + r.k()))));
      case GroupSum gs -> groupReduce(n, gs.k(), false);
      case MaxPool mp -> groupReduce(n, mp.k(), true);
      case MaxPoolMask mm -> maxpoolMask(n, mm.k());
      case Extreme e -> extreme(n, e.max());
      case ArgMaxMask a -> argmaxMask(n);
      case Softmax s -> softmax(n, false);
      case LogSoftmax s -> softmax(n, true);
      case Kl k -> kl(n);
      case Leaf _, Constant _ -> throw new IllegalStateException("internal: no code for " + n);
    };
  }

  /**
   * Runs {@code body} for each instance (b) of a batched value, or once for a shared one. The
   * body may write only instance b's elements of n: the batch loop becomes a loop method that
   * the runtime may split by ranges of b across threads ({@link BatchLoopMethods}).
   */
  private CodeBlock perInstance(Node n, Function<String, CodeBlock> body) {
    if (!n.batched()) {
      return perInstanceSerial(n, body);
    }
    return rows(n, work(n), CodeBlock.builder()
        .beginControlFlow("for (int b = from; b < to; b++)")
        .add(body.apply("b"))
        .endControlFlow()
        .build());
  }

  /** A loop method over instances {@code [from, to)} running {@code rangeBody}, and the call that runs it. */
  private CodeBlock rows(Node n, long work, CodeBlock rangeBody) {
    return loops.add(rangeBody, fused(n), work);
  }

  /** {@link #perInstance} on the calling thread, in the pass's method. */
  private CodeBlock perInstanceSerial(Node n, Function<String, CodeBlock> body) {
    if (!n.batched()) {
      // A block of its own, so that locals of two shared values do not collide.
      return CodeBlock.builder().add("{\n").indent().add(body.apply("0")).unindent().add("}\n").build();
    }
    return CodeBlock.builder()
        .beginControlFlow("for (int b = 0; b < batch; b++)")
        .add(body.apply("b"))
        .endControlFlow()
        .build();
  }

  /** A value and the inline values computed in its code. */
  private List<Node> fused(Node n) {
    List<Node> all = new ArrayList<>();
    all.add(n);
    for (int i = 0; i < all.size(); i++) {
      for (Node in : all.get(i).inputs()) {
        if (plan.storage(in) == Storage.INLINE && !all.contains(in)) {
          all.add(in);
        }
      }
    }
    return all;
  }

  /**
   * An estimate of the element operations per instance of a value's loop: its elements (or its
   * inputs', for a reduction) times the operations of its fused expression. Only whether the
   * loop is split across threads depends on it.
   */
  private long work(Node n) {
    long elements = n.shape().size();
    for (Node in : n.inputs()) {
      elements = Math.max(elements, in.shape().size());
    }
    return elements * cost(n);
  }

  private long cost(Node n) {
    long c = n.op().cost();
    for (Node in : n.inputs()) {
      if (plan.storage(in) == Storage.INLINE) {
        c += cost(in);
      }
    }
    return c;
  }

  private static CodeBlock loop1(int size, String var, CodeBlock body) {
    return CodeBlock.builder()
        .beginControlFlow("for (int $L = 0; $L < $L; $L++)", var, var, size, var)
        .add(body)
        .endControlFlow()
        .build();
  }

  private static CodeBlock loops2(int rows, int cols, String i, String j, CodeBlock body) {
    return loop1(rows, i, loop1(cols, j, body));
  }

  /**
   * One fused loop: every inline value under this one is computed in the same pass. When every
   * array it reads is read at the value's own index (no broadcast), it is one flat loop over the
   * range's elements, {@code y[i] = f(x[i])}: a long single loop is what C2 vectorizes, where
   * the nested loop's inner trip count is the (often small) instance size.
   */
  private CodeBlock elementwise(Node n) {
    int size = n.shape().size();
    String kernel = activationKernel(n);
    if (n.batched() && kernel != null) {
      return activation(n, kernel);
    }
    if (n.batched() && size > 1 && flat(n, n)) {
      return rows(n, work(n), CodeBlock.builder()
          .beginControlFlow("for (int i = from * $L; i < to * $L; i++)", size, size)
          .add("$L[i] = $L;\n", ref(n), inline(n, FLAT, "i"))
          .endControlFlow()
          .build());
    }
    return perInstance(n, b -> loop1(size, "j",
        CodeBlock.of("$L[$L] = $L;\n", ref(n), index(n, b, "j"), inline(n, b, "j"))));
  }

  /**
   * The {@code Activations.Fn} constant for a value that is exp, tanh or sigmoid of its input,
   * else null. Java does not vectorize {@code Math.exp} or {@code Math.tanh}; the runtime's
   * kernel runs them on SIMD (a tanh layer's elements about 10x faster).
   */
  private static String activationKernel(Node n) {
    if (!(n.op() instanceof Unary u)) {
      return null;
    }
    return switch (u.fn()) {
      case EXP, TANH, SIGMOID -> u.fn().name();
      default -> null;
    };
  }

  /**
   * An activation through the runtime's row kernel, {@code Activations.apply}, over the loop's
   * range of instances: straight from the input's array, or, when the input is a fused
   * expression, after writing that expression into the value's own array (the kernel then works
   * in place).
   */
  private CodeBlock activation(Node n, String kernel) {
    Node in = n.input(0);
    int size = n.shape().size();
    CodeBlock.Builder body = CodeBlock.builder();
    CodeBlock source;
    if (holdsArray(in) && in.batched() && in.shape().equals(n.shape())) {
      source = ref(in);
    } else {
      body.beginControlFlow("for (int b = from; b < to; b++)")
          .add(loop1(size, "j", CodeBlock.of("$L[$L] = $L;\n", ref(n), index(n, "b", "j"), elem(in, "b", "j"))))
          .endControlFlow();
      source = ref(n);
    }
    body.add("$T.apply($T.$L, to - from, $L, $L, from * $L, $L, from * $L);\n",
        ACTIVATIONS, ACTIVATIONS.nestedClass("Fn"), kernel, size, source, size, ref(n), size);
    return rows(n, work(n), body.build());
  }

  /**
   * Whether the fused expression {@code n} (the loop's value {@code out}, or one inline in it)
   * reads every array at {@code out}'s flat index: each input is batched with {@code out}'s
   * shape (arrays, or inline values of that kind), or a scalar read at 0 (a literal, a hyper, a
   * shared one-element array).
   */
  private boolean flat(Node n, Node out) {
    if (n.op() instanceof Broadcast) {
      return false;
    }
    for (Node in : n.inputs()) {
      boolean sameIndex = in.batched() && in.shape().equals(out.shape());
      boolean ok = switch (plan.storage(in)) {
        case CONSTANT, HYPER -> true;
        case INLINE -> sameIndex && flat(in, out);
        case INPUT, PARAM, FORWARD, BACKWARD -> sameIndex || (!in.batched() && in.shape().isScalar());
        case ABSORBED -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** An operand of a product: its array, and whether the kernel should read it transposed. */
  private record Operand(Node node, boolean transposed) {}

  private Operand operand(Node n) {
    if (plan.storage(n) == Storage.ABSORBED && n.op() instanceof Transpose) {
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

  private CodeBlock gemm(String kernel, Object rows, int n, int k, Node a, String aOff, Node b, String bOff, Node c, String cOff) {
    return CodeBlock.of(
        "$T.$L($L, $L, $L, $L, $L, $L, $L, $L, $L, false);\n",
        GEMM, kernel, rows, n, k, ref(a), aOff, ref(b), bOff, ref(c), cOff);
  }

  /**
   * A matrix product. Per instance it is {@code op(A)[m,k] · op(B)[k,n]} with a vector on the
   * left read as one row and on the right as one column. Over the batch it becomes one kernel
   * call where the layout allows (a batched left operand stacks its rows; the layer form
   * {@code W @ x} becomes {@code X · W^T}), else one call per instance.
   */
  private CodeBlock matmul(Node n) {
    Operand a = operand(n.input(0));
    Operand bb = operand(n.input(1));
    Shape as = n.input(0).shape();
    Shape bs = n.input(1).shape();
    int m = as.rank() == 2 ? as.dim(0) : 1;
    int k = as.rank() == 2 ? as.dim(1) : as.dim(0);
    int cols = bs.rank() == 2 ? bs.dim(1) : 1;
    boolean aBatched = a.node().batched();
    boolean bBatched = bb.node().batched();
    String ka = kernel(a.transposed(), bb.transposed());
    CodeBlock.Builder code = CodeBlock.builder();
    if (ka != null && aBatched && !a.transposed() && !bBatched) {
      // Stack the batch's rows of A: [B*m, k] · op(B).
      return code.add(gemm(ka, "batch * " + m, cols, k, a.node(), "0", bb.node(), "0", n, "0")).build();
    }
    if (!aBatched && bBatched && bs.rank() == 1 && !bb.transposed()) {
      // The layer form op(A) x for every instance: Z[B, m] = X[B, k] · op(A)^T.
      String kb = a.transposed() ? "ab" : "abT";
      return code.add(gemm(kb, "batch", m, k, bb.node(), "0", a.node(), "0", n, "0")).build();
    }
    if (ka != null && !aBatched && !bBatched) {
      return code.add(gemm(ka, m, cols, k, a.node(), "0", bb.node(), "0", n, "0")).build();
    }
    if (ka != null) {
      // Per instance products stay on the calling thread: a product splits itself when large.
      return perInstanceSerial(n, b -> gemm(ka, m, cols, k, a.node(), offset(a.node(), b), bb.node(), offset(bb.node(), b), n, offset(n, b)));
    }
    // Both transposed: C[i,j] = sum_p A[p,i] * B[j,p], in plain loops.
    return perInstanceSerial(n, b -> {
      CodeBlock dot = CodeBlock.builder()
          .addStatement("double acc = 0")
          .add(loop1(k, "q", CodeBlock.of("acc += $L * $L;\n",
              elem(a.node(), b, "q * " + m + " + i"), elem(bb.node(), b, "j * " + k + " + q"))))
          .addStatement("$L[$L] = $L", ref(n), index(n, b, "i * " + cols + " + j"), p.fromDouble(CodeBlock.of("acc")))
          .build();
      return loops2(m, cols, "i", "j", dot);
    });
  }

  /** The mean over the batch; of an outer product, one {@code A^T · B} product. */
  private CodeBlock batchMean(Node n) {
    Node in = n.input(0);
    int size = n.shape().size();
    CodeBlock.Builder code = CodeBlock.builder();
    if (plan.storage(in) == Storage.ABSORBED && in.op() instanceof Outer) {
      int rows = in.input(0).shape().dim(0);
      int cols = in.input(1).shape().dim(0);
      // mean_b outer(a_b, c_b) = (1/B) A^T C with A = [B, rows], C = [B, cols]
      code.add("$T.aTb($L, $L, batch, $L, 0, $L, 0, $L, 0, false);\n",
          GEMM, rows, cols, ref(in.input(0)), ref(in.input(1)), ref(n));
    } else {
      code.add(loop1(size, "j", CodeBlock.of("$L[j] = 0;\n", ref(n))));
      code.beginControlFlow("for (int b = 0; b < batch; b++)");
      code.add(loop1(size, "j", CodeBlock.of("$L[j] += $L;\n", ref(n), elem(in, "b", "j"))));
      code.endControlFlow();
    }
    code.add(loop1(size, "j", CodeBlock.of("$L[j] *= invB;\n", ref(n))));
    return code.build();
  }

  private CodeBlock transpose(Node n) {
    int rows = n.input(0).shape().dim(0);
    int cols = n.input(0).shape().dim(1);
    return perInstance(n, b -> loops2(rows, cols, "i", "j",
        CodeBlock.of("$L[$L] = $L;\n", ref(n), index(n, b, "j * " + rows + " + i"), elem(n.input(0), b, "i * " + cols + " + j"))));
  }

  private CodeBlock sum(Node n, Sum s) {
    Node in = n.input(0);
    if (s.axis() == Sum.ALL) {
      return perInstance(n, b -> CodeBlock.builder()
          .addStatement("double acc = 0")
          .add(loop1(in.shape().size(), "j", CodeBlock.of("acc += $L;\n", elem(in, b, "j"))))
          .addStatement("$L[$L] = $L", ref(n), index(n, b, "0"), p.fromDouble(CodeBlock.of("acc")))
          .build());
    }
    int rows = in.shape().dim(0);
    int cols = in.shape().dim(1);
    String outIdx = s.axis() == 0 ? "j" : "i";
    return perInstance(n, b -> CodeBlock.builder()
        .add(loop1(n.shape().size(), "j", CodeBlock.of("$L[$L] = 0;\n", ref(n), index(n, b, "j"))))
        .add(loops2(rows, cols, "i", "j", CodeBlock.of("$L[$L] += $L;\n", ref(n), index(n, b, outIdx), elem(in, b, "i * " + cols + " + j"))))
        .build());
  }

  private CodeBlock pad(Node n, Pad pad) {
    int inner = n.input(0).shape().dim(0);
    return perInstance(n, b -> loop1(n.shape().size(), "j", CodeBlock.of(
        "$L[$L] = j >= $L && j < $L ? $L : $L;\n", ref(n), index(n, b, "j"), pad.before(), pad.before() + inner,
        elem(n.input(0), b, "j - " + pad.before()), literal(0))));
  }

  private CodeBlock concat(Node n) {
    return perInstance(n, b -> {
      CodeBlock.Builder code = CodeBlock.builder();
      int at = 0;
      for (Node part : n.inputs()) {
        int size = part.shape().size();
        code.add(loop1(size, "j", CodeBlock.of("$L[$L] = $L;\n", ref(n), index(n, b, "j + " + at), elem(part, b, "j"))));
        at += size;
      }
      return code.build();
    });
  }

  /** group_sum (sum of each group of k) or maxpool (largest of each group). */
  private CodeBlock groupReduce(Node n, int k, boolean max) {
    Node in = n.input(0);
    return perInstance(n, b -> loop1(n.shape().size(), "i", CodeBlock.builder()
        .addStatement("$T acc = $L", p.type(), max ? elem(in, b, "i * " + k) : literal(0))
        .add(loop1(k, "j", max
            ? CodeBlock.of("acc = $T.max(acc, $L);\n", Math.class, elem(in, b, "i * " + k + " + j"))
            : CodeBlock.of("acc += $L;\n", elem(in, b, "i * " + k + " + j"))))
        .addStatement("$L[$L] = acc", ref(n), index(n, b, "i"))
        .build()));
  }

  private CodeBlock maxpoolMask(Node n, int k) {
    Node in = n.input(0);
    return perInstance(n, b -> loop1(n.shape().size() / k, "i", CodeBlock.builder()
        .addStatement("int best = 0")
        .add(loop1(k, "j", CodeBlock.builder()
            .add("if ($L > $L) best = j;\n", elem(in, b, "i * " + k + " + j"), elem(in, b, "i * " + k + " + best"))
            .addStatement("$L[$L] = 0", ref(n), index(n, b, "i * " + k + " + j"))
            .build()))
        .addStatement("$L[$L] = 1", ref(n), index(n, b, "i * " + k + " + best"))
        .build()));
  }

  private CodeBlock extreme(Node n, boolean max) {
    Node in = n.input(0);
    return perInstance(n, b -> CodeBlock.builder()
        .addStatement("$T acc = $L", p.type(), elem(in, b, "0"))
        .add(loop1(in.shape().size(), "j", CodeBlock.of("if ($L $L acc) acc = $L;\n",
            elem(in, b, "j"), max ? ">" : "<", elem(in, b, "j"))))
        .addStatement("$L[$L] = acc", ref(n), index(n, b, "0"))
        .build());
  }

  private CodeBlock argmaxMask(Node n) {
    Node in = n.input(0);
    return perInstance(n, b -> CodeBlock.builder()
        .addStatement("int best = 0")
        .add(loop1(in.shape().size(), "j", CodeBlock.builder()
            .add("if ($L > $L) best = j;\n", elem(in, b, "j"), elem(in, b, "best"))
            .addStatement("$L[$L] = 0", ref(n), index(n, b, "j"))
            .build()))
        .addStatement("$L[$L] = 1", ref(n), index(n, b, "best"))
        .build());
  }

  /**
   * Row softmax or log-softmax, stable (the row's max is subtracted before exp): a call of the
   * runtime's row kernel ({@code Softmax.softmax} / {@code logSoftmax}, SIMD where the Vector API
   * is present) on the loop's range of instances, one row each.
   */
  private CodeBlock softmax(Node n, boolean log) {
    Node in = n.input(0);
    int size = n.shape().size();
    if (!holdsArray(in)) {
      return softmaxLoops(n, log);
    }
    String kernel = log ? "logSoftmax" : "softmax";
    if (!n.batched()) {
      return CodeBlock.of("$T.$L(1, $L, $L, 0, $L, 0);\n", SOFTMAX, kernel, size, ref(in), ref(n));
    }
    return rows(n, work(n), CodeBlock.of("$T.$L(to - from, $L, $L, from * $L, $L, from * $L);\n",
        SOFTMAX, kernel, size, ref(in), size, ref(n), size));
  }

  /** Whether a value lives in an array ({@link #ref} works), rather than inline or as a literal. */
  private boolean holdsArray(Node n) {
    return switch (plan.storage(n)) {
      case INPUT, PARAM, FORWARD, BACKWARD -> true;
      default -> false;
    };
  }

  /** Softmax as plain loops, for an input that is no array (a constant). */
  private CodeBlock softmaxLoops(Node n, boolean log) {
    Node in = n.input(0);
    int size = n.shape().size();
    return perInstance(n, b -> {
      CodeBlock.Builder code = CodeBlock.builder()
          .addStatement("double max = $T.NEGATIVE_INFINITY", Double.class)
          .add(loop1(size, "j", CodeBlock.of("max = $T.max(max, $L);\n", Math.class, elem(in, b, "j"))))
          .addStatement("double total = 0");
      if (log) {
        code.add(loop1(size, "j", CodeBlock.of("total += $T.exp($L - max);\n", Math.class, elem(in, b, "j"))));
        code.addStatement("double logTotal = max + $T.log(total)", Math.class);
        code.add(loop1(size, "j", CodeBlock.of("$L[$L] = $L;\n", ref(n), index(n, b, "j"), p.fromDouble(CodeBlock.of("($L - logTotal)", elem(in, b, "j"))))));
      } else {
        code.add(loop1(size, "j", CodeBlock.builder()
            .addStatement("double e = $T.exp($L - max)", Math.class, elem(in, b, "j"))
            .addStatement("$L[$L] = $L", ref(n), index(n, b, "j"), p.fromDouble(CodeBlock.of("e")))
            .addStatement("total += e")
            .build()));
        code.addStatement("$T scale = $L", p.type(), p.fromDouble(CodeBlock.of("(1 / total)")));
        code.add(loop1(size, "j", CodeBlock.of("$L[$L] *= scale;\n", ref(n), index(n, b, "j"))));
      }
      return code.build();
    });
  }

  private CodeBlock kl(Node n) {
    Node d = n.input(0);
    Node y = n.input(1);
    return perInstance(n, b -> CodeBlock.builder()
        .addStatement("double acc = 0")
        .add(loop1(d.shape().size(), "j", CodeBlock.builder()
            .addStatement("double dj = $L", elem(d, b, "j"))
            .add("if (dj != 0) acc += dj * ($T.log(dj) - $T.log($L));\n", Math.class, Math.class, elem(y, b, "j"))
            .build()))
        .addStatement("$L[$L] = $L", ref(n), index(n, b, "0"), p.fromDouble(CodeBlock.of("acc")))
        .build());
  }
}
