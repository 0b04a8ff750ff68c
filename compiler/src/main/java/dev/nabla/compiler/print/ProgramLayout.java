package dev.nabla.compiler.print;

import dev.nabla.compiler.autodiff.DerivativeProgram;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.graph.BatchMean;
import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides how a derivative program is printed, in the lecture's notation: one line
 * {@code dz1 = ...} for the adjoint of every named value, a temporary {@code t1 = ...} for each
 * other subexpression used more than once, and last one line per gradient
 * ({@code dW1 = ...}). Lines come in an order in which every name is defined before it is used.
 */
public final class ProgramLayout {
  /** What a line defines. */
  public enum Kind {
    ADJOINT,
    TEMPORARY,
    GRADIENT
  }

  /**
   * One line: {@code name = node}. For an adjoint, {@code value} is the forward value it is the
   * adjoint of; for a gradient, the param or input.
   */
  public record Line(Kind kind, String name, Node node, Node value, String provenance) {}

  private final DerivativeProgram program;
  private final List<Line> lines;
  private final Map<Node, String> names;

  private ProgramLayout(DerivativeProgram program, List<Line> lines, Map<Node, String> names) {
    this.program = program;
    this.lines = lines;
    this.names = names;
  }

  public DerivativeProgram program() {
    return program;
  }

  public List<Line> lines() {
    return lines;
  }

  /** The name a node is printed as on every line but its own (forward names included). */
  public String nameOf(Node n) {
    return names.get(n);
  }

  /** Lays out the whole program, or (with {@code wrt} not null) what one gradient needs. */
  public static ProgramLayout of(DerivativeProgram program, String wrt) {
    ProgramLayout whole = whole(program);
    return wrt == null ? whole : whole.only(wrt);
  }

  /**
   * The lines of this layout that the gradient of {@code wrt} needs (none if there is no such
   * gradient). Cheaper than laying the program out again for each gradient.
   */
  public ProgramLayout only(String wrt) {
    return new ProgramLayout(program, List.copyOf(needed(lines, wrt, names)), names);
  }

  private static ProgramLayout whole(DerivativeProgram program) {
    CheckedModel model = program.model();
    Provenance provenance = new Provenance(model, program);
    Set<Node> forward = Collections.newSetFromMap(new IdentityHashMap<>());
    forward.addAll(program.forward());
    Set<String> taken = new HashSet<>(model.values().keySet());
    Map<Node, String> names = new IdentityHashMap<>();
    model.labels().forEach((node, label) -> names.put(node, label));

    // Adjoints of named values, in the order reverse mode made them.
    Map<Node, Line> defined = new LinkedHashMap<>();
    List<Line> aliases = new ArrayList<>();
    for (Map.Entry<Node, Node> e : program.adjoints().entrySet()) {
      Node value = e.getKey();
      Node adjoint = e.getValue();
      String label = model.labels().get(value);
      if (label == null || value.op() instanceof Leaf || value == model.loss() || trivial(adjoint, forward)) {
        continue;
      }
      String name = fresh("d" + label, taken);
      Line line = new Line(Kind.ADJOINT, name, adjoint, value, provenance.of(value));
      if (names.containsKey(adjoint)) {
        aliases.add(line);
      } else {
        names.put(adjoint, name);
        defined.put(adjoint, line);
      }
    }

    // Temporaries: derivative subexpressions used more than once.
    List<Node> roots = new ArrayList<>(defined.keySet());
    roots.addAll(program.gradients().values());
    Map<Node, Integer> uses = new IdentityHashMap<>();
    countUses(roots, forward, names, uses);
    int counter = 1;
    List<Node> shared = new ArrayList<>();
    for (Map.Entry<Node, Integer> e : uses.entrySet()) {
      if (e.getValue() > 1 && !names.containsKey(e.getKey()) && !trivial(e.getKey(), forward)) {
        shared.add(e.getKey());
      }
    }
    shared.sort((a, b) -> Integer.compare(a.id(), b.id()));
    for (Node n : shared) {
      String name = fresh("t" + counter++, taken);
      names.put(n, name);
      defined.put(n, new Line(Kind.TEMPORARY, name, n, null, "used more than once"));
    }

    List<Line> lines = new ArrayList<>(defined.values());
    lines.addAll(aliases);
    lines.sort((a, b) -> Integer.compare(a.node().id(), b.node().id()));
    for (Map.Entry<String, Node> g : program.gradients().entrySet()) {
      String name = fresh("d" + g.getKey(), taken);
      Node value = model.values().get(g.getKey());
      lines.add(new Line(Kind.GRADIENT, name, g.getValue(), value, "gradient of " + g.getKey()));
    }
    return new ProgramLayout(program, List.copyOf(lines), names);
  }

  /** Nodes that read better written out than named: leaves, constants, forward values. */
  private static boolean trivial(Node n, Set<Node> forward) {
    Node inner = n.op() instanceof BatchMean ? n.input(0) : n;
    return forward.contains(inner) || inner.op() instanceof Constant || inner.op() instanceof Leaf;
  }

  private static void countUses(
      List<Node> roots, Set<Node> forward, Map<Node, String> names, Map<Node, Integer> uses) {
    Set<Node> expanded = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> stack = new ArrayList<>();
    for (Node r : roots) {
      if (expanded.add(r)) {
        stack.add(r);
      }
    }
    while (!stack.isEmpty()) {
      Node n = stack.removeLast();
      for (Node in : n.inputs()) {
        if (forward.contains(in)) {
          continue;
        }
        uses.merge(in, 1, Integer::sum);
        if (!names.containsKey(in) && expanded.add(in)) {
          stack.add(in);
        }
      }
    }
  }

  /** The line for one gradient and every line it needs, in order. */
  private static List<Line> needed(List<Line> lines, String wrt, Map<Node, String> names) {
    Map<String, Line> byName = new LinkedHashMap<>();
    lines.forEach(l -> byName.put(l.name(), l));
    Line target = null;
    for (Line l : lines) {
      if (l.kind() == Kind.GRADIENT && l.value() != null && wrt.equals(nameOfValue(l))) {
        target = l;
      }
    }
    if (target == null) {
      return List.of();
    }
    Set<String> keep = new HashSet<>();
    List<Node> stack = new ArrayList<>(List.of(target.node()));
    keep.add(target.name());
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    while (!stack.isEmpty()) {
      Node n = stack.removeLast();
      if (!seen.add(n)) {
        continue;
      }
      for (Node in : n.inputs()) {
        String name = names.get(in);
        if (name != null && byName.containsKey(name)) {
          if (keep.add(name)) {
            stack.add(byName.get(name).node());
          }
        } else {
          stack.add(in);
        }
      }
    }
    return lines.stream().filter(l -> keep.contains(l.name())).toList();
  }

  private static String nameOfValue(Line l) {
    return l.value().op() instanceof Leaf leaf ? leaf.name() : null;
  }

  private static String fresh(String wanted, Set<String> taken) {
    String name = wanted;
    for (int i = 2; !taken.add(name); i++) {
      name = wanted + "_" + i;
    }
    return name;
  }
}
