package dev.nabla.compiler.print;

import dev.nabla.compiler.graph.ArgMaxMask;
import dev.nabla.compiler.graph.BatchMean;
import dev.nabla.compiler.graph.Binary;
import dev.nabla.compiler.graph.BinaryFn;
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
import dev.nabla.compiler.graph.Shape;
import dev.nabla.compiler.graph.Reshape;
import dev.nabla.compiler.graph.Slice;
import dev.nabla.compiler.graph.Softmax;
import dev.nabla.compiler.graph.StackMatMul;
import dev.nabla.compiler.graph.Stack;
import dev.nabla.compiler.graph.Subscript;
import dev.nabla.compiler.graph.Sum;
import dev.nabla.compiler.graph.Transpose;
import dev.nabla.compiler.graph.Unary;
import dev.nabla.compiler.graph.UnaryFn;
import dev.nabla.compiler.graph.Where;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes a graph node as a {@code .nn} expression, with the fewest parentheses the grammar's
 * precedence allows. Nodes that have a name (a model value, or a line of the printed program)
 * are written as that name; everything else is written out.
 */
public final class ExprWriter {
  // Binding strength, loosest first, as in the grammar.
  static final int COMPARE = 0;
  static final int ADD = 1;
  static final int MUL = 2;
  static final int MATMUL = 3;
  static final int UNARY = 4;
  static final int POW = 5;
  static final int POSTFIX = 6;
  static final int ATOM = 7;

  private final Function<Node, String> names;
  /** Nesting written out in full; deeper subexpressions are written {@code ...}. */
  private final int maxDepth;
  private int depth;

  /** @param names a node's name, or null when it has none and must be written out */
  public ExprWriter(Function<Node, String> names) {
    this(names, Integer.MAX_VALUE);
  }

  private ExprWriter(Function<Node, String> names, int maxDepth) {
    this.names = names;
    this.maxDepth = maxDepth;
  }

  /**
   * A writer for descriptions (comments, labels), not programs: subexpressions nested deeper than
   * {@code maxDepth} are written {@code ...}, so that describing each node of a deep chain costs
   * a bounded length, not the length of the whole chain below it.
   */
  public static ExprWriter shortened(Function<Node, String> names, int maxDepth) {
    return new ExprWriter(names, maxDepth);
  }

  public String write(Node n) {
    return write(n, 0);
  }

  /** The node written out even if it has a name: the right-hand side of its own line. */
  public String writeDefinition(Node n) {
    return text(n);
  }

  private String write(Node n, int context) {
    String name = names.apply(n);
    if (name != null) {
      return name;
    }
    if (depth >= maxDepth) {
      return "...";
    }
    depth++;
    try {
      int p = precedence(n);
      String text = text(n);
      return p < context ? "(" + text + ")" : text;
    } finally {
      depth--;
    }
  }

  /** The precedence of the node's own form as written. */
  int precedence(Node n) {
    if (names.apply(n) != null) {
      return ATOM;
    }
    return switch (n.op()) {
      case Constant c -> c.value() < 0 ? UNARY : ATOM;
      case BatchMean b -> precedence(n.input(0));
      case Binary b when b.fn().isComparison() -> COMPARE;
      case Binary b when b.fn().isOperator() ->
          switch (b.fn()) {
            case ADD, SUB -> ADD;
            default -> MUL;
          };
      case Unary u when u.fn() == UnaryFn.NEG -> UNARY;
      case Unary u when u.fn() == UnaryFn.POWC -> POW;
      case MatMul m -> MATMUL;
      case StackMatMul s -> reshaped(n) ? ATOM : MATMUL;
      case Transpose t -> POSTFIX;
      case Index i -> POSTFIX;
      case Subscript s -> POSTFIX;
      case Permute p when p.swapsLastTwo() -> POSTFIX;
      case Broadcast b when b.kind() == Broadcast.Kind.COLUMNS -> POSTFIX;
      default -> ATOM;
    };
  }

