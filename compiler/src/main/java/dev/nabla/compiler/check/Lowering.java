package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.BinaryOp;
import dev.nabla.compiler.ast.Def;
import dev.nabla.compiler.ast.Expr;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.check.Builtins.Builtin;
import dev.nabla.compiler.check.Builtins.Param;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.diag.Elided;
import dev.nabla.compiler.diag.Limits;
import dev.nabla.compiler.graph.BinaryFn;
import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.MatMul;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Origin;
import dev.nabla.compiler.graph.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns one expression into graph nodes, checking it on the way: names, calls (built-ins and
 * inlined defs), argument counts, and the shape rule of every operator. An expression with an
 * error lowers to null after the error is reported; callers stop there, so one mistake gives
 * one message instead of a cascade.
 */
final class Lowering {
  /** Resolves a name of the model (not a def parameter); reports and returns null on failure. */
  interface Names {
    Node resolve(Expr.Name name);
  }

  private record Frame(String def, Span callSite) {}

  private final Source source;
  private final Diagnostics diagnostics;
  private final Graph graph;
  private final Defs defs;
  private final Names names;
  private final Dims dims;
  private final List<CheckedModel.StableRewrite> rewrites;
  private final Deque<Frame> inlining = new ArrayDeque<>();

  Lowering(
      Source source,
      Diagnostics diagnostics,
      Graph graph,
      Defs defs,
      Names names,
      Dims dims,
      List<CheckedModel.StableRewrite> rewrites) {
    this.source = source;
    this.diagnostics = diagnostics;
    this.graph = graph;
    this.defs = defs;
    this.names = names;
    this.dims = dims;
    this.rewrites = rewrites;
  }

  Node lower(Expr e) {
    return lower(e, Map.of());
  }

  /**
   * Reports an error; inside an inlined def it names the calls on the way, innermost first, so
   * that the model line whose shapes caused it is always among them (the last one; a long chain
   * shows its first and last few).
   */
  void error(Span span, String message) {
    List<String> calls = new ArrayList<>();
    for (Frame frame : inlining) {
      calls.add("in '" + frame.def() + "' called at " + frame.callSite());
    }
    String where = calls.isEmpty() ? "" : " (" + Elided.join(", ", calls) + ")";
    diagnostics.error(source, span, message + where);
  }

  /**
   * A whole number written in the model (an index, a bound, a window size, an axis): integer
   * literals and dims with {@code + - * /}, through {@link Dims#whole}, the one evaluator of
   * them. Null after an error (reported). {@code locals} are the def parameters in scope, which
   * are not dims even if a file-level dim has their name; {@code needs} says what the place
   * wants, for the message about a number that is not whole ({@code "an index must be a whole
   * number"}). Range checks are the caller's.
   */
  Integer whole(Expr e, Map<String, Node> locals, String needs) {
    return dims.whole(e, needs, locals.keySet());
  }

  void rewrite(Span span, String written, String computedAs) {
    rewrites.add(new CheckedModel.StableRewrite(span, written, computedAs));
  }

  /** Nesting of the expression being lowered, inlined def bodies included. */
  private int depth;
  /** Expressions lowered so far in this model, every inlined copy of a def body counted. */
  private int expansion;
  /** Set after a limit was reported: the rest of the model is not lowered. */
  private boolean stopped;

  private Node lower(Expr e, Map<String, Node> locals) {
    if (stopped) {
      return null;
    }
    if (++expansion > Limits.MAX_EXPANSION || graph.nodes().size() > Limits.MAX_GRAPH_NODES) {
      return stop(e.span(), "the model is too big: with its defs inlined it has more than "
          + (expansion > Limits.MAX_EXPANSION
              ? Limits.MAX_EXPANSION + " expressions"
              : Limits.MAX_GRAPH_NODES + " operations")
          + ", the limit");
    }
    if (depth >= Limits.MAX_INLINED_NESTING) {
      return stop(e.span(), "this expression is nested more than " + Limits.MAX_INLINED_NESTING
          + " levels deep once its defs are inlined, the limit");
    }
    depth++;
    try {
      Node node = lowerNode(e, locals);
      return node == null ? null : sizeChecked(node, e.span());
    } finally {
      depth--;
    }
  }

  private Node stop(Span span, String message) {
    stopped = true;
    error(span, message);
    return null;
  }

  /** The node, or null after an error when it has more elements than {@link Limits#MAX_ELEMENTS}. */
  private Node sizeChecked(Node node, Span span) {
    long elements = elements(node.shape());
    if (elements <= Limits.MAX_ELEMENTS) {
      return node;
    }
    error(span, "this value would have " + (elements == Long.MAX_VALUE ? "more than 2^31" : elements)
        + " elements per instance; the limit is " + Limits.MAX_ELEMENTS + " (2^28) per value");
    return null;
  }

