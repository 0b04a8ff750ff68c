package dev.nabla.compiler.check;

import dev.nabla.compiler.ast.Dim;
import dev.nabla.compiler.ast.Expr;
import dev.nabla.compiler.ast.Member;
import dev.nabla.compiler.ast.ModelDecl;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.check.CheckedModel.Declared;
import dev.nabla.compiler.check.CheckedModel.HyperInfo;
import dev.nabla.compiler.check.CheckedModel.ParamInfo;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.diag.Elided;
import dev.nabla.compiler.graph.Graph;
import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Origin;
import dev.nabla.compiler.graph.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one model and lowers it to its forward graph: declarations first (so every name is
 * known), then every statement, each lowered when first needed so that values may be used
 * before the line that defines them. A value reached again while it is being lowered closes a
 * cycle.
 */
final class ModelChecker {
  /** Declared values larger than this many elements are rejected (see docs/language.md, Limits). */
  static final long MAX_ELEMENTS = dev.nabla.compiler.diag.Limits.MAX_ELEMENTS;

  private enum State {
    LOWERING,
    DONE
  }

  private final Source source;
  private final Diagnostics diagnostics;
  private final ModelDecl model;
  private final Defs defs;
  private final Dims fileDims;
  /** The model's dims over the file's; made once the model's names are known. */
  private Dims dims;
  private final Graph graph = new Graph();
  private final List<CheckedModel.StableRewrite> rewrites = new ArrayList<>();
  private Lowering lowering;

  /** Every name the model defines, to the member that defines it. */
  private final Map<String, Member> members = new LinkedHashMap<>();
  /** Names refused because they are built-ins: reported once, so their uses stay quiet. */
  private final Set<String> refused = new HashSet<>();
  private final Map<String, Node> values = new LinkedHashMap<>();
  private final Map<String, State> states = new HashMap<>();
  private final List<String> lowerStack = new ArrayList<>();
  /** Names defined inside a loop's step (not visible after it), to their loop. */
  private final Map<String, Member.Loop> stepLocals = new HashMap<>();
  private final Set<Member.Loop> loweredLoops = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private LoopChecker.Context loops;

  ModelChecker(Source source, Diagnostics diagnostics, ModelDecl model, Defs defs, Dims fileDims) {
    this.source = source;
    this.diagnostics = diagnostics;
    this.model = model;
    this.defs = defs;
    this.fileDims = fileDims;
  }