  private String text(Node n) {
    return switch (n.op()) {
      case Leaf leaf -> leaf.name();
      case Constant c -> number(c.value());
      case BatchMean b -> write(n.input(0), precedence(n.input(0)));
      case Unary u -> unary(u, n);
      case Binary b when b.fn().isOperator() -> {
        int p = b.fn().isComparison() ? COMPARE
            : b.fn() == BinaryFn.ADD || b.fn() == BinaryFn.SUB ? ADD : MUL;
        yield write(n.input(0), p) + " " + b.fn().sourceName() + " " + write(n.input(1), p + 1);
      }
      case Binary b -> call(b.fn().sourceName(), n.input(0), n.input(1));
      case Broadcast b -> broadcast(b, n);
      case MatMul m -> write(n.input(0), MATMUL) + " @ " + write(n.input(1), MATMUL + 1);
      case Transpose t -> write(n.input(0), POSTFIX) + ".T";
      case StackMatMul s -> stackMatMul(s, n);
      case Outer o -> call(Outer.NAME, n.input(0), n.input(1));
      case Index i -> write(n.input(0), POSTFIX) + "[" + i.index() + "]";
      case Slice s -> Slice.NAME + "(" + write(n.input(0)) + ", " + s.from() + ", " + s.to() + ")";
      case Pad p -> Pad.NAME + "(" + write(n.input(0)) + ", " + p.before() + ", " + p.after() + ")";
      case Concat c -> call(Concat.NAME, n.inputs().toArray(Node[]::new));
      case Repeat r -> Repeat.NAME + "(" + write(n.input(0)) + ", " + r.k() + ")";
      case GroupSum gs -> GroupSum.NAME + "(" + write(n.input(0)) + ", " + gs.k() + ")";
      case Sum s -> s.axis() == Sum.ALL ? call(Sum.NAME, n.input(0)) : Sum.NAME + "(" + write(n.input(0)) + ", axis=" + s.axis() + ")";
      case Extreme e -> e.axis() == Sum.ALL ? call(e.name(), n.input(0)) : e.name() + "(" + write(n.input(0)) + ", axis=" + e.axis() + ")";
      case ArgMaxMask a when a.axis() == Sum.ALL && n.shape().rank() > 1 -> "(" + maskOfAll(write(n.input(0)), n.shape()) + ")";
      case ArgMaxMask a -> a.axis() == Sum.ALL ? call(ArgMaxMask.NAME, n.input(0)) : ArgMaxMask.NAME + "(" + write(n.input(0)) + ", axis=" + a.axis() + ")";
      case MaxPool m -> MaxPool.NAME + "(" + write(n.input(0)) + ", " + m.k() + ")";
      case MaxPoolMask m -> MaxPoolMask.NAME + "(" + write(n.input(0)) + ", " + m.k() + ")";
      case Softmax s -> alongAxis(Softmax.NAME, n.input(0), s.axis());
      case LogSoftmax s -> alongAxis(LogSoftmax.NAME, n.input(0), s.axis());
      case LogSumExp l -> l.axis() == Sum.ALL ? call(LogSumExp.NAME, n.input(0)) : LogSumExp.NAME + "(" + write(n.input(0)) + ", axis=" + l.axis() + ")";
      case Kl k -> call(Kl.NAME, n.input(0), n.input(1));
      case Where w -> call(Where.NAME, n.input(0), n.input(1), n.input(2));
      case Permute p -> p.swapsLastTwo()
          ? write(n.input(0), POSTFIX) + ".T"
          : Permute.NAME + "(" + write(n.input(0)) + ", " + LayoutText.list(p.perm()) + ")";
      case Reshape r -> r.to().rank() == 1
          ? "flatten(" + write(n.input(0)) + ")"
          : Reshape.NAME + "(" + write(n.input(0)) + ", " + LayoutText.list(r.to().dims()) + ")";
      case Subscript s -> write(n.input(0), POSTFIX) + "[" + LayoutText.subscripts(s, n.input(0).shape()) + "]";
      case PadAxes p -> Pad.NAME + "(" + write(n.input(0)) + ", " + LayoutText.list(p.before()) + ", "
          + LayoutText.list(p.after()) + ")";
      case ConcatAxis c -> joined(Concat.NAME, n, c.axis());
      case Stack s -> joined(Stack.NAME, n, s.axis());
      case Conv cv -> ConvText.of(cv, write(n.input(0)), write(n.input(1)));
      case Pool pool -> PoolText.of(pool, n.inputs().stream().map(this::write).toList());
      case RecurrenceOutput o -> o.name();
      // programs print a loop as a block (LoopLayout) and name its outputs; this is a description
      case Recurrence r -> loop(r, n);
    };
  }