  /** The number of elements of a shape; {@code Long.MAX_VALUE} for dims that overflowed int. */
  static long elements(Shape shape) {
    long n = 1;
    for (int d : shape.dims()) {
      if (d <= 0) {
        return Long.MAX_VALUE;
      }
      n *= d; // at most two int dims: no long overflow
    }
    return n;
  }

  private Node lowerNode(Expr e, Map<String, Node> locals) {
    Origin previous = graph.setOrigin(Origin.at(e.span()));
    try {
      return switch (e) {
        case Expr.Num n -> graph.constant(n.value());
        case Expr.Name n -> name(n, locals);
        case Expr.Neg n -> negate(lower(n.operand(), locals));
        case Expr.Binary b -> binary(b, locals);
        case Expr.Transpose t -> {
          Node a = lower(t.operand(), locals);
          yield a == null ? null : graph.transpose(a);
        }
        case Expr.Index i -> Subscripts.lower(i, lower(i.operand(), locals), graph, (x, needs) -> whole(x, locals, needs), this);
        case Expr.ListLit l -> {
          error(l.span(), "a list such as " + ExprText.of(l) + " can only be an argument (of reshape, transpose"
              + " or pad), not a value");
          yield null;
        }
        case Expr.Tuple t -> {
          error(t.span(), Pairs.notValue(t));
          yield null;
        }
        case Expr.Call c -> call(c, locals);
      };
    } finally {
      graph.setOrigin(previous);
    }
  }

  /** A def parameter, a dim (a constant), or a name of the model. */
  private Node name(Expr.Name n, Map<String, Node> locals) {
    if (locals.containsKey(n.name())) {
      return locals.get(n.name());
    }
    if (dims.isDim(n.name())) {
      Integer v = dims.value(n.name());
      return v == null ? null : graph.constant(v);
    }
    return names.resolve(n);
  }

  private Node negate(Node a) {
    if (a == null) {
      return null;
    }
    return a.op() instanceof Constant c ? graph.constant(-c.value()) : graph.neg(a);
  }

  private Node binary(Expr.Binary b, Map<String, Node> locals) {
    Node left = lower(b.left(), locals);
    if (b.op() == BinaryOp.POW) {
      return power(b, left, locals);
    }
    Node right = lower(b.right(), locals);
    if (left == null || right == null) {
      return null;
    }
    if (b.op() == BinaryOp.MATMUL) {
      return matmul(b, left, right);
    }
    Shape out = Shape.broadcast(left.shape(), right.shape());
    if (out == null) {
      error(b.span(), broadcastMismatch(b.op().symbol(), ExprText.of(b.left()) + " is " + left.shape(),
          ExprText.of(b.right()) + " is " + right.shape(), left.shape(), right.shape()));
      return null;
    }
    BinaryFn fn =
        switch (b.op()) {
          case ADD -> BinaryFn.ADD;
          case SUB -> BinaryFn.SUB;
          case MUL -> BinaryFn.MUL;
          case DIV -> BinaryFn.DIV;
          case LT -> BinaryFn.LT;
          case LE -> BinaryFn.LE;
          case GT -> BinaryFn.GT;
          case GE -> BinaryFn.GE;
          case EQ -> BinaryFn.EQ;
          case NE -> BinaryFn.NE;
          case POW, MATMUL -> throw new IllegalStateException("unreachable");
        };
    return graph.binary(fn, left, right);
  }

  /**
   * "shape mismatch in '+': a is [3] but b is [4] (cannot broadcast [3] with [4] at axis 0)", for
   * an elementwise operator or function whose operands do not broadcast, with {@link #broadcastHint}.
   */
  static String broadcastMismatch(String op, String leftIs, String rightIs, Shape left, Shape right) {
    return "shape mismatch in '" + op + "': " + leftIs + " but " + rightIs + broadcastHint(left, right);
  }

  /**
   * Where two shapes fail NumPy's broadcasting, in parentheses ("cannot broadcast [8, 3] with
   * [4, 3] at axis 0", the axis numbered in the result); for a vector meeting a matrix also the
   * rule they broke, since "[3] but [3, 4]" alone looks as if it should fit (the vector has as
   * many elements as the matrix has rows).
   */
  static String broadcastHint(Shape a, Shape b) {
    String where = "cannot broadcast " + a + " with " + b + " at axis " + Shape.mismatchAxis(a, b);
    Shape matrix = a.rank() == 2 ? a : b;
    Shape vector = a.rank() == 2 ? b : a;
    if (matrix.rank() != 2 || vector.rank() != 1) {
      return " (" + where + ")";
    }
    return " (" + where + "; a vector is combined with each row of a matrix, so it needs length "
        + matrix.dim(1) + ")";
  }