  /** The checked model, or null when it has errors (all of them reported). */
  CheckedModel check() {
    int errorsBefore = diagnostics.errorCount();
    collectNames();
    List<Member.DimDecl> ownDims = new ArrayList<>();
    for (Member m : model.members()) {
      if (m instanceof Member.DimDecl d && members.get(d.name()) == d) {
        ownDims.add(d);
      }
    }
    dims = fileDims.forModel(ownDims, members);
    dims.evaluateAll();
    lowering = new Lowering(source, diagnostics, graph, defs, this::resolve, dims, rewrites);
    loops = new LoopChecker.Context(
        source, diagnostics, graph, defs, dims, rewrites, this::resolve, this::shapeOf);
    List<Declared> inputs = new ArrayList<>();
    List<Declared> targets = new ArrayList<>();
    List<ParamInfo> params = new ArrayList<>();
    List<HyperInfo> hypers = new ArrayList<>();
    List<String> gradInputs = new ArrayList<>();
    for (Member m : model.members()) {
      if (members.get(m.name()) != m) {
        continue;
      }
      switch (m) {
        case Member.Input in -> {
          Node leaf = leaf(Leaf.Kind.INPUT, m, in.shape());
          if (leaf != null) {
            inputs.add(new Declared(in.name(), leaf.shape(), leaf, in.nameSpan()));
            if (in.grad()) {
              gradInputs.add(in.name());
            }
          }
        }
        case Member.Target t -> {
          Node leaf = leaf(Leaf.Kind.TARGET, m, t.shape());
          if (leaf != null) {
            targets.add(new Declared(t.name(), leaf.shape(), leaf, t.nameSpan()));
          }
        }
        case Member.Param p -> {
          Node leaf = leaf(Leaf.Kind.PARAM, m, p.shape());
          Initializer init = Initializers.check(p, source, diagnostics, dims::constantOf);
          if (leaf != null && init != null) {
            params.add(new ParamInfo(p.name(), leaf.shape(), init, leaf, p.nameSpan()));
          }
        }
        case Member.Hyper h -> {
          Double value = Lowering.constantValue(h.value(), dims::constantOf);
          if (value == null) {
            Expr culprit = Lowering.firstNonConstant(h.value(), dims::constantOf);
            diagnostics.error(
                source,
                culprit.span(),
                "hyper '" + h.name() + "' needs a number written in the model, like 'hyper "
                    + h.name() + " = 1e-4;' (it is a constant, not computed from "
                    + ExprText.of(culprit) + ")");
          } else {
            Node leaf = leaf(Leaf.Kind.HYPER, m, List.of());
            hypers.add(new HyperInfo(h.name(), value, leaf, h.nameSpan()));
          }
        }
        default -> {}
      }
    }
    for (Member m : model.members()) {
      if (m instanceof Member.Loop loop) {
        lowerLoop(loop);
      } else if (members.get(m.name()) == m && valueOf(m) != null) {
        resolveStatement(m.name());
      } else if (members.get(m.name()) != m && valueOf(m) != null) {
        // A statement whose name was refused (defined twice, or a built-in): the name error is
        // reported, but the expression may have errors of its own, and all errors are reported.
        lowering.lower(valueOf(m));
      }
    }
    Map<String, Node> outputs = outputs();
    String lossName = null;
    Node loss = null;
    for (Member m : model.members()) {
      if (m instanceof Member.Loss l) {
        if (lossName != null) {
          diagnostics.error(
              source,
              l.nameSpan(),
              "model '" + model.name() + "' has a second loss '" + l.name() + "'; the first is '"
                  + lossName + "' (a model has exactly one loss)");
          continue;
        }
        lossName = l.name();
        loss = values.get(l.name());
        if (loss != null && !loss.shape().isScalar()) {
          diagnostics.error(
              source,
              l.nameSpan(),
              "the loss must be a scalar per instance, but " + l.name() + " is " + loss.shape()
                  + "; reduce it, for example with sum(...)");
        }
      }
    }
    if (lossName == null) {
      diagnostics.error(
          source,
          model.nameSpan(),
          "model '" + model.name() + "' has no loss; add one, such as 'loss L = l2(y, d);'");
    }
    if (diagnostics.errorCount() > errorsBefore) {
      return null;
    }
    return new CheckedModel(
        model, source, graph, inputs, targets, params, hypers, values, labels(), outputs,
        lossName, loss, gradInputs, rewrites);
  }

  /** Records every defined name; reports duplicates and built-in names. */
  private void collectNames() {
    for (Member m : model.members()) {
      if (m instanceof Member.Output o && o.value() == null) {
        continue; // 'output Y;' marks an existing value; it defines nothing
      }
      if (m instanceof Member.State || m instanceof Member.Collect) {
        diagnostics.error(source, m.span(), m instanceof Member.State
            ? "'state' is only allowed inside a loop: it declares a value carried from step to step of"
                + " a 'for' loop"
            : "'collect' is only allowed inside a loop: it gathers a value from every step of a 'for' loop");
        continue;
      }
      if (m instanceof Member.Loop loop) {
        loop.defines().forEach(d -> define(d, loop));
        continue;
      }
      define(m, m);
    }
    for (Member m : model.members()) {
      if (m instanceof Member.Loop loop) {
        stepLocalNames(loop);
      }
    }
  }

  /**
   * The names a loop's step defines for itself (its sequences' elements and its values) are not
   * model names, but may not hide one either: one name, one meaning in a model.
   */
  private void stepLocalNames(Member.Loop loop) {
    List<Member> locals = new ArrayList<>();
    for (Member.Sequence s : loop.sequences()) {
      locals.add(new Member.Assign(s.name(), s.nameSpan(), s.sequence(), s.span()));
    }
    for (Member m : loop.body()) {
      Member own = m instanceof Member.Assign a ? definer(loop, a.name()) : null;
      if (m instanceof Member.Assign a && own == null) {
        locals.add(a);
      } else if (m instanceof Member.Assign a && !(own instanceof Member.State)) {
        diagnostics.error(source, a.nameSpan(), "'" + a.name() + "' is already defined at line "
            + lineInLoop(loop, a.name()) + " (every name is defined once)");
      }
    }
    for (Member m : locals) {
      String refusal = ReservedNames.refusal(m.name(), "value");
      Member first = members.get(m.name());
      if (refusal != null) {
        diagnostics.error(source, m.nameSpan(), refusal);
      } else if (first != null || fileDims.fileDim(m.name()) != null) {
        int line = first != null ? first.nameSpan().line() : fileDims.fileDim(m.name()).nameSpan().line();
        diagnostics.error(source, m.nameSpan(), "'" + m.name() + "' is already defined at line " + line
            + " (every name is defined once)");
      } else {
        stepLocals.putIfAbsent(m.name(), loop);
      }
    }
  }