  /** A loop described in one line (graph labels): {@code for x in xs { h }}. */
  private String loop(Recurrence r, Node n) {
    List<String> header = new ArrayList<>();
    for (int i = 0; i < r.sequenceCount(); i++) {
      String sequence = write(n.input(i));
      header.add(((Leaf) r.step().elements().get(i).op()).name() + " in "
          + (r.reverse() ? "reverse(" + sequence + ")" : sequence));
    }
    List<String> outputs = new ArrayList<>(r.step().stateNames());
    outputs.addAll(r.step().collectNames());
    return "for " + String.join(", ", header) + " { " + String.join(", ", outputs) + " }";
  }

  /**
   * A product of stacks as {@code @} writes it: {@code A.T} for a transposed view; rows or
   * columns that {@code @} would not read so by itself (a stack of vectors, or a vector on the
   * side where {@code @} reads the other way; only adjoints have them) as a reshape to
   * {@code [..., 1, c]} or {@code [..., c, 1]}, with the result reshaped back.
   */
  private String stackMatMul(StackMatMul s, Node n) {
    String product = view(n.input(0), s.left(), true) + " @ " + view(n.input(1), s.right(), false);
    return reshaped(n) ? "reshape(" + product + ", " + dims(n.shape()) + ")" : product;
  }

  /** Whether a product has an operand printed through a reshape. */
  private static boolean reshaped(Node n) {
    StackMatMul s = (StackMatMul) n.op();
    return reshapes(n.input(0), s.left(), true) || reshapes(n.input(1), s.right(), false);
  }

  private static boolean reshapes(Node x, StackMatMul.View v, boolean left) {
    boolean vector = v == StackMatMul.View.ROW || v == StackMatMul.View.COLUMN;
    return vector && !(x.shape().rank() == 1 && v == (left ? StackMatMul.View.ROW : StackMatMul.View.COLUMN));
  }

  private String view(Node x, StackMatMul.View v, boolean left) {
    if (reshapes(x, v, left)) {
      Shape s = x.shape();
      List<Integer> d = new ArrayList<>(s.dims());
      d.add(v == StackMatMul.View.ROW ? s.rank() - 1 : s.rank(), 1);
      return "reshape(" + write(x) + ", " + dims(new Shape(d)) + ")";
    }
    return v == StackMatMul.View.TRANSPOSED ? write(x, POSTFIX) + ".T" : write(x, left ? MATMUL : MATMUL + 1);
  }

  private static String dims(Shape s) {
    return s.toString();
  }

  /**
   * The mask of the first largest of all elements of {@code x} (max's rule), which
   * {@code argmax_mask(x)} is not for rank 2 or more (it works along the last axis): the first
   * largest line along the last axis (by the lines' maxima, recursively), spread along that axis,
   * times each line's first largest element.
   */
  private static String maskOfAll(String x, Shape s) {
    if (s.rank() <= 1) {
      return ArgMaxMask.NAME + "(" + x + ")";
    }
    int last = s.rank() - 1;
    String lines = maskOfAll(BinaryFn.MAX.sourceName() + "(" + x + ", axis=" + last + ")", s.without(last));
    String dims = s.dims().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
    return Broadcast.NAME + "(" + lines + ", " + dims + ", axis=" + last + ") * " + ArgMaxMask.NAME + "(" + x + ", axis=" + last + ")";
  }