  /** {@code a ^ p}: the language wants a literal power, so that its derivative is a formula. */
  private Node power(Expr.Binary b, Node left, Map<String, Node> locals) {
    Double exponent = constant(b.right(), locals);
    if (exponent == null) {
      error(
          b.span(),
          "'^' needs a number written in the model as its power (like x^2 or x^-0.5), not "
              + ExprText.of(b.right()) + "; use pow(a, b) for a computed power");
      return null;
    }
    return left == null ? null : graph.powc(left, exponent);
  }

  private Node matmul(Expr.Binary b, Node left, Node right) {
    Shape a = left.shape();
    Shape c = right.shape();
    String l = ExprText.of(b.left());
    String r = ExprText.of(b.right());
    if (a.isScalar() || c.isScalar()) {
      String which = a.isScalar() ? l : r;
      error(b.span(), "'@' needs vectors or matrices, but " + which + " is a scalar; use '*' to scale");
      return null;
    }
    if (a.rank() > 2 || c.rank() > 2) {
      return StackProducts.lower(graph, b.span(), left, l, right, r, this::error);
    }
    if (MatMul.resultShape(a, c) == null) {
      error(b.span(), "shape mismatch in '@': " + l + " is " + a + " but " + r + " is " + c);
      return null;
    }
    return graph.matmul(left, right);
  }

  // ---- calls

  private Node call(Expr.Call c, Map<String, Node> locals) {
    Def def = defs.get(c.function());
    if (def != null) {
      return inline(def, c, locals);
    }
    Builtin builtin = Builtins.get(c.function());
    if (builtin == null) {
      error(c.span(), defs.unknownFunction(c.function()));
      return null;
    }
    return callBuiltin(builtin, c, locals);
  }

  private Node inline(Def def, Expr.Call c, Map<String, Node> locals) {
    if (!c.namedArgs().isEmpty()) {
      List<String> parameters = def.parameters().stream().map(p -> p.name()).toList();
      error(
          c.namedArgs().getFirst().span(),
          "'" + def.name() + "' is a def and takes no named arguments; pass its arguments in"
              + " order, as in " + def.name() + "(" + String.join(", ", parameters) + ")");
      return null;
    }
    int expected = def.parameters().size();
    if (c.args().size() != expected) {
      error(c.span(), arity(def.name(), expected, expected, c.args().size()));
      return null;
    }
    Map<String, Node> inner = new HashMap<>();
    boolean failed = false;
    for (int i = 0; i < expected; i++) {
      Node arg = lower(c.args().get(i), locals);
      failed |= arg == null;
      inner.put(def.parameters().get(i).name(), arg);
    }
    // A broken def (see Defs; this also covers recursion) has had its error reported at the def.
    if (failed || defs.isBroken(def.name())) {
      return null;
    }
    inlining.push(new Frame(def.name(), c.span()));
    try {
      return lower(def.body(), inner);
    } finally {
      inlining.pop();
    }
  }

  static String arity(String function, int min, int max, int given) {
    String count =
        max == 0
            ? "no arguments"
            : min == max
            ? min + (min == 1 ? " argument" : " arguments")
            : max == Integer.MAX_VALUE
                ? "at least " + min + (min == 1 ? " argument" : " arguments")
                : min + " to " + max + " arguments";
    return "'" + function + "' takes " + count + ", but " + given
        + (given == 1 ? " was given" : " were given");
  }

  private Node callBuiltin(Builtin b, Expr.Call c, Map<String, Node> locals) {
    ArgumentBinder.Bound bound = ArgumentBinder.bind(b, c, this);
    if (bound == null) {
      return null;
    }
    Call.Arguments args = lowerArguments(b, bound, locals);
    return args == null ? null : b.rule().apply(new Call(c, args, graph, this));
  }