  /** Records the name {@code m} defines as a name of {@code owner} (itself, or its loop). */
  private void define(Member m, Member owner) {
    String refusal = ReservedNames.refusal(m.name(), m instanceof Member.DimDecl ? "dim" : "value");
    if (refusal != null) {
      diagnostics.error(source, m.nameSpan(), refusal);
      refused.add(m.name());
      return;
    }
    Member.DimDecl fileDim = fileDims.fileDim(m.name());
    if (fileDim != null) {
      String what = m instanceof Member.DimDecl ? "a model cannot redeclare it" : "give this value another name";
      diagnostics.error(
          source,
          m.nameSpan(),
          "'" + m.name() + "' is a dim of the file (line " + fileDim.nameSpan().line() + "); " + what);
      refused.add(m.name());
      return;
    }
    Member first = members.get(m.name());
    if (first != null) {
      int line = first instanceof Member.Loop loop ? lineInLoop(loop, m.name()) : first.nameSpan().line();
      diagnostics.error(
          source,
          m.nameSpan(),
          "'" + m.name() + "' is already defined at line " + line + " (every name is defined once)");
      return;
    }
    members.put(m.name(), owner);
  }

  private static int lineInLoop(Member.Loop loop, String name) {
    return definer(loop, name).nameSpan().line();
  }

  /** The state or collect of {@code loop} that defines {@code name}, or null. */
  private static Member definer(Member.Loop loop, String name) {
    return loop.defines().stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
  }

  /** Lowers a loop once, defining its states' final values and its collected values. */
  private void lowerLoop(Member.Loop loop) {
    if (!loweredLoops.add(loop)) {
      return;
    }
    List<Member> defined = loop.defines().stream().filter(d -> members.get(d.name()) == loop).toList();
    defined.forEach(d -> states.put(d.name(), State.LOWERING));
    lowerStack.add(defined.isEmpty() ? "for" : defined.getFirst().name());
    Map<String, Node> outputs = LoopChecker.lower(loops, loop);
    lowerStack.removeLast();
    for (Member d : defined) {
      states.put(d.name(), State.DONE);
      values.put(d.name(), outputs == null ? null : outputs.get(d.name()));
    }
  }

  private Node leaf(Leaf.Kind kind, Member m, List<Dim> shape) {
    Shape s = shapeOf(m.name(), m.nameSpan(), shape);
    if (s == null) {
      return null;
    }
    graph.setOrigin(Origin.at(m.nameSpan()));
    Node node = graph.leaf(kind, m.name(), s);
    values.put(m.name(), node);
    states.put(m.name(), State.DONE);
    return node;
  }

  /** A declared shape, or null after reporting what is wrong with it. */
  Shape shapeOf(String name, Span nameSpan, List<Dim> shape) {
    if (shape.size() > Shape.MAX_RANK) {
      diagnostics.error(
          source,
          shape.get(Shape.MAX_RANK).span(),
          "'" + name + "' has " + shape.size() + " dimensions; values have at most " + Shape.MAX_RANK);
      return null;
    }
    long elements = 1;
    List<Integer> sizes = new ArrayList<>();
    boolean failed = false;
    for (Dim d : shape) {
      // Every dimension is evaluated, so that each one's error is reported.
      Integer size = dims.whole(d.size(), "a dimension must be a whole number");
      if (size != null && size <= 0) {
        diagnostics.error(source, d.span(), "a dimension must be at least 1, not " + size);
        size = null;
      }
      failed |= size == null;
      if (size != null) {
        sizes.add(size);
        // saturating: six dims of 2^31 would overflow a long
        elements = elements > Long.MAX_VALUE / size ? Long.MAX_VALUE : elements * size;
      }
    }
    if (failed) {
      return null;
    }
    if (elements > MAX_ELEMENTS) {
      diagnostics.error(
          source,
          nameSpan,
          "'" + name + "' has " + (elements == Long.MAX_VALUE ? "more than 2^63" : elements)
              + " elements; the limit is " + MAX_ELEMENTS);
      return null;
    }
    return new Shape(sizes);
  }

  /** The expression of a statement member, or null for declarations. */
  private static Expr valueOf(Member m) {
    return switch (m) {
      case Member.Assign a -> a.value();
      case Member.Output o -> o.value();
      case Member.Loss l -> l.value();
      default -> null;
    };
  }

