package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.Expr;
import dev.nabla.compiler.ast.Member;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.diag.Limits;
import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Origin;
import dev.nabla.compiler.graph.RecurrenceStep;
import dev.nabla.compiler.graph.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks one {@code for} loop and lowers it to a {@code Recurrence} node: the sequences and the
 * states' initial values are lowered in the model's scope (before the loop), the body in order
 * into a step graph of its own, where a state's name is its previous value until the line that
 * updates it and its new value after. Names the body reads from the model (params, inputs,
 * values computed before the loop) become the step's outer leaves. Besides what the body
 * collects, the step collects each state's value before the step: what the derivative's
 * backward loop reads to recompute a step (see {@code graph/Recurrence}).
 */
final class LoopChecker {
  /** What the loop needs from the model being checked. */
  record Context(
      Source source,
      Diagnostics diagnostics,
      Graph graph,
      Defs defs,
      Dims dims,
      List<CheckedModel.StableRewrite> rewrites,
      Lowering.Names outerNames,
      ShapeOf shapes) {}

  /** A declared shape, or null after reporting what is wrong with it. */
  interface ShapeOf {
    Shape of(String name, Span nameSpan, List<dev.nabla.compiler.ast.Dim> dims);
  }

  private final Context c;
  private final Member.Loop loop;
  /** Lowers the header's sequences and the states' initial values: before the loop. */
  private final Lowering before;

  private LoopChecker(Context c, Member.Loop loop) {
    this.c = c;
    this.loop = loop;
    this.before = new Lowering(c.source(), c.diagnostics(), c.graph(), c.defs(), this::resolveBefore, c.dims(), c.rewrites());
  }

  /** A name read before the loop: a model name, not one of the loop's own. */
  private Node resolveBefore(Expr.Name name) {
    boolean own = loop.sequences().stream().anyMatch(s -> s.name().equals(name.name()))
        || loop.body().stream().anyMatch(m -> m instanceof Member.Assign a && a.name().equals(name.name()));
    if (own) {
      error(name.span(), "'" + name.name() + "' is local to the loop: the sequences and the states' initial"
          + " values are computed before the loop starts");
      return null;
    }
    return c.outerNames().resolve(name);
  }

  /**
   * Each state's final value and each collected value, by name, as nodes of the model's graph;
   * null after reporting errors.
   */
  static Map<String, Node> lower(Context c, Member.Loop loop) {
    return new LoopChecker(c, loop).lower();
  }

  private void error(Span span, String message) {
    c.diagnostics().error(c.source(), span, message);
  }

  private Map<String, Node> lower() {
    int errorsBefore = c.diagnostics().errorCount();
    List<Node> sequences = sequences();
    List<Member.State> stateDecls = new ArrayList<>();
    for (Member m : loop.body()) {
      if (m instanceof Member.State s) {
        stateDecls.add(s);
      }
    }
    List<Shape> stateShapes = new ArrayList<>();
    List<Node> initials = new ArrayList<>();
    for (Member.State s : stateDecls) {
      Shape shape = c.shapes().of(s.name(), s.nameSpan(), s.shape());
      stateShapes.add(shape);
      initials.add(shape == null ? null : initial(s, shape));
    }
    if (sequences == null || initials.contains(null) || c.diagnostics().errorCount() > errorsBefore) {
      return null;
    }
    boolean batched = sequences.stream().anyMatch(Node::batched) || initials.stream().anyMatch(Node::batched);
    Body body = new Body(sequences, stateDecls, stateShapes, batched);
    if (!body.lower()) {
      return null;
    }
    if (!batched && body.updates.stream().anyMatch(Node::batched)) {
      // A state that a batched outer value feeds differs per instance: lower again with batched
      // state leaves, so that the step's nodes say so (no error can be new the second time).
      body = new Body(sequences, stateDecls, stateShapes, true);
      body.lower();
    }
    return body.build(initials);
  }

