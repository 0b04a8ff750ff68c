package dev.nabla.compiler.simplify;

import static dev.nabla.compiler.simplify.Patterns.constant;
import static dev.nabla.compiler.simplify.Patterns.fit;
import static dev.nabla.compiler.simplify.Patterns.is;
import static dev.nabla.compiler.simplify.Patterns.isBinary;
import static dev.nabla.compiler.simplify.Patterns.isMask;
import static dev.nabla.compiler.simplify.Patterns.isUnary;
import static dev.nabla.compiler.simplify.Patterns.zeros;

import dev.nabla.compiler.graph.BatchMean;
import dev.nabla.compiler.graph.Binary;
import dev.nabla.compiler.graph.BinaryFn;
import dev.nabla.compiler.graph.Broadcast;
import dev.nabla.compiler.graph.Concat;
import dev.nabla.compiler.graph.ConcatAxis;
import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.GroupSum;
import dev.nabla.compiler.graph.Index;
import dev.nabla.compiler.graph.MatMul;
import dev.nabla.compiler.graph.MaxPool;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Op;
import dev.nabla.compiler.graph.Outer;
import dev.nabla.compiler.graph.Pad;
import dev.nabla.compiler.graph.PadAxes;
import dev.nabla.compiler.graph.Permute;
import dev.nabla.compiler.graph.Repeat;
import dev.nabla.compiler.graph.Reshape;
import dev.nabla.compiler.graph.Shape;
import dev.nabla.compiler.graph.Slice;
import dev.nabla.compiler.graph.Stack;
import dev.nabla.compiler.graph.Subscript;
import dev.nabla.compiler.graph.Sum;
import dev.nabla.compiler.graph.Transpose;
import dev.nabla.compiler.graph.Unary;
import dev.nabla.compiler.graph.UnaryFn;
import dev.nabla.compiler.graph.Where;
import java.util.Arrays;
import java.util.List;

/**
 * The simplifier's rewrite rules, each small and local. They are applied to every node of a
 * derivative program until none fires; common subexpressions merge by themselves because the
 * graph interns its nodes. A rule never changes a node's shape or value, only its form.
 */
public final class Rules {
  private Rules() {}