  /** Called by lowering for every model name an expression mentions. */
  private Node resolve(Expr.Name name) {
    Member m = members.get(name.name());
    Member.Loop loop = stepLocals.get(name.name());
    if (m == null && loop != null) {
      diagnostics.error(source, name.span(), "'" + name.name() + "' is local to the loop at line "
          + loop.nameSpan().line() + ": after the loop only its states and collected values are visible"
          + " (collect it, as in 'collect " + name.name() + "s = " + name.name() + ";')");
      return null;
    }
    if (m == null) {
      if (!refused.contains(name.name())) {
        diagnostics.error(source, name.span(), undefined(name.name()));
      }
      return null;
    }
    if (states.get(name.name()) == State.LOWERING) {
      int at = lowerStack.indexOf(name.name());
      List<String> cycle = new ArrayList<>(lowerStack.subList(at, lowerStack.size()));
      cycle.add(name.name());
      Member first = members.get(cycle.getFirst());
      String message =
          cycle.size() == 2
              ? "'" + name.name() + "' is used in its own definition"
                  + " (a value cannot depend on itself)"
              : "cycle between values: " + Elided.join(" -> ", cycle)
                  + " (a value cannot depend on itself)";
      diagnostics.error(source, first.nameSpan(), message);
      return null;
    }
    return resolveStatement(name.name());
  }

  private String undefined(String name) {
    if (Builtins.get(name) != null) {
      return "'" + name + "' is a built-in function; call it, as in " + name + "(...)";
    }
    if (defs.contains(name)) {
      return "'" + name + "' is a def; call it, as in " + name + "(...)";
    }
    return "undefined name '" + name + "'" + Suggest.didYouMean(name, members.keySet());
  }

  private Node resolveStatement(String name) {
    if (states.containsKey(name)) {
      return values.get(name);
    }
    Member m = members.get(name);
    if (m instanceof Member.Loop loop) {
      lowerLoop(loop);
      return values.get(name);
    }
    if (valueOf(m) == null) {
      // A declaration whose leaf was not made (a bad shape or hyper value): its error is already
      // reported, and the expressions that use it stop here without a second message.
      states.put(name, State.DONE);
      return null;
    }
    states.put(name, State.LOWERING);
    lowerStack.add(name);
    Node node = lowering.lower(valueOf(m));
    lowerStack.removeLast();
    states.put(name, State.DONE);
    values.put(name, node);
    return node;
  }

  private Map<String, Node> outputs() {
    Map<String, Node> outputs = new LinkedHashMap<>();
    for (Member m : model.members()) {
      if (m instanceof Member.Output o) {
        if (o.value() != null && members.get(o.name()) != o) {
          continue; // 'output Y = ...;' defining Y a second time: reported as a duplicate name
        }
        if (o.value() == null && (members.get(o.name()) instanceof Member.DimDecl || dims.isDim(o.name()))) {
          diagnostics.error(source, o.nameSpan(), "'" + o.name() + "' is a dim, a constant the generated"
              + " code does not return; output a value computed from it, as in 'output Y = ...;'");
          continue;
        }
        if (o.value() == null && !members.containsKey(o.name())) {
          if (!refused.contains(o.name())) {
            diagnostics.error(source, o.nameSpan(), undefinedOutput(o.name()));
          }
          continue;
        }
        if (outputs.containsKey(o.name())) {
          diagnostics.error(source, o.nameSpan(), "'" + o.name() + "' is already an output");
          continue;
        }
        outputs.put(o.name(), values.get(o.name()));
      }
    }
    // Only a model without any 'output' line lacks one; an 'output Y;' naming nothing is
    // reported above, and saying "no output" as well would be a second message for one mistake.
    if (model.members().stream().noneMatch(m -> m instanceof Member.Output)) {
      diagnostics.error(
          source,
          model.nameSpan(),
          "model '" + model.name()
              + "' has no output; mark a value with 'output', such as 'output Y = ...;' or 'output Y;'");
    }
    return outputs;
  }

  private String undefinedOutput(String name) {
    String hint = Suggest.didYouMean(name, members.keySet());
    return "output '" + name + "' is not defined in this model"
        + (hint.isEmpty() ? "; define it here, as in 'output " + name + " = ...;'" : hint);
  }

  /** Each node's first name in source order: declarations and statements alike. */
  private Map<Node, String> labels() {
    Map<Node, String> labels = new IdentityHashMap<>();
    for (Map.Entry<String, Node> e : values.entrySet()) {
      if (e.getValue() != null && !(e.getValue().op() instanceof dev.nabla.compiler.graph.Constant)) {
        labels.putIfAbsent(e.getValue(), e.getKey());
      }
    }
    return labels;
  }

  Span span() {
    return model.span();
  }
}
