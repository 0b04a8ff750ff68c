package dev.nabla.compiler.print;

import dev.nabla.compiler.autodiff.DerivativeProgram;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.graph.BatchMean;
import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Recurrence;
import dev.nabla.compiler.graph.RecurrenceOutput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

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
    GRADIENT,
    /** A loop of the derivative, printed as a block ({@link #loop}); its node is the recurrence. */
    LOOP
  }

  /**
   * One line: {@code name = node}. For an adjoint, {@code value} is the forward value it is the
   * adjoint of; for a gradient, the param or input.
   */
  public record Line(Kind kind, String name, Node node, Node value, String provenance) {}

  private final DerivativeProgram program;
  private final List<Line> lines;
  private final Map<Node, String> names;
  private final Map<Node, LoopLayout> loops;

  private ProgramLayout(
      DerivativeProgram program, List<Line> lines, Map<Node, String> names, Map<Node, LoopLayout> loops) {
    this.program = program;
    this.lines = lines;
    this.names = names;
    this.loops = loops;
  }

  /** The block of a {@link Kind#LOOP} line's recurrence. */
  LoopLayout loop(Node recurrence) {
    return loops.get(recurrence);
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
    return new ProgramLayout(program, List.copyOf(needed(lines, wrt, names)), names, loops);
  }

  private static ProgramLayout whole(DerivativeProgram program) {
    CheckedModel model = program.model();
    Set<Node> forward = Collections.newSetFromMap(new IdentityHashMap<>());
    forward.addAll(program.forward());
    Set<String> taken = new HashSet<>(model.values().keySet());
    // The model's loops' own names: a printed model-level name must not take one
    Set<String> loopLocals = new HashSet<>();
    for (Node n : program.forward()) {
      if (n.op() instanceof Recurrence r) {
        r.step().elements().forEach(e -> loopLocals.add(((Leaf) e.op()).name()));
        loopLocals.addAll(r.step().labels().values());
      }
    }
    taken.addAll(loopLocals);
    Map<Node, String> names = new IdentityHashMap<>();
    model.labels().forEach((node, label) -> names.put(node, label));

    // Adjoints of named values, in the order reverse mode made them. Their provenance is
    // written last, with every name of the program known.
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
      Line line = new Line(Kind.ADJOINT, name, adjoint, value, null);
      if (names.containsKey(adjoint)) {
        aliases.add(line);
      } else {
        names.put(adjoint, name);
        defined.put(adjoint, line);
      }
    }

    // Loops of the derivative (backward recurrences): a block each, their outputs named by their
    // states and collected values; a forward loop's saved states are read as previous(h).
    List<Node> loopNodes = derivativeLoops(defined.keySet(), program.gradients().values(), forward, names, model);
    for (Node loop : loopNodes) {
      Recurrence r = (Recurrence) loop.op();
      List<Node> outputs = model.graph().recurrenceOutputs(loop);
      for (int k = 0; k < outputs.size(); k++) {
        String wanted = k < r.stateCount()
            ? r.step().stateNames().get(k)
            : r.step().collectNames().get(k - r.stateCount());
        names.put(outputs.get(k), fresh(wanted, taken));
      }
      String label = "loop at " + loop.id(); // not a name: a loop is never written as an expression
      names.put(loop, label);
      defined.put(loop, new Line(Kind.LOOP, label, loop, null, loopProvenance(loop, program)));
    }

    // Temporaries: derivative subexpressions used more than once.
    List<Node> roots = new ArrayList<>(defined.keySet());
    roots.addAll(program.gradients().values());
    Map<Node, Integer> uses = new IdentityHashMap<>();
    countUses(roots, forward::contains, names, uses);
    for (Node loop : loopNodes) {
      // a loop's state starting at a constant is written with the constant (state s[3] = 0;)
      Recurrence r = (Recurrence) loop.op();
      for (Node initial : loop.inputs().subList(r.sequenceCount(), r.sequenceCount() + r.stateCount())) {
        if (LoopLayout.constantSpread(initial)) {
          uses.merge(initial, -1, Integer::sum);
        }
      }
    }
    Temporaries temporaries = new Temporaries(names, defined, taken);
    List<Node> shared = new ArrayList<>();
    for (Map.Entry<Node, Integer> e : uses.entrySet()) {
      if (e.getValue() > 1 && !names.containsKey(e.getKey()) && !trivial(e.getKey(), forward)) {
        shared.add(e.getKey());
      }
    }
    shared.sort((a, b) -> Integer.compare(a.id(), b.id()));
    for (Node n : shared) {
      temporaries.add(n, "used more than once");
    }
    splitLargeAndDeep(roots, temporaries);
    Map<Node, LoopLayout> loops = new IdentityHashMap<>();
    ExprWriter outer = new ExprWriter(names::get);
    for (Node loop : loopNodes) {
      loops.put(loop, LoopLayout.of(
          loop,
          names,
          (wanted, own) -> freshLocal(wanted, own, taken, loopLocals),
          () -> "t" + temporaries.counter++,
          n -> names.containsKey(n) ? names.get(n) : "(" + outer.write(n) + ")",
          model.graph().recurrenceOutputs(loop)));
    }

    Provenance provenance = new Provenance(program, names::get);
    List<Line> lines = new ArrayList<>();
    for (Line l : defined.values()) {
      lines.add(withProvenance(l, provenance));
    }
    for (Line l : aliases) {
      lines.add(withProvenance(l, provenance));
    }
    lines.sort((a, b) -> Integer.compare(a.node().id(), b.node().id()));
    for (Map.Entry<String, Node> g : program.gradients().entrySet()) {
      String name = fresh("d" + g.getKey(), taken);
      Node value = model.values().get(g.getKey());
      lines.add(new Line(Kind.GRADIENT, name, g.getValue(), value, "gradient of " + g.getKey()));
    }
    return new ProgramLayout(program, List.copyOf(lines), names, loops);
  }

  /**
   * The recurrences the derivative computes (not the model's own loops), inputs first; names the
   * saved states of the model's loops that they read {@code previous(h)}.
   */
  private static List<Node> derivativeLoops(
      java.util.Collection<Node> lineNodes,
      java.util.Collection<Node> gradients,
      Set<Node> forward,
      Map<Node, String> names,
      CheckedModel model) {
    List<Node> stack = new ArrayList<>(lineNodes);
    stack.addAll(gradients);
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> loops = new ArrayList<>();
    while (!stack.isEmpty()) {
      Node n = stack.removeLast();
      if (forward.contains(n) || !seen.add(n)) {
        continue;
      }
      if (n.op() instanceof RecurrenceOutput out && forward.contains(n.input(0)) && !names.containsKey(n)) {
        Node loop = n.input(0);
        Recurrence r = (Recurrence) loop.op();
        int m = out.index() - r.stateCount();
        int k = m < 0 ? -1 : r.step().states().indexOf(r.step().collected().get(m));
        if (k >= 0) {
          names.put(n, "previous(" + names.get(model.graph().recurrenceOutputs(loop).get(k)) + ")");
        }
        continue;
      }
      if (n.op() instanceof Recurrence) {
        loops.add(n);
      }
      stack.addAll(n.inputs());
    }
    loops.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return loops;
  }

  private static String loopProvenance(Node loop, DerivativeProgram program) {
    Recurrence r = (Recurrence) loop.op();
    String direction = r.reverse() ? "t = T-1 down to 0" : "t = 0 to T-1";
    int line = loop.origin().span().line();
    return "backward loop (backpropagation through time) of the loop" + (line > 0 ? " at line " + line : "")
        + ", " + direction + ": the forward step's derivative, its states the adjoints carried back"
        + " and the params' gradients summed over the steps";
  }

  /**
   * A fresh name for a value inside a printed loop: new to the model's names and the program's
   * lines, not one of the loop's {@code own} names, but it may be a name inside another loop (a
   * loop's names are its own). Taken from then on for the program's lines.
   */
  private static String freshLocal(String wanted, Set<String> own, Set<String> taken, Set<String> loopLocals) {
    String name = wanted;
    for (int i = 2; own.contains(name) || taken.contains(name) && !loopLocals.contains(name); i++) {
      name = wanted + "_" + i;
    }
    taken.add(name);
    loopLocals.add(name);
    return name;
  }

  private static Line withProvenance(Line l, Provenance provenance) {
    return l.kind() == Kind.ADJOINT
        ? new Line(l.kind(), l.name(), l.node(), l.value(), provenance.of(l.value()))
        : l;
  }

  /** Names {@code t1}, {@code t2}, ... given to nodes that get a line of their own. */
  private static final class Temporaries {
    private final Map<Node, String> names;
    private final Map<Node, Line> defined;
    private final Set<String> taken;
    private int counter = 1;

    Temporaries(Map<Node, String> names, Map<Node, Line> defined, Set<String> taken) {
      this.names = names;
      this.defined = defined;
      this.taken = taken;
    }

    void add(Node n, String why) {
      String name = fresh("t" + counter++, taken);
      names.put(n, name);
      defined.put(n, new Line(Kind.TEMPORARY, name, n, null, why));
    }
  }

  /**
   * Most nodes a subexpression that is written out at more than one place may have; a larger one
   * gets a line of its own. Without this, {@code tanh(tanh(...(w * x)...))} n deep writes each
   * forward value again in the derivative of every level: output quadratic in n.
   */
  static final int MAX_REPEATED_NODES = 16;

  /**
   * Deepest nesting of nodes written out in one line; a deeper part gets a line of its own, so
   * that every printed line parses back within the language's nesting limit, however long the
   * chain it comes from.
   */
  static final int MAX_LINE_DEPTH = 64;

  /**
   * Gives lines to what would otherwise be written out too often or too deeply: a subexpression
   * (forward values included) used at several places and larger than {@link #MAX_REPEATED_NODES},
   * and every {@link #MAX_LINE_DEPTH}-th level of a deep one. Then every node is written out at
   * most a bounded number of times and the printed program is linear in the graph's size.
   */
  private static void splitLargeAndDeep(List<Node> roots, Temporaries temporaries) {
    Map<Node, String> names = temporaries.names;
    Map<Node, Integer> uses = new IdentityHashMap<>();
    List<Node> written = countUses(roots, ProgramLayout::atom, names, uses);
    // Inputs before the nodes that use them (ids grow as the graph is built).
    written.sort((a, b) -> Integer.compare(a.id(), b.id()));
    Map<Node, int[]> measure = new IdentityHashMap<>();
    for (Node n : written) {
      int nodes = 1;
      int depth = 1;
      for (Node in : n.inputs()) {
        int[] m = names.containsKey(in) ? null : measure.get(in);
        if (m != null) {
          nodes += m[0];
          depth = Math.max(depth, m[1] + 1);
        }
      }
      if (uses.get(n) > 1 && nodes > MAX_REPEATED_NODES) {
        temporaries.add(n, "used more than once");
      } else if (depth > MAX_LINE_DEPTH) {
        temporaries.add(n, "part of a deeply nested expression");
      } else {
        measure.put(n, new int[] {nodes, depth});
      }
    }
  }

  /** Nodes always written out: a leaf is its name, a constant its number. */
  private static boolean atom(Node n) {
    return n.op() instanceof Leaf || n.op() instanceof Constant;
  }

  /** Nodes that read better written out than named: leaves, constants, forward values. */
  private static boolean trivial(Node n, Set<Node> forward) {
    Node inner = n.op() instanceof BatchMean ? n.input(0) : n;
    return forward.contains(inner) || inner.op() instanceof Constant || inner.op() instanceof Leaf;
  }

  /**
   * Counts the references to each node below the roots (not below named nodes, which are written
   * as their names) except {@code skipped} ones; returns the unnamed nodes reached.
   */
  private static List<Node> countUses(
      List<Node> roots, Predicate<Node> skipped, Map<Node, String> names, Map<Node, Integer> uses) {
    Set<Node> expanded = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> reached = new ArrayList<>();
    List<Node> stack = new ArrayList<>();
    for (Node r : roots) {
      if (expanded.add(r)) {
        stack.add(r);
      }
    }
    while (!stack.isEmpty()) {
      Node n = stack.removeLast();
      for (Node in : n.inputs()) {
        if (skipped.test(in)) {
          continue;
        }
        uses.merge(in, 1, Integer::sum);
        if (!names.containsKey(in) && expanded.add(in)) {
          stack.add(in);
          reached.add(in);
        }
      }
    }
    return reached;
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