  public static final List<Rule> ALL =
      List.of(
          // ---- constant folding: an op on constants is a constant
          new Rule("fold constants", Rules::foldConstants),
          new Rule("expand(expand(c)) -> expand(c)", (g, n) -> n.op() instanceof Broadcast && !(n.input(0).op() instanceof Constant) && constant(n) != null ? fit(g, g.constant(constant(n)), n.shape()) : null),

          // ---- identities of + and -
          new Rule("x + 0 -> x", (g, n) -> addZero(g, n)),
          new Rule("x - 0 -> x", (g, n) -> isBinary(n, BinaryFn.SUB) && is(n.input(1), 0) ? fit(g, n.input(0), n.shape()) : null),
          new Rule("0 - x -> -x", (g, n) -> isBinary(n, BinaryFn.SUB) && is(n.input(0), 0) ? fit(g, g.neg(n.input(1)), n.shape()) : null),
          new Rule("x - x -> 0", (g, n) -> isBinary(n, BinaryFn.SUB) && n.input(0) == n.input(1) ? zeros(g, n.shape()) : null),
          new Rule("x + x -> 2 * x", (g, n) -> isBinary(n, BinaryFn.ADD) && n.input(0) == n.input(1) ? g.mul(g.constant(2), n.input(0)) : null),
          new Rule("a + -b -> a - b", (g, n) -> isBinary(n, BinaryFn.ADD) && isUnary(n.input(1), UnaryFn.NEG) ? g.sub(n.input(0), n.input(1).input(0)) : null),
          new Rule("-a + b -> b - a", (g, n) -> isBinary(n, BinaryFn.ADD) && isUnary(n.input(0), UnaryFn.NEG) ? g.sub(n.input(1), n.input(0).input(0)) : null),
          new Rule("a - -b -> a + b", (g, n) -> isBinary(n, BinaryFn.SUB) && isUnary(n.input(1), UnaryFn.NEG) ? g.add(n.input(0), n.input(1).input(0)) : null),

          // ---- identities of * and /
          new Rule("x * 1 -> x", (g, n) -> mulOne(g, n)),
          new Rule("x * 0 -> 0", (g, n) -> isBinary(n, BinaryFn.MUL) && (is(n.input(0), 0) || is(n.input(1), 0)) ? zeros(g, n.shape()) : null),
          new Rule("x / 1 -> x", (g, n) -> isBinary(n, BinaryFn.DIV) && is(n.input(1), 1) ? fit(g, n.input(0), n.shape()) : null),
          new Rule("-1 * x -> -x", (g, n) -> isBinary(n, BinaryFn.MUL) && is(n.input(0), -1) ? fit(g, g.neg(n.input(1)), n.shape()) : null),
          new Rule("x * c -> c * x", (g, n) -> isBinary(n, BinaryFn.MUL) && n.input(1).op() instanceof Constant && !(n.input(0).op() instanceof Constant) ? g.mul(n.input(1), n.input(0)) : null),
          new Rule("c1 * (c2 * x) -> (c1 * c2) * x", (g, n) -> reassociateConstants(g, n, BinaryFn.MUL)),
          new Rule("-a * b -> -(a * b)", (g, n) -> isBinary(n, BinaryFn.MUL) && isUnary(n.input(0), UnaryFn.NEG) ? g.neg(g.mul(n.input(0).input(0), n.input(1))) : null),
          new Rule("a * -b -> -(a * b)", (g, n) -> isBinary(n, BinaryFn.MUL) && isUnary(n.input(1), UnaryFn.NEG) ? g.neg(g.mul(n.input(0), n.input(1).input(0))) : null),
          new Rule("-a / b -> -(a / b)", (g, n) -> isBinary(n, BinaryFn.DIV) && isUnary(n.input(0), UnaryFn.NEG) ? g.neg(g.div(n.input(0).input(0), n.input(1))) : null),
          new Rule("mask * mask -> mask", (g, n) -> isBinary(n, BinaryFn.MUL) && n.input(0) == n.input(1) && isMask(n.input(0)) ? n.input(0) : null),
          new Rule("relu(x) * step(x) -> relu(x)", Rules::reluTimesStep),

          // ---- unary identities
          new Rule("--x -> x", (g, n) -> isUnary(n, UnaryFn.NEG) && isUnary(n.input(0), UnaryFn.NEG) ? n.input(0).input(0) : null),
          new Rule("x ^ 1 -> x", (g, n) -> n.op() instanceof Unary u && u.fn() == UnaryFn.POWC && u.parameter() == 1 ? n.input(0) : null),
          new Rule("pow(x, c) -> x ^ c", (g, n) -> isBinary(n, BinaryFn.POW) && n.input(1).op() instanceof Constant c ? fit(g, g.powc(n.input(0), c.value()), n.shape()) : null),
          new Rule("x ^ 0 -> 1", (g, n) -> n.op() instanceof Unary u && u.fn() == UnaryFn.POWC && u.parameter() == 0 ? fit(g, g.constant(1), n.shape()) : null),
          new Rule("log(exp(x)) -> x", (g, n) -> isUnary(n, UnaryFn.LOG) && isUnary(n.input(0), UnaryFn.EXP) ? n.input(0).input(0) : null),
          new Rule("-(0) -> 0", (g, n) -> isUnary(n, UnaryFn.NEG) && is(n.input(0), 0) ? zeros(g, n.shape()) : null),

          // ---- zeros: what maps zeros to zeros (a linear op, a max of zeros) of a zero is a zero
          new Rule("f(0) -> 0", Rules::zeroThroughLinear),

          // ---- transposes
          new Rule("(A.T).T -> A", (g, n) -> n.op() instanceof Transpose && n.input(0).op() instanceof Transpose ? n.input(0).input(0) : null),
          new Rule("transpose(transpose(x, p), q) -> transpose(x, p q)", (g, n) -> n.op() instanceof Permute p && n.input(0).op() instanceof Permute ? g.permute(n.input(0), p.perm()) : null),
          new Rule("reshape(reshape(x)) -> reshape(x)", (g, n) -> n.op() instanceof Reshape && n.input(0).op() instanceof Reshape ? g.reshape(n.input(0), n.shape()) : null),

          // ---- broadcasts and sums
          new Rule("expand(s) op x -> s op x", Rules::implicitBroadcast),
          new Rule("sum(expand(x)) -> k * sum(x)", Rules::sumOfBroadcast),
          new Rule("sum(scalar) -> scalar", (g, n) -> n.op() instanceof Sum s && s.axis() == Sum.ALL && n.input(0).shape().isScalar() ? n.input(0) : null),
          new Rule("sum(-x) -> -sum(x)", (g, n) -> n.op() instanceof Sum && isUnary(n.input(0), UnaryFn.NEG) ? g.neg(g.make(n.op(), List.of(n.input(0).input(0)))) : null),
          new Rule("sum(c * x) -> c * sum(x)", Rules::sumOfScaled),

          // ---- constants to the front, after the broadcasts are gone, so that they meet and fold:
          // lambda * (2 * W) prints as 2 * lambda * W, and 0.5 / n * (2 * x) as x / n
          new Rule("a * (c * x) -> (c * a) * x", Rules::constantToTheFront),
          new Rule("c1 * (c2 / x) -> (c1 * c2) / x", (g, n) -> reassociateConstants(g, n, BinaryFn.DIV)),
          new Rule("(1 / a) * x -> x / a", Rules::reciprocalTimes),

          // ---- batch means
          new Rule("batch_mean(shared x) -> x", (g, n) -> n.op() instanceof BatchMean && !n.input(0).batched() ? n.input(0) : null),
          new Rule("batch_mean(-x) -> -batch_mean(x)", (g, n) -> n.op() instanceof BatchMean && isUnary(n.input(0), UnaryFn.NEG) ? g.neg(g.batchMean(n.input(0).input(0))) : null),
          new Rule("batch_mean(s * x) -> s * batch_mean(x)", Rules::batchMeanOfScaled),

          // ---- where: both branches alike, or a condition known when compiling
          new Rule("where(c, x, x) -> x", Rules::whereOfEqualBranches),
          new Rule("where(constant c, a, b) -> a or b", Rules::whereOfConstantCondition),
          new Rule("where(mask, 1, 0) -> mask", (g, n) -> n.op() instanceof Where && isMask(n.input(0)) && is(n.input(1), 1) && is(n.input(2), 0) ? fit(g, n.input(0), n.shape()) : null));

