package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.Expr;
import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Shape;
import java.util.List;
import java.util.Map;

/**
 * One call of a built-in function with its arguments bound to the built-in's parameters: what a
 * built-in's lowering rule sees. Value arguments are already graph nodes; number arguments are
 * constants read from the source.
 */
final class Call {
  /**
   * The arguments, by parameter name: as written ({@code exprs}, for messages), lowered to nodes
   * (value parameters) or read as numbers (number parameters, defaults filled in); and those of a
   * variadic last parameter in order ({@code rest}, {@code restExprs}, {@code restWholes}).
   */
  record Arguments(
      Map<String, Expr> exprs,
      Map<String, Node> nodes,
      Map<String, Double> numbers,
      List<Node> rest,
      List<Expr> restExprs,
      List<Integer> restWholes,
      Map<String, List<Integer>> lists) {}

  private final Expr.Call expr;
  private final Map<String, Expr> argExprs;
  private final Map<String, Node> nodes;
  private final Map<String, Double> numbers;
  private final List<Node> rest;
  private final List<Expr> restExprs;
  private final List<Integer> restWholes;
  private final Map<String, List<Integer>> lists;
  private final Graph graph;
  private final Lowering lowering;

  Call(Expr.Call expr, Arguments args, Graph graph, Lowering lowering) {
    this.expr = expr;
    this.argExprs = args.exprs();
    this.nodes = args.nodes();
    this.numbers = args.numbers();
    this.rest = args.rest();
    this.restExprs = args.restExprs();
    this.restWholes = args.restWholes();
    this.lists = args.lists();
    this.graph = graph;
    this.lowering = lowering;
  }

  String function() {
    return expr.function();
  }

  Span span() {
    return expr.span();
  }

  Graph g() {
    return graph;
  }

  boolean has(String param) {
    return nodes.containsKey(param) || numbers.containsKey(param) || lists.containsKey(param);
  }

  /** The whole numbers of a list parameter ({@code reshape(a, [2, -1])}; one number is a list of one). */
  List<Integer> list(String param) {
    return lists.get(param);
  }

  /**
   * A pair parameter's rows and columns ({@code stride=(2, 1)}); one whole number, a default or
   * a whole-number parameter's value, is both.
   */
  int[] pair(String param) {
    List<Integer> items = lists.get(param);
    if (items == null) {
      return new int[] {integer(param), integer(param)};
    }
    return new int[] {items.getFirst(), items.getLast()};
  }

  Node node(String param) {
    return nodes.get(param);
  }

  Shape shape(String param) {
    return nodes.get(param).shape();
  }

  double number(String param) {
    return numbers.get(param);
  }

  int integer(String param) {
    return (int) (double) numbers.get(param);
  }

  /** The arguments of a variadic parameter, in order. */
  List<Node> rest() {
    return rest;
  }

  List<Expr> restExprs() {
    return restExprs;
  }

  /** The whole numbers of a variadic number parameter ({@code expand(a, 3, 4)}). */
  List<Integer> restWholes() {
    return restWholes;
  }

  /** How to name an argument in a message: its name if it is one, else its source text. */
  String describe(String param) {
    return ExprText.of(argExprs.get(param));
  }

  /** "z is [3, 4]" for messages. */
  String is(String param) {
    return describe(param) + " is " + shape(param);
  }

  /** Reports an error at the function name and returns null (the failed value). */
  Node error(String message) {
    lowering.error(expr.span(), message);
    return null;
  }

  /** Reports an error at one argument and returns null. */
  Node errorAt(String param, String message) {
    lowering.error(argExprs.get(param).span(), message);
    return null;
  }

  void rewrite(String written, String computedAs) {
    lowering.rewrite(expr.span(), written, computedAs);
  }
}