  /** The sequences, lowered before the loop: each of rank >= 1, all of one length. */
  private List<Node> sequences() {
    List<Node> nodes = new ArrayList<>();
    boolean ok = true;
    Member.Sequence first = null;
    for (Member.Sequence s : loop.sequences()) {
      Node n = before.lower(s.sequence());
      if (n == null) {
        ok = false;
        continue;
      }
      if (n.shape().rank() == 0) {
        error(s.sequence().span(), "a loop runs over the first axis of its sequences, but '"
            + ExprText.of(s.sequence()) + "' is a scalar");
        ok = false;
        continue;
      }
      if (first != null && n.shape().dim(0) != nodes.getFirst().shape().dim(0)) {
        error(s.sequence().span(), "the sequences of a loop must have one length: '"
            + ExprText.of(first.sequence()) + "' has " + nodes.getFirst().shape().dim(0) + " steps, '"
            + ExprText.of(s.sequence()) + "' has " + n.shape().dim(0));
        ok = false;
        continue;
      }
      if (first == null) {
        first = s;
      }
      nodes.add(n);
    }
    return ok ? nodes : null;
  }

  /** A state's value before the first step: its shape, or a scalar spread to it. */
  private Node initial(Member.State s, Shape shape) {
    Node n = before.lower(s.initial());
    if (n == null) {
      return null;
    }
    if (n.shape().equals(shape)) {
      return n;
    }
    if (n.shape().isScalar()) {
      Origin previous = c.graph().setOrigin(Origin.at(s.initial().span()));
      try {
        return c.graph().broadcast(n, shape);
      } finally {
        c.graph().setOrigin(previous);
      }
    }
    error(s.initial().span(), "the initial value of state '" + s.name() + "' is " + n.shape()
        + " but the state is " + shape);
    return null;
  }

  /** The body lowered into a step graph, in order. */
  private final class Body {
    private final Graph step = new Graph();
    private final List<Node> sequences;
    private final List<Member.State> stateDecls;
    private final boolean batchedStates;
    private final List<Node> elements = new ArrayList<>();
    private final List<Node> states = new ArrayList<>();
    private final List<Node> updates = new ArrayList<>();
    private final List<Span> updatedAt = new ArrayList<>();
    private final List<Node> collected = new ArrayList<>();
    private final List<String> collectNames = new ArrayList<>();
    /** What a name means at the current line of the body. */
    private final Map<String, Node> scope = new HashMap<>();
    /** Where each name the body defines is defined (line order is checked against it). */
    private final Map<String, Member> locals = new HashMap<>();
    private final Map<String, Node> labels = new LinkedHashMap<>();
    private final java.util.Set<String> misplaced = new java.util.HashSet<>();
    /** Outer nodes the step reads, to their leaves. */
    private final Map<Node, Node> outers = new IdentityHashMap<>();
    private final List<Node> outerNodes = new ArrayList<>();
    private final Lowering lowering;

    Body(List<Node> sequences, List<Member.State> stateDecls, List<Shape> shapes, boolean batchedStates) {
      this.sequences = sequences;
      this.stateDecls = stateDecls;
      this.batchedStates = batchedStates;
      this.lowering = new Lowering(c.source(), c.diagnostics(), step, c.defs(), this::resolve, c.dims(), c.rewrites());
      for (int i = 0; i < sequences.size(); i++) {
        Member.Sequence s = loop.sequences().get(i);
        Node seq = sequences.get(i);
        step.setOrigin(Origin.at(s.nameSpan()));
        Node leaf = step.leaf(RecurrenceStep.leafKind(seq.batched()), s.name(), seq.shape().without(0));
        elements.add(leaf);
        scope.put(s.name(), leaf);
      }
      for (int k = 0; k < stateDecls.size(); k++) {
        Member.State s = stateDecls.get(k);
        step.setOrigin(Origin.at(s.nameSpan()));
        Node leaf = step.leaf(RecurrenceStep.leafKind(batchedStates), s.name(), shapes.get(k));
        states.add(leaf);
        updates.add(null);
        updatedAt.add(null);
        scope.put(s.name(), leaf);
      }
    }

