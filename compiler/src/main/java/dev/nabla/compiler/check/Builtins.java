package dev.nabla.compiler.check;

import dev.nabla.compiler.diag.Limits;
import dev.nabla.compiler.graph.Binary;
import dev.nabla.compiler.graph.BinaryFn;
import dev.nabla.compiler.graph.Broadcast;
import dev.nabla.compiler.graph.ArgMaxMask;
import dev.nabla.compiler.graph.Concat;
import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.GroupSum;
import dev.nabla.compiler.graph.Kl;
import dev.nabla.compiler.graph.LogSoftmax;
import dev.nabla.compiler.graph.LogSumExp;
import dev.nabla.compiler.graph.MaxPool;
import dev.nabla.compiler.graph.MaxPoolMask;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Outer;
import dev.nabla.compiler.graph.Pad;
import dev.nabla.compiler.graph.Permute;
import dev.nabla.compiler.graph.Repeat;
import dev.nabla.compiler.graph.Reshape;
import dev.nabla.compiler.graph.Shape;
import dev.nabla.compiler.graph.Slice;
import dev.nabla.compiler.graph.Softmax;
import dev.nabla.compiler.graph.Stack;
import dev.nabla.compiler.graph.Sum;
import dev.nabla.compiler.graph.Unary;
import dev.nabla.compiler.graph.UnaryFn;
import dev.nabla.compiler.graph.Where;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The built-in functions of the language: each one's parameters and its lowering rule, which
 * checks the argument shapes (reporting errors in the model's terms) and builds graph nodes.
 * Divergences and conveniences are lowered to a few primitive ops here ({@code l2} is
 * {@code 0.5 * sum((y - d)^2)}); the numerically stable forms of the language are chosen here.
 */
final class Builtins {
  private Builtins() {}

  /** What a parameter takes: a value (a graph node), a number, or a whole number. */
  enum Kind {
    VALUE,
    NUMBER,
    WHOLE,
    /** A list of whole numbers {@code [2, -1]}, or one whole number. */
    LIST,
    /** One whole number or a pair {@code (rows, columns)}: a 2-D convolution's or pooling's option. */
    PAIR
  }

  /** One parameter; a default makes it optional, {@code variadic} takes all remaining args. */
  record Param(String name, Kind kind, Double defaultValue, boolean optional, boolean variadic) {
    static Param value(String name) {
      return new Param(name, Kind.VALUE, null, false, false);
    }

    static Param optionalValue(String name) {
      return new Param(name, Kind.VALUE, null, true, false);
    }

    static Param number(String name, Double defaultValue) {
      return new Param(name, Kind.NUMBER, defaultValue, defaultValue != null, false);
    }

    static Param whole(String name) {
      return new Param(name, Kind.WHOLE, null, false, false);
    }

    static Param optionalWhole(String name) {
      return new Param(name, Kind.WHOLE, null, true, false);
    }

    static Param values(String name) {
      return new Param(name, Kind.VALUE, null, false, true);
    }

    static Param wholes(String name) {
      return new Param(name, Kind.WHOLE, null, false, true);
    }

    static Param pair(String name, Double defaultValue) {
      return new Param(name, Kind.PAIR, defaultValue, defaultValue != null, false);
    }

    static Param optionalPair(String name) {
      return new Param(name, Kind.PAIR, null, true, false);
    }

    static Param list(String name) {
      return new Param(name, Kind.LIST, null, false, false);
    }

    static Param optionalList(String name) {
      return new Param(name, Kind.LIST, null, true, false);
    }
  }

  record Builtin(String name, List<Param> params, Function<Call, Node> rule) {
    int required() {
      return (int) params.stream().filter(p -> !p.optional()).count();
    }

    boolean variadic() {
      return variadicParam() != null;
    }

    /**
     * The parameter that takes any number of arguments, or null. Parameters after it are
     * given by name only, as Python's keyword-only arguments ({@code concat(a, b, axis=1)}).
     */
    Param variadicParam() {
      return params.stream().filter(Param::variadic).findFirst().orElse(null);
    }

    /** How many parameters are filled by position (those before the variadic one). */
    int positional() {
      Param v = variadicParam();
      return v == null ? params.size() : params.indexOf(v);
    }
  }

  private static final Map<String, Builtin> TABLE = new LinkedHashMap<>();

  /** The built-in with this name, or null. */
  static Builtin get(String name) {
    return TABLE.get(name);
  }

  /** Every built-in function name (these may not be declared as values). */
  static Set<String> names() {
    return Collections.unmodifiableSet(TABLE.keySet());
  }

  private static void define(String name, List<Param> params, Function<Call, Node> rule) {
    TABLE.put(name, new Builtin(name, params, rule));
  }

  /**
   * An elementwise function of one value, {@code f(z)} or {@code f(z, alpha=0.01)}: its name and
   * its constant come from the function itself.
   */
  private static void elementwise(UnaryFn fn) {
    UnaryFn.Parameter p = fn.parameter();
    if (p == null) {
      define(fn.sourceName(), List.of(Param.value("z")), c -> c.g().unary(fn, c.node("z")));
    } else {
      define(fn.sourceName(), List.of(Param.value("z"), Param.number(p.name(), p.defaultValue())),
          c -> c.g().unary(fn, c.number(p.name()), c.node("z")));
    }
  }

  static {
    // ---- elementwise functions of one value: every one written as a call is a built-in
    for (UnaryFn fn : UnaryFn.values()) {
      if (fn.isCall()) {
        elementwise(fn);
      }
    }
    define(UnaryFn.LOG.sourceName(), List.of(Param.value("z")), Builtins::log); // with its stable form
    define("square", List.of(Param.value("z")), c -> c.g().powc(c.node("z"), 2));
    define("identity", List.of(Param.value("z")), c -> c.node("z"));

    // ---- elementwise functions of two values (with broadcasting); max/min of one are reductions
    define(
        BinaryFn.MAX.sourceName(),
        List.of(Param.value("a"), Param.optionalValue("b"), Param.optionalWhole("axis")),
        c -> extreme(c, true));
    define(
        BinaryFn.MIN.sourceName(),
        List.of(Param.value("a"), Param.optionalValue("b"), Param.optionalWhole("axis")),
        c -> extreme(c, false));
    for (BinaryFn fn : List.of(BinaryFn.POW, BinaryFn.GE)) {
      define(fn.sourceName(), List.of(Param.value("a"), Param.value("b")), c -> binary(c, fn));
    }
    define("clip", List.of(Param.value("x"), Param.value("lo"), Param.value("hi")), Builtins::clip);
    define(Where.NAME, List.of(Param.value("c"), Param.value("a"), Param.value("b")), Builtins::where);

    // ---- vector functions and reductions
    define(Softmax.NAME, List.of(Param.value("z"), Param.optionalWhole("axis")), c -> alongAxis(c, "z", Graph::softmax));
    define(
        LogSoftmax.NAME,
        List.of(Param.value("z"), Param.optionalWhole("axis")),
        c -> alongAxis(c, "z", Graph::logSoftmax));
    define(Sum.NAME, List.of(Param.value("a"), Param.optionalWhole("axis")), c -> reduce(c, Graph::sumAxis));
    define(
        LogSumExp.NAME,
        List.of(Param.value("a"), Param.optionalWhole("axis")),
        c -> reduce(c, Graph::logSumExp));
    define("mean", List.of(Param.value("a"), Param.optionalWhole("axis")), Builtins::mean);
    define("dot", List.of(Param.value("a"), Param.value("b")), Builtins::dot);
    define("norm2", List.of(Param.value("a")), c -> c.g().sum(c.g().powc(c.node("a"), 2)));
    define(Outer.NAME, List.of(Param.value("a"), Param.value("b")), Builtins::outer);
    define(MaxPool.NAME, List.of(Param.value("v"), Param.whole("k")), c -> groups(c, Graph::maxpool));
    define(
        MaxPoolMask.NAME, List.of(Param.value("v"), Param.whole("k")), c -> groups(c, Graph::maxpoolMask));
    define(Concat.NAME, List.of(Param.values("parts"), Param.optionalWhole("axis")), LayoutBuiltins::concat);
    define(Stack.NAME, List.of(Param.values("parts"), Param.optionalWhole("axis")), LayoutBuiltins::stack);
    define(Permute.NAME, List.of(Param.value("a"), Param.optionalList("perm")), LayoutBuiltins::transpose);
    define(Reshape.NAME, List.of(Param.value("a"), Param.list("shape")), LayoutBuiltins::reshape);
    define(LayoutBuiltins.FLATTEN, List.of(Param.value("a")), LayoutBuiltins::flatten);
    define(
        Slice.NAME, List.of(Param.value("v"), Param.whole("from"), Param.whole("to")), Builtins::slice);
    define(ArgMaxMask.NAME, List.of(Param.value("a"), Param.optionalWhole("axis")), Builtins::argmaxMask);
    define(
        Repeat.NAME,
        List.of(Param.value("v"), Param.whole("k")),
        Builtins::repeat);

    // ---- divergences: per-instance scalars
    define("l2", List.of(Param.value("y"), Param.value("d")), Builtins::l2);
    define("bce", List.of(Param.value("y"), Param.value("d")), Builtins::bce);
    define("cross_entropy", List.of(Param.value("y"), Param.value("d")), Builtins::crossEntropy);
    define(
        Kl.NAME,
        List.of(Param.value("d"), Param.value("y")),
        c -> sameShape(c, "d", "y") ? c.g().kl(c.node("d"), c.node("y")) : null);
    define("hinge", List.of(Param.value("s"), Param.value("d")), Builtins::hinge);
    define("smooth", List.of(Param.value("d"), Param.value("eps")), Builtins::smooth);

    // ---- extensions used by printed derivative programs (see docs/language.md)
    define(
        Broadcast.NAME,
        List.of(Param.value("a"), Param.wholes("dims"), Param.optionalWhole("axis")),
        Builtins::expand);
    define(GroupSum.NAME, List.of(Param.value("v"), Param.whole("k")), c -> groups(c, Graph::groupSum));
    define(
        Pad.NAME, List.of(Param.value("v"), Param.list("before"), Param.list("after")), LayoutBuiltins::pad);

    // ---- convolutions and the adjoints printed derivative programs call
    ConvCalls.defineAll(Builtins::define);
    PoolCalls.defineAll(Builtins::define);
    LoopCalls.defineAll(Builtins::define);
  }

  // ---- rules

  /** log, or the stable form of log(softmax), log(sigmoid), log(sum(exp)) and log(1 + exp). */
  private static Node log(Call c) {
    Node z = c.node("z");
    Graph g = c.g();
    if (z.op() instanceof Softmax) {
      c.rewrite("log(softmax(...))", "log_softmax(...)");
      return g.logSoftmax(z.input(0), ((Softmax) z.op()).axis());
    }
    if (isUnary(z, UnaryFn.SIGMOID)) {
      // -softplus(-z): at z = -800 it is -800, not log(0)
      c.rewrite("log(sigmoid(...))", "log_sigmoid(...)");
      return g.unary(UnaryFn.LOG_SIGMOID, z.input(0));
    }
    if (z.op() instanceof Sum s && isUnary(z.input(0), UnaryFn.EXP)) {
      // with the maximum subtracted: at x = 1000 it is 1000 + log n, not log(inf)
      String axis = s.axis() == Sum.ALL ? "" : ", axis=" + s.axis();
      c.rewrite("log(sum(exp(...)" + axis + "))", "logsumexp(..." + axis + ")");
      return g.logSumExp(z.input(0).input(0), s.axis());
    }
    Node exponent = onePlusExp(z);
    if (exponent != null) {
      c.rewrite("log(1 + exp(...))", "softplus(...)");
      return g.unary(UnaryFn.SOFTPLUS, exponent);
    }
    return g.unary(UnaryFn.LOG, z);
  }

  /** x when z is {@code 1 + exp(x)} or {@code exp(x) + 1}, else null. */
  private static Node onePlusExp(Node z) {
    if (!(z.op() instanceof Binary b) || b.fn() != BinaryFn.ADD) {
      return null;
    }
    for (int i = 0; i < 2; i++) {
      if (z.input(i).op() instanceof Constant one && one.value() == 1 && isUnary(z.input(1 - i), UnaryFn.EXP)) {
        return z.input(1 - i).input(0);
      }
    }
    return null;
  }

  private static boolean isUnary(Node n, UnaryFn fn) {
    return n.op() instanceof Unary u && u.fn() == fn;
  }

  private static Node binary(Call c, BinaryFn fn) {
    if (Shape.broadcast(c.shape("a"), c.shape("b")) == null) {
      return c.error(Lowering.broadcastMismatch(c.function(), c.is("a"), c.is("b"), c.shape("a"), c.shape("b")));
    }
    return c.g().binary(fn, c.node("a"), c.node("b"));
  }

  /**
   * clip(x, lo, hi) = min(max(x, lo), hi), with broadcasting: the gradient goes to x where
   * lo <= x <= hi, and to a bound where x is beyond it (through max's and min's rules, which send
   * ties to x). With lo > hi every element is hi, as NumPy's and PyTorch's clip.
   */
  private static Node clip(Call c) {
    if (!broadcastTogether(c, "x", "lo", "hi")) {
      return null;
    }
    Graph g = c.g();
    return g.binary(BinaryFn.MIN, g.binary(BinaryFn.MAX, c.node("x"), c.node("lo")), c.node("hi"));
  }

  /** where(c, a, b): a where c != 0, else b, the three operands broadcast to one shape. */
  private static Node where(Call c) {
    return broadcastTogether(c, "c", "a", "b") ? c.g().where(c.node("c"), c.node("a"), c.node("b")) : null;
  }

  /** Whether three arguments broadcast to one shape; reports the error when they do not. */
  private static boolean broadcastTogether(Call c, String first, String second, String third) {
    Shape two = Shape.broadcast(c.shape(first), c.shape(second));
    if (two != null && Shape.broadcast(two, c.shape(third)) != null) {
      return true;
    }
    Shape left = two == null ? c.shape(first) : two;
    Shape right = c.shape(two == null ? second : third);
    c.error("shape mismatch in '" + c.function() + "': " + c.is(first) + ", " + c.is(second) + " and "
        + c.is(third) + Lowering.broadcastHint(left, right));
    return false;
  }

  /** max(a, b) elementwise, or max(a) / max(a, axis=k) a reduction (min the same). */
  private static Node extreme(Call c, boolean max) {
    if (c.has("b") && c.has("axis")) {
      return c.errorAt("axis", "'" + c.function() + "' of two values is elementwise and takes no axis");
    }
    if (c.has("b")) {
      return binary(c, max ? BinaryFn.MAX : BinaryFn.MIN);
    }
    return reduce(c, (g, a, axis) -> g.extreme(a, max, axis));
  }

  /** A reduction such as sum or logsumexp: of every element, or along one axis of any rank. */
  private static Node reduce(Call c, Reduction reduction) {
    if (!c.has("axis")) {
      return reduction.make(c.g(), c.node("a"), Sum.ALL);
    }
    Integer axis = Axes.of(c, "axis", "a");
    return axis == null ? null : reduction.make(c.g(), c.node("a"), axis);
  }

  /**
   * softmax or log_softmax along {@code axis=} (default the last axis; negative counts from the
   * end) of a value of rank 1 or more.
   */
  private static Node alongAxis(Call c, String value, AxisOp op) {
    if (c.shape(value).isScalar()) {
      return c.error("'" + c.function() + "' needs a vector or a tensor, but " + c.describe(value) + " is a scalar");
    }
    Integer axis = c.has("axis") ? Axes.of(c, "axis", value) : Integer.valueOf(c.shape(value).rank() - 1);
    return axis == null ? null : op.make(c.g(), c.node(value), axis);
  }

  /**
   * argmax_mask along {@code axis=}; without one along the last axis, which for a vector (or a
   * scalar) is every element, version 1's op.
   */
  private static Node argmaxMask(Call c) {
    Shape shape = c.shape("a");
    if (c.has("axis")) {
      Integer axis = Axes.of(c, "axis", "a");
      return axis == null ? null : c.g().argmaxMask(c.node("a"), axis);
    }
    return c.g().argmaxMask(c.node("a"), shape.rank() <= 1 ? Sum.ALL : shape.rank() - 1);
  }

  /** Makes the node of an op along an axis (0..rank-1). */
  private interface AxisOp {
    Node make(Graph g, Node a, int axis);
  }

  /** Makes the node of a reduction along an axis ({@link Sum#ALL} for every element). */
  private interface Reduction {
    Node make(Graph g, Node a, int axis);
  }

  static Node mean(Graph g, Node a) {
    return g.mul(g.constant(1.0 / a.shape().size()), g.sum(a));
  }

  /** mean(a): of every element; mean(a, axis=k): the sum along axis k over its length. */
  private static Node mean(Call c) {
    return reduce(c, (g, a, axis) -> axis == Sum.ALL
        ? mean(g, a)
        : g.mul(g.constant(1.0 / a.shape().dim(axis)), g.sumAxis(a, axis)));
  }

  private static Node dot(Call c) {
    if (c.shape("a").rank() != 1 || !c.shape("a").equals(c.shape("b"))) {
      return c.error(
          "'" + c.function() + "' needs two vectors of one length, but " + c.is("a") + " and " + c.is("b"));
    }
    return c.g().matmul(c.node("a"), c.node("b"));
  }

  private static Node outer(Call c) {
    if (c.shape("a").rank() != 1 || c.shape("b").rank() != 1) {
      return c.error("'" + c.function() + "' needs two vectors, but " + c.is("a") + " and " + c.is("b"));
    }
    return c.g().outer(c.node("a"), c.node("b"));
  }

  /** An op over consecutive groups of k elements: {@code g.maxpool(v, k)}, ... */
  private interface GroupOp {
    Node make(Graph g, Node v, int k);
  }

  /** maxpool, maxpool_mask and group_sum: a vector split into consecutive groups of k. */
  private static Node groups(Call c, GroupOp op) {
    if (!vector(c, "v") || !positive(c, "k")) {
      return null;
    }
    int n = c.shape("v").dim(0);
    int k = c.integer("k");
    if (n % k != 0) {
      return c.error(
          "'" + c.function() + "' needs a length divisible by k, but " + c.is("v") + " and k is " + k);
    }
    return op.make(c.g(), c.node("v"), k);
  }

  private static Node repeat(Call c) {
    if (!vector(c, "v") || !positive(c, "k")) {
      return null;
    }
    long length = (long) c.shape("v").dim(0) * c.integer("k");
    if (length > Limits.MAX_ELEMENTS) {
      return tooLong(c, length);
    }
    return c.g().repeat(c.node("v"), c.integer("k"));
  }

  /** A vector result longer than {@link Limits#MAX_ELEMENTS}, reported before its shape overflows. */
  static Node tooLong(Call c, long length) {
    return c.error("'" + c.function() + "' would make a vector of " + length
        + " elements; the limit is " + Limits.MAX_ELEMENTS + " (2^28) per value");
  }

  private static Node slice(Call c) {
    if (!vector(c, "v")) {
      return null;
    }
    int n = c.shape("v").dim(0);
    int from = c.integer("from");
    int to = c.integer("to");
    if (from < 0 || to > n || from >= to) {
      return c.error(
          "'slice' bounds " + from + ".." + to + " do not fit " + c.describe("v") + ", which is "
              + c.shape("v") + " (need 0 <= from < to <= " + n + ")");
    }
    return c.g().slice(c.node("v"), from, to);
  }

  /**
   * {@code expand(a, d1, ..., dk)}: a spread to {@code [d1, ..., dk]} by NumPy's broadcasting;
   * {@code expand(a, d1, ..., dk, axis=j)}: a, which has that shape without axis j, copied along
   * axis j (the adjoint of a sum along it, as printed derivative programs write it).
   */
  private static Node expand(Call c) {
    Shape to = new Shape(c.restWholes());
    Shape from = c.shape("a");
    boolean positive = to.dims().stream().allMatch(d -> d > 0);
    if (!positive || to.rank() > Shape.MAX_RANK) {
      return c.error("'" + c.function() + "' cannot spread to " + to + " (dims are at least 1, and at most "
          + Shape.MAX_RANK + " of them)");
    }
    if (c.has("axis")) {
      Integer axis = Axes.normalize(c.integer("axis"), to.rank());
      if (axis == null) {
        return c.errorAt("axis", Axes.outOfRange(c.function(), c.integer("axis"), "the result", to));
      }
      if (!from.equals(to.without(axis))) {
        return c.error("'" + c.function() + "' along axis " + c.integer("axis") + " to " + to + " needs a value of shape "
            + to.without(axis) + ", but " + c.is("a"));
      }
      return c.g().expandAxis(c.node("a"), to, axis);
    }
    if (from.equals(to)) {
      return c.node("a");
    }
    if (from.rank() > to.rank() || !to.broadcastsFrom(from)) {
      return c.error(
          "'" + c.function() + "' cannot spread " + c.describe("a") + ", which is " + c.shape("a") + ", to " + to
              + " (NumPy's broadcasting: dims aligned at the last axis must be equal or 1 in "
              + c.describe("a") + ")");
    }
    return c.g().broadcast(c.node("a"), to);
  }

  private static Node l2(Call c) {
    if (!sameShape(c, "y", "d")) {
      return null;
    }
    Graph g = c.g();
    return g.mul(g.constant(0.5), g.sum(g.powc(g.sub(c.node("y"), c.node("d")), 2)));
  }

  private static Node bce(Call c) {
    if (!sameShape(c, "y", "d")) {
      return null;
    }
    Graph g = c.g();
    Node y = c.node("y");
    Node d = c.node("d");
    if (y.op() instanceof Unary u && u.fn() == UnaryFn.SIGMOID) {
      // bce(sigmoid(z), d) = sum(softplus(z) - d * z): no log of a sigmoid that rounded to 0 or 1.
      Node z = y.input(0);
      c.rewrite("bce(sigmoid(z), d)", "sum(softplus(z) - d * z)");
      return g.sum(g.sub(g.unary(UnaryFn.SOFTPLUS, z), g.mul(d, z)));
    }
    Node one = g.constant(1);
    Node terms =
        g.add(
            g.mul(d, g.unary(UnaryFn.LOG, y)),
            g.mul(g.sub(one, d), g.unary(UnaryFn.LOG, g.sub(one, y))));
    return g.neg(g.sum(terms));
  }

  private static Node crossEntropy(Call c) {
    if (!sameShape(c, "y", "d")) {
      return null;
    }
    Graph g = c.g();
    Node y = c.node("y");
    Node d = c.node("d");
    Node logY;
    if (y.op() instanceof Softmax) {
      // cross_entropy(softmax(z), d) = -sum(d * log_softmax(z)): no log of an exact 0.
      c.rewrite("cross_entropy(softmax(z), d)", "-sum(d * log_softmax(z))");
      logY = g.logSoftmax(y.input(0), ((Softmax) y.op()).axis());
    } else {
      logY = g.unary(UnaryFn.LOG, y);
    }
    return g.neg(g.sum(g.mul(d, logY)));
  }

  /** hinge(s, d) = sum((1 - d) * max(0, s - dot(d, s) + 1)), d one-hot. */
  private static Node hinge(Call c) {
    if (!vector(c, "s") || !sameShape(c, "s", "d")) {
      return null;
    }
    Graph g = c.g();
    Node s = c.node("s");
    Node d = c.node("d");
    Node margin = g.add(g.sub(s, g.matmul(d, s)), g.constant(1));
    Node violation = g.binary(BinaryFn.MAX, g.constant(0), margin);
    return g.sum(g.mul(g.sub(g.constant(1), d), violation));
  }

  /** smooth(d, eps) = d * (1 - K * eps) + eps for a one-hot d of length K. */
  private static Node smooth(Call c) {
    if (!vector(c, "d")) {
      return null;
    }
    if (!c.shape("eps").isScalar()) {
      return c.error("'" + c.function() + "' needs a scalar eps, but " + c.is("eps"));
    }
    Graph g = c.g();
    int k = c.shape("d").dim(0);
    Node keep = g.sub(g.constant(1), g.mul(g.constant(k), c.node("eps")));
    return g.add(g.mul(c.node("d"), keep), c.node("eps"));
  }

  // ---- checks shared by the rules

  private static boolean vector(Call c, String param) {
    if (c.shape(param).rank() != 1) {
      c.error("'" + c.function() + "' needs a vector, but " + c.is(param));
      return false;
    }
    return true;
  }

  private static boolean positive(Call c, String param) {
    if (c.integer(param) <= 0) {
      c.errorAt(param, "'" + c.function() + "' needs " + param + " >= 1, not " + c.integer(param));
      return false;
    }
    return true;
  }

  private static boolean sameShape(Call c, String a, String b) {
    if (!c.shape(a).equals(c.shape(b))) {
      c.error(
          "'" + c.function() + "' needs " + a + " and " + b + " of one shape, but "
              + c.is(a) + " and " + c.is(b));
      return false;
    }
    return true;
  }
}