  /**
   * Lowers the value arguments of a bound call and reads its number arguments (defaults for
   * those not given); null after an error in any of them.
   */
  private Call.Arguments lowerArguments(Builtin b, ArgumentBinder.Bound bound, Map<String, Node> locals) {
    List<Param> params = b.params();
    Param variadic = b.variadicParam();
    Map<String, Node> nodes = new HashMap<>();
    Map<String, Double> numbers = new HashMap<>();
    Map<String, List<Integer>> lists = new HashMap<>();
    boolean failed = false;
    for (Param p : params) {
      if (p.variadic()) {
        continue;
      }
      Expr arg = bound.byName().get(p.name());
      if (arg == null) {
        if (p.defaultValue() != null) {
          numbers.put(p.name(), p.defaultValue());
        }
        continue;
      }
      if (p.kind() == Builtins.Kind.VALUE) {
        Node n = lower(arg, locals);
        failed |= n == null;
        nodes.put(p.name(), n);
      } else if (p.kind() == Builtins.Kind.PAIR) {
        List<Integer> items = Pairs.read(b.name(), p.name(), arg, (x, needs) -> whole(x, locals, needs), this::error);
        failed |= items == null;
        lists.put(p.name(), items);
      } else if (p.kind() == Builtins.Kind.LIST) {
        List<Integer> items = Wholes.list(arg, (x, needs) -> whole(x, locals, needs),
            "each entry of " + p.name() + " in '" + b.name() + "' must be a whole number");
        failed |= items == null;
        lists.put(p.name(), items);
      } else {
        Double v = number(b.name(), p, arg, locals);
        failed |= v == null;
        numbers.put(p.name(), v);
      }
    }
    List<Node> restNodes = new ArrayList<>();
    List<Integer> restWholes = new ArrayList<>();
    for (Expr arg : bound.rest()) {
      if (variadic.kind() == Builtins.Kind.VALUE) {
        Node n = lower(arg, locals);
        failed |= n == null;
        restNodes.add(n);
      } else {
        Double v = number(b.name(), variadic, arg, locals);
        failed |= v == null;
        restWholes.add(v == null ? 0 : (int) (double) v);
      }
    }
    if (failed) {
      return null;
    }
    return new Call.Arguments(bound.byName(), nodes, numbers, restNodes, bound.rest(), restWholes, lists);
  }

  /**
   * A NUMBER argument: a constant written in the source (numbers and dims); a WHOLE one: a whole
   * number ({@link #whole}).
   */
  private Double number(String function, Param p, Expr arg, Map<String, Node> locals) {
    if (p.kind() == Builtins.Kind.WHOLE && arg instanceof Expr.Tuple pair) {
      error(pair.span(), Pairs.notOne(function, p.name(), pair));
      return null;
    }
    if (p.kind() == Builtins.Kind.WHOLE) {
      Integer v = whole(arg, locals, "'" + function + "' needs a whole number for " + p.name());
      return v == null ? null : (double) v;
    }
    Double v = constant(arg, locals);
    if (v == null) {
      error(
          arg.span(),
          "'" + function + "' needs a number written in the model for " + p.name()
              + " (like 2 or 0.1), not " + ExprText.of(arg));
      return null;
    }
    return v;
  }

  /** The value of number literals and dims combined with {@code + - * / ^}, or null. */
  private Double constant(Expr e, Map<String, Node> locals) {
    return constantValue(e, name -> locals.containsKey(name) ? null : dims.constantOf(name));
  }

  /**
   * The leftmost part of {@code e} that keeps it from being a constant (a name, a call, an
   * {@code @}, ...): what a message about a number that must be written in the model points at.
   * {@code e} itself when {@link #constantValue} would not fail on a part.
   */
  static Expr firstNonConstant(Expr e, Function<String, Double> names) {
    return switch (e) {
      case Expr.Neg n ->
          constantValue(n.operand(), names) == null ? firstNonConstant(n.operand(), names) : e;
      case Expr.Binary b when b.op() != BinaryOp.MATMUL ->
          constantValue(b.left(), names) == null
              ? firstNonConstant(b.left(), names)
              : constantValue(b.right(), names) == null ? firstNonConstant(b.right(), names) : e;
      default -> e;
    };
  }

  /** The value of an expression made of number literals only, or null. */
  static Double constantValue(Expr e) {
    return constantValue(e, name -> null);
  }

  /**
   * The value of an expression made of number literals and of names with a constant value (the
   * dims: {@code names} gives their value, null for other names), or null.
   */
  static Double constantValue(Expr e, Function<String, Double> names) {
    return switch (e) {
      case Expr.Num n -> n.value();
      case Expr.Name n -> names.apply(n.name());
      case Expr.Neg n -> {
        Double v = constantValue(n.operand(), names);
        yield v == null ? null : -v;
      }
      case Expr.Binary b when b.op() != BinaryOp.MATMUL -> {
        Double l = constantValue(b.left(), names);
        Double r = constantValue(b.right(), names);
        if (l == null || r == null) {
          yield null;
        }
        yield switch (b.op()) {
          case ADD -> l + r;
          case SUB -> l - r;
          case MUL -> l * r;
          case DIV -> l / r;
          case POW -> Math.pow(l, r);
          case LT -> l < r ? 1.0 : 0.0;
          case LE -> l <= r ? 1.0 : 0.0;
          case GT -> l > r ? 1.0 : 0.0;
          case GE -> l >= r ? 1.0 : 0.0;
          case EQ -> l.doubleValue() == r.doubleValue() ? 1.0 : 0.0;
          case NE -> l.doubleValue() != r.doubleValue() ? 1.0 : 0.0;
          case MATMUL -> null;
        };
      }
      default -> null;
    };
  }
}