  /**
   * An op on constants becomes its value, unless that is an infinity or NaN the operands did not
   * have: {@code log(0)} or {@code 1 / 0} stay as written, because the language has no literal
   * for infinity and the printed program is read by people.
   */
  private static Node foldConstants(Graph g, Node n) {
    if (n.op() instanceof Unary u && n.input(0).op() instanceof Constant c) {
      return folded(g, u.fn().apply(c.value(), u.parameter()), c.value(), u.parameter());
    }
    if (n.op() instanceof Binary b
        && n.input(0).op() instanceof Constant x
        && n.input(1).op() instanceof Constant y) {
      return folded(g, b.fn().apply(x.value(), y.value()), x.value(), y.value());
    }
    return null;
  }

  /** The constant {@code value}, or null when it is not finite but {@code operands} all are. */
  private static Node folded(Graph g, double value, double... operands) {
    if (!Double.isFinite(value) && Arrays.stream(operands).allMatch(Double::isFinite)) {
      return null;
    }
    return g.constant(value);
  }

  private static Node addZero(Graph g, Node n) {
    if (!isBinary(n, BinaryFn.ADD)) {
      return null;
    }
    if (is(n.input(1), 0)) {
      return fit(g, n.input(0), n.shape());
    }
    if (is(n.input(0), 0)) {
      return fit(g, n.input(1), n.shape());
    }
    return null;
  }