    /** Lowers every line; false after reporting errors. */
    boolean lower() {
      int errorsBefore = c.diagnostics().errorCount();
      for (Member m : loop.body()) {
        if (m instanceof Member.Assign || m instanceof Member.Collect) {
          locals.putIfAbsent(m.name(), m);
        } else if (!(m instanceof Member.State)) {
          misplaced.add(m.name()); // reported below; its uses stay quiet
        }
      }
      for (Member m : loop.body()) {
        switch (m) {
          case Member.State s -> {}
          case Member.Assign a -> assign(a);
          case Member.Collect col -> {
            Node v = lowering.lower(col.value());
            if (v != null) {
              collected.add(v);
              collectNames.add(col.name());
            }
          }
          case Member.Loop inner -> error(inner.nameSpan(), "a loop cannot be inside another loop: write it after"
              + " this one, over this loop's collected values");
          case Member.Output o -> error(o.span(), "'output " + o.name() + "' cannot be inside a loop: mark a"
              + " state or collected value as an output after the loop");
          case Member.Loss l -> error(l.span(), "'loss " + l.name() + "' cannot be inside a loop: compute the"
              + " loss after the loop, from its states or collected values");
          case Member.Input i -> declaration(i, "input");
          case Member.Target t -> declaration(t, "target");
          case Member.Param p -> declaration(p, "param");
          case Member.Hyper h -> declaration(h, "hyper");
          case Member.DimDecl d -> declaration(d, "dim");
        }
      }
      for (int k = 0; k < states.size(); k++) {
        if (updates.get(k) == null && c.diagnostics().errorCount() == errorsBefore) {
          Member.State s = stateDecls.get(k);
          error(s.nameSpan(), "state '" + s.name() + "' is never updated: the loop's step must give it"
              + " its next value, as in '" + s.name() + " = ...;'");
        }
      }
      return c.diagnostics().errorCount() == errorsBefore;
    }

    private void declaration(Member m, String keyword) {
      error(m.span(), "'" + keyword + " " + m.name() + "' cannot be inside a loop: declare it before the"
          + " loop (a loop's body holds statements, 'state' and 'collect')");
    }

    private void assign(Member.Assign a) {
      int k = stateIndex(a.name());
      if (k < 0 && locals.get(a.name()) != a) {
        Member first = locals.get(a.name());
        error(a.nameSpan(), "'" + a.name() + "' is already defined at line " + first.nameSpan().line()
            + " (every name is defined once)");
        return;
      }
      if (k < 0 && scope.containsKey(a.name())) {
        error(a.nameSpan(), "'" + a.name() + "' is already defined at line "
            + loop.sequences().stream().filter(s -> s.name().equals(a.name())).findFirst()
                .map(s -> s.nameSpan().line()).orElse(a.nameSpan().line())
            + " (every name is defined once)");
        return;
      }
      if (k >= 0 && updates.get(k) != null) {
        error(a.nameSpan(), "state '" + a.name() + "' is updated twice (line " + updatedAt.get(k).line()
            + " and here); a step updates each state once");
        return;
      }
      Node v = lowering.lower(a.value());
      if (v == null) {
        return;
      }
      if (k >= 0) {
        Shape shape = states.get(k).shape();
        if (!v.shape().equals(shape)) {
          error(a.nameSpan(), "the update of state '" + a.name() + "' is " + v.shape() + " but the state is "
              + shape + " (line " + stateDecls.get(k).nameSpan().line() + ")");
          return;
        }
        updates.set(k, v);
        updatedAt.set(k, a.nameSpan());
      } else {
        labels.putIfAbsent(a.name(), v);
      }
      scope.put(a.name(), v);
    }