  /** An op along an axis: the axis written only when it is not the last (the default). */
  private String alongAxis(String function, Node x, int axis) {
    return axis >= x.shape().rank() - 1 ? call(function, x) : function + "(" + write(x) + ", axis=" + axis + ")";
  }

  private String unary(Unary u, Node n) {
    Node x = n.input(0);
    UnaryFn f = u.fn();
    if (f == UnaryFn.NEG) {
      return "-" + write(x, UNARY);
    }
    if (f == UnaryFn.POWC) {
      return write(x, POSTFIX) + "^" + number(u.parameter());
    }
    if (f.hasParameter()) {
      return f.sourceName() + "(" + write(x) + ", " + f.parameter().name() + "=" + number(u.parameter()) + ")";
    }
    return call(f.sourceName(), x);
  }

  private String broadcast(Broadcast b, Node n) {
    if (b.kind() == Broadcast.Kind.COLUMNS) {
      // [m] to [m, n] column copies: the transpose of [m] spread over n rows.
      return Broadcast.NAME + "(" + write(n.input(0)) + ", " + b.to().dim(1) + ", " + b.to().dim(0) + ").T";
    }
    Shape from = n.input(0).shape();
    if (b.kind() != Broadcast.Kind.GENERAL || b.isNumpy(from)) {
      return expand(write(n.input(0)), b.to(), "");
    }
    for (int k = 0; k < b.to().rank(); k++) {
      if (b.copiesOnlyAlong(k) && from.equals(b.to().without(k))) {
        return expand(write(n.input(0)), b.to(), ", axis=" + k);
      }
    }
    // Any other reading (a relabelling that moves axes of size 1): drop every axis of size 1
    // (a sum along it), insert those of the aligned shape one by one, then spread by NumPy's rules.
    String text = write(n.input(0));
    Shape shape = from;
    for (int k = from.rank() - 1; k >= 0; k--) {
      if (from.dim(k) == 1) {
        text = Sum.NAME + "(" + text + ", axis=" + k + ")";
        shape = shape.without(k);
      }
    }
    for (int k = 0; k < b.aligned().rank(); k++) {
      if (b.aligned().dim(k) == 1) {
        shape = shape.inserting(k, 1);
        text = expand(text, shape, ", axis=" + k);
      }
    }
    return shape.equals(b.to()) ? text : expand(text, b.to(), "");
  }

  /** {@code expand(x, d1, ..., dk<tail>)}. */
  private static String expand(String x, Shape to, String tail) {
    List<String> dims = new ArrayList<>();
    to.dims().forEach(d -> dims.add(String.valueOf(d)));
    return Broadcast.NAME + "(" + x + (dims.isEmpty() ? "" : ", " + String.join(", ", dims)) + tail + ")";
  }

  /** {@code concat(a, b, axis=1)}; axis 0 is the default and left out. */
  private String joined(String function, Node n, int axis) {
    List<String> parts = new ArrayList<>();
    for (Node a : n.inputs()) {
      parts.add(write(a));
    }
    return function + "(" + String.join(", ", parts) + (axis == 0 ? "" : ", axis=" + axis) + ")";
  }

  private String call(String function, Node... args) {
    List<String> parts = new ArrayList<>();
    for (Node a : args) {
      parts.add(write(a));
    }
    return function + "(" + String.join(", ", parts) + ")";
  }

  /** A number as {@code .nn} writes it: whole numbers without a fraction, others exactly. */
  public static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.valueOf((long) v);
    }
    if (Double.isNaN(v)) {
      return "(0 / 0)";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "(1 / 0)" : "(-1 / 0)";
    }
    return Double.toString(v);
  }
}