  private static Node mulOne(Graph g, Node n) {
    if (!isBinary(n, BinaryFn.MUL)) {
      return null;
    }
    if (is(n.input(1), 1)) {
      return fit(g, n.input(0), n.shape());
    }
    if (is(n.input(0), 1)) {
      return fit(g, n.input(1), n.shape());
    }
    return null;
  }

  /** {@code c1 * (c2 op x) -> (c1 * c2) op x} for op {@code *} or {@code /}. */
  private static Node reassociateConstants(Graph g, Node n, BinaryFn op) {
    if (isBinary(n, BinaryFn.MUL)
        && n.input(0).op() instanceof Constant c1
        && isBinary(n.input(1), op)
        && n.input(1).input(0).op() instanceof Constant c2) {
      Node product = folded(g, c1.value() * c2.value(), c1.value(), c2.value());
      return product == null ? null : g.binary(op, product, n.input(1).input(1));
    }
    return null;
  }

  /**
   * A product whose right factor is a constant times x: the constant moves to the front, where
   * it can fold with other constants ({@code 0.5 / n * (2 * x)}) and prints without parentheses.
   */
  private static Node constantToTheFront(Graph g, Node n) {
    if (isBinary(n, BinaryFn.MUL)
        && !(n.input(0).op() instanceof Constant)
        && isBinary(n.input(1), BinaryFn.MUL)
        && n.input(1).input(0).op() instanceof Constant) {
      Node c = n.input(1).input(0);
      return g.mul(g.mul(c, n.input(0)), n.input(1).input(1));
    }
    return null;
  }

  private static Node reciprocalTimes(Graph g, Node n) {
    if (isBinary(n, BinaryFn.MUL)
        && isBinary(n.input(0), BinaryFn.DIV)
        && n.input(0).input(0).op() instanceof Constant one
        && one.value() == 1) {
      return g.div(n.input(1), n.input(0).input(1));
    }
    return null;
  }

  /**
   * Ops whose result is all zeros when one input is (pad, slice, index, repeat, group_sum,
   * transpose, sums, batch means and maxpool of zeros; a product with a zero factor; a concat of
   * zeros only): the derivative of {@code v[0]} with a zero adjoint is no longer
   * {@code pad(expand(0, 1), 0, 11)} but {@code expand(0, 12)}, which other rules then drop.
   */
  private static Node zeroThroughLinear(Graph g, Node n) {
    Op op = n.op();
    boolean zero;
    if (op instanceof MatMul || op instanceof Outer) {
      zero = is(n.input(0), 0) || is(n.input(1), 0);
    } else if (op instanceof Concat || op instanceof ConcatAxis || op instanceof Stack) {
      zero = n.inputs().stream().allMatch(in -> is(in, 0));
    } else if (op instanceof Pad || op instanceof Slice || op instanceof Index || op instanceof Repeat
        || op instanceof GroupSum || op instanceof Transpose || op instanceof Sum
        || op instanceof BatchMean || op instanceof MaxPool || op instanceof Permute || op instanceof Reshape
        || op instanceof Subscript || op instanceof PadAxes) {
      zero = is(n.input(0), 0);
    } else {
      zero = false;
    }
    return zero && !is(n, 0) ? zeros(g, n.shape()) : null;
  }

  /** relu(x) is 0 wherever step(x) is 0, so multiplying by the mask changes nothing. */
  private static Node reluTimesStep(Graph g, Node n) {
    if (!isBinary(n, BinaryFn.MUL)) {
      return null;
    }
    for (int i = 0; i < 2; i++) {
      Node a = n.input(i);
      Node b = n.input(1 - i);
      if (isUnary(a, UnaryFn.RELU) && isUnary(b, UnaryFn.STEP) && a.input(0) == b.input(0)) {
        return a;
      }
    }
    return null;
  }