    private int stateIndex(String name) {
      for (int k = 0; k < stateDecls.size(); k++) {
        if (stateDecls.get(k).name().equals(name)) {
          return k;
        }
      }
      return -1;
    }

    /** A name in the body: a step value, or a model value read as an outer leaf. */
    private Node resolve(Expr.Name name) {
      Node local = scope.get(name.name());
      if (local != null) {
        return local;
      }
      if (misplaced.contains(name.name())) {
        return null;
      }
      Member later = locals.get(name.name());
      if (later instanceof Member.Collect col) {
        error(name.span(), "'" + col.name() + "' is collected by this loop: it is its [T, ...] value after"
            + " the loop; inside the loop, use the value it collects");
        return null;
      }
      if (later != null) {
        error(name.span(), "'" + name.name() + "' is used before its line in the loop (line "
            + later.nameSpan().line() + "): a loop's lines run in order");
        return null;
      }
      Node outer = c.outerNames().resolve(name);
      if (outer == null) {
        return null;
      }
      if (outer.op() instanceof Constant k) {
        return step.constant(k.value());
      }
      return outers.computeIfAbsent(outer, o -> {
        outerNodes.add(o);
        Origin previous = step.setOrigin(Origin.at(name.span()));
        try {
          return step.leaf(RecurrenceStep.leafKind(o.batched()), name.name(), o.shape());
        } finally {
          step.setOrigin(previous);
        }
      });
    }

    /** The recurrence node and its outputs by name; null after an error about its size. */
    Map<String, Node> build(List<Node> initials) {
      int steps = sequences.getFirst().shape().dim(0);
      List<Node> allCollected = new ArrayList<>(collected);
      List<String> allNames = new ArrayList<>(collectNames);
      List<Span> spans = new ArrayList<>();
      collectNames.forEach(name -> spans.add(locals.get(name).nameSpan()));
      for (int k = 0; k < states.size(); k++) {
        if (!collected.contains(states.get(k))) {
          // saved for the derivative: the state before each step
          allCollected.add(states.get(k));
          allNames.add(stateDecls.get(k).name() + "_before");
          spans.add(stateDecls.get(k).nameSpan());
        }
      }
      for (int m = 0; m < allCollected.size(); m++) {
        long size = (long) steps * allCollected.get(m).shape().size();
        if (size > Limits.MAX_ELEMENTS) {
          String what = m < collected.size() ? "'" + allNames.get(m) + "'" : "the loop's saved values of '"
              + stateDecls.get(states.indexOf(allCollected.get(m))).name() + "' (one per step)";
          error(spans.get(m), what + " would have " + size + " elements; the limit is " + Limits.MAX_ELEMENTS);
          return null;
        }
      }
      Map<Node, String> stepLabels = new IdentityHashMap<>();
      labels.forEach((name, node) -> stepLabels.putIfAbsent(node, name));
      RecurrenceStep recurrenceStep = new RecurrenceStep(
          step, elements, states, outerNodes.stream().map(outers::get).toList(), updates, allCollected,
          stateDecls.stream().map(Member.State::name).toList(), allNames, stepLabels);
      Origin previous = c.graph().setOrigin(Origin.at(loop.nameSpan()));
      try {
        Node node = c.graph().recurrence(recurrenceStep, loop.reverse(), sequences, initials, outerNodes);
        List<Node> outputs = c.graph().recurrenceOutputs(node);
        Map<String, Node> named = new LinkedHashMap<>();
        for (int k = 0; k < states.size(); k++) {
          named.put(stateDecls.get(k).name(), outputs.get(k));
        }
        for (int m = 0; m < collectNames.size(); m++) {
          named.putIfAbsent(collectNames.get(m), outputs.get(states.size() + m));
        }
        return named;
      } finally {
        c.graph().setOrigin(previous);
      }
    }
  }
}