  /**
   * An elementwise op (of two values, or a where) whose operand is an explicit broadcast: the op
   * broadcasts by itself, so the expand node is not needed ({@code dy * expand(s) -> dy * s},
   * {@code where(c, expand(1, 3), 0) -> where(c, 1, 0)}).
   */
  private static Node implicitBroadcast(Graph g, Node n) {
    if (!(n.op() instanceof Binary) && !(n.op() instanceof Where)) {
      return null;
    }
    for (int i = 0; i < n.inputs().size(); i++) {
      Node operand = n.input(i);
      if (operand.op() instanceof Broadcast br
          && br.kind() != Broadcast.Kind.COLUMNS
          && br.isNumpy(operand.input(0).shape())) {
        List<Node> inputs = new java.util.ArrayList<>(n.inputs());
        inputs.set(i, operand.input(0));
        Shape together = Shape.SCALAR;
        for (Node in : inputs) {
          together = together == null ? null : Shape.broadcast(together, in.shape());
        }
        if (n.shape().equals(together)) {
          return g.make(n.op(), inputs);
        }
      }
    }
    return null;
  }

  /** Summing k copies of x is k times the sum of x. */
  private static Node sumOfBroadcast(Graph g, Node n) {
    if (!(n.op() instanceof Sum s) || !(n.input(0).op() instanceof Broadcast br)) {
      return null;
    }
    Node x = n.input(0).input(0);
    int copies = br.to().size() / x.shape().size();
    boolean collapsesCopies =
        s.axis() == Sum.ALL
            || (br.copiesOnlyAlong(s.axis()) && x.shape().equals(br.to().without(s.axis())));
    if (!collapsesCopies) {
      return null;
    }
    Node summed = s.axis() == Sum.ALL && !x.shape().isScalar() ? g.sum(x) : x;
    return copies == 1 ? summed : g.mul(g.constant(copies), summed);
  }

  private static Node sumOfScaled(Graph g, Node n) {
    if (n.op() instanceof Sum
        && isBinary(n.input(0), BinaryFn.MUL)
        && n.input(0).input(0).shape().isScalar()
        && !n.input(0).input(1).shape().isScalar()) {
      Node scale = n.input(0).input(0);
      return g.mul(scale, g.make(n.op(), List.of(n.input(0).input(1))));
    }
    return null;
  }

  /** A factor shared by the batch comes out of the batch mean. */
  private static Node batchMeanOfScaled(Graph g, Node n) {
    if (!(n.op() instanceof BatchMean) || !isBinary(n.input(0), BinaryFn.MUL)) {
      return null;
    }
    Node a = n.input(0).input(0);
    Node b = n.input(0).input(1);
    if (!a.batched() && a.shape().isScalar()) {
      return g.mul(a, g.batchMean(b));
    }
    if (!b.batched() && b.shape().isScalar()) {
      return g.mul(b, g.batchMean(a));
    }
    return null;
  }

  /** {@code where(c, x, x)} is x, and so is a where of two equal constants (its adjoint's zeros). */
  private static Node whereOfEqualBranches(Graph g, Node n) {
    if (!(n.op() instanceof Where)) {
      return null;
    }
    Node a = n.input(1);
    Node b = n.input(2);
    if (a == b) {
      return fit(g, a, n.shape());
    }
    Double ca = constant(a);
    Double cb = constant(b);
    return ca != null && ca.equals(cb) ? fit(g, g.constant(ca), n.shape()) : null;
  }

  /**
   * A constant condition picks one branch everywhere (NaN counts as true, as != 0 says); a
   * comparison of constants, from the forward program (which is not rewritten), is one.
   */
  private static Node whereOfConstantCondition(Graph g, Node n) {
    if (!(n.op() instanceof Where)) {
      return null;
    }
    Node condition = n.input(0);
    Double c = constant(condition);
    if (c == null && condition.op() instanceof Binary b && b.fn().isComparison()) {
      Double x = constant(condition.input(0));
      Double y = constant(condition.input(1));
      c = x == null || y == null ? null : b.fn().apply(x, y);
    }
    return c == null ? null : fit(g, c != 0 ? n.input(1) : n.input(2), n.shape());
  }

  /** Exposed for tests: the constant value of a node, if it is one. */
  static Double constantOf(Node n) {
    return constant(n);
  }
}
