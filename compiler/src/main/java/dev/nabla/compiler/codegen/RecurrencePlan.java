package dev.nabla.compiler.codegen;

import dev.nabla.compiler.codegen.Plan.Binding;
import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Recurrence;
import dev.nabla.compiler.graph.RecurrenceOutput;
import dev.nabla.compiler.graph.RecurrenceStep;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arrays of one recurrence's loop ({@link RecurrenceCode} writes it), all allocated once per
 * batch size in the class that runs the loop, so that a step allocates nothing:
 *
 * <ul>
 *   <li>per sequence, {@code [B, size]} rows: at step t the loop copies row t of every instance's
 *       sequence there, so that the step's products take the batch's rows as one matrix (none when
 *       the step reads the sequence in place, or only through a product hoisted before the loop);
 *   <li>per state, the array carrying it from step to step: the buffer of the state's final
 *       output when the program reads it (the last step leaves the final value there), else an
 *       array of its own; after each step the state's update is copied into it;
 *   <li>per value computed before the loop that has no array (a literal, a hyper), a copy in an
 *       array, made before the loop;
 *   <li>the step's own values: the arrays of {@link #step}, a plan of the step graph whose
 *       scratch values share arrays by liveness within the step ({@link MemoryPlan}).
 * </ul>
 *
 * Collected values go straight into their outputs' {@code [B, T, ...]} buffers, row t at step t.
 * A forward loop also writes the step values its backward loop reads into arrays of all steps
 * ({@link #saved}, {@link StepSaves}); a backward loop binds those values, and the sequences it
 * reads element by element, to rows of all steps read in place ({@link Plan.Rows}), where other
 * sequences are copied to rows per step.
 */
final class RecurrencePlan {
  /** An array of the loop's own: its field name and size per instance (or in all, when shared). */
  record Field(String name, int size, boolean batched) {}

  final Node node;
  final Recurrence op;
  final int steps;
  final Plan step;
  /** Per sequence: the field its step rows are copied into. */
  final List<String> rows = new ArrayList<>();
  /** Per state: the array carrying it (an output's buffer, or one of {@link #fields}). */
  final List<String> carried = new ArrayList<>();
  /** Per state: whether {@link #carried} is the final output's buffer. */
  final List<Boolean> carriedInOutput = new ArrayList<>();
  /** Per output (states, then collected values): its node in the pass, or null when unused. */
  final List<Node> outputs = new ArrayList<>();
  /**
   * Per state: null, or when its update is another state's value before the step ({@code h = c;
   * c = h;}), an array the update is copied to first, so that no state is overwritten before
   * it is read.
   */
  final List<String> swaps = new ArrayList<>();
  /** Per outer value: the field holding a copy of it, or null when the step reads it in place. */
  final List<String> copies = new ArrayList<>();
  /** The arrays of the loop's own, to declare. */
  final List<Field> fields = new ArrayList<>();

  /** The states that sum contributions for a batch mean ({@link LoopSums}): no array carries them. */
  final List<LoopSums.Sum> sums;
  /**
   * Per outer-product term of {@link #sums} (in order): for u and v, the array holding their rows
   * of all steps ({@code [B, T, size]}): a sequence the loop reads, or a field the loop fills.
   */
  final List<Gathered> gathered = new ArrayList<>();
  /** Products of the step computed for every step before the loop ({@link Hoisted}). */
  final List<Hoisted> hoisted = new ArrayList<>();

  /**
   * The rows of all steps of a step value: {@code field} when the loop gathers them (row t at
   * step t), or {@code sequence} (a node of the model's plan) when they are an input sequence.
   */
  record Gathered(Node value, String field, Node sequence) {}

  /**
   * A product {@code W @ x} of the step whose x is a sequence's element and W a value computed
   * before the loop: the same for every step but x, so it is one product over the
   * {@code B * T} rows of the sequence before the loop ({@code field}, time-major {@code [T, B, m]},
   * over the sequence's {@link TimeMajor} copy), and the step reads its rows in place or copies
   * them (what torch's CPU LSTM does with its input projection).
   */
  record Hoisted(Node product, Node matrix, boolean transposed, Node sequence, String field) {}

  RecurrencePlan(Plan plan, Node node, JavaNames names, boolean fuseProducts) {
    this.node = node;
    this.op = (Recurrence) node.op();
    this.steps = Recurrence.steps(node.inputs().stream().map(Node::shape).toList());
    this.sums = plan.loopSums(node);
    RecurrenceStep s = op.step();
    for (int k = 0; k < op.outputCount(); k++) {
      outputs.add(null);
    }
    for (Node c : plan.consumers(node)) {
      if (c.op() instanceof RecurrenceOutput o) {
        outputs.set(o.index(), c);
      }
    }
    Map<Node, Binding> bindings = new IdentityHashMap<>();
    StepSaves saves = plan.stepSaves();
    Map<Node, Node> restored = saves.restored(node);
    boolean backwardLoop = saves.forwardLoop(node) != null;
    for (int i = 0; i < s.elements().size(); i++) {
      Node leaf = s.elements().get(i);
      int size = leaf.shape().size();
      Node sequence = sequence(i);
      if (backwardLoop && holdsArray(plan.storage(sequence)) && sequence.batched() && leaf.batched()
          && StepSaves.readElementwise(s, leaf, restored.keySet())) {
        // Read in place, row t of each instance's [T, size] sequence: no copy per step.
        rows.add(null);
        bindings.put(leaf, new Binding(sequence, null, new Plan.Rows(step(names).times(size), steps * size, false)));
        continue;
      }
      String field = own(names, ((Leaf) leaf.op()).name() + "_rows", size, leaf.batched());
      rows.add(field);
      bindings.put(leaf, new Binding(null, field));
    }
    if (!restored.isEmpty()) {
      RecurrencePlan forward = plan.recurrence(saves.forwardLoop(node));
      for (Map.Entry<Node, Node> e : restored.entrySet()) {
        int size = e.getKey().shape().size();
        Ix base = new Ix.Bin(step(names), '*', Locals.BATCH).times(size);
        bindings.put(e.getKey(), new Binding(null, forward.savedField(e.getValue()), new Plan.Rows(base, size, true)));
      }
    }
    for (Node v : saves.saved(node)) {
      String wanted = s.labels().getOrDefault(v, "s" + v.id()) + "_saved";
      this.saved.add(new Saved(v, own(names, wanted, steps * v.shape().size(), true)));
    }
    for (int k = 0; k < s.states().size(); k++) {
      Node leaf = s.states().get(k);
      if (summed(k)) {
        carried.add(null);
        carriedInOutput.add(false);
        swaps.add(null);
        continue;
      }
      Node out = outputs.get(k);
      boolean inOutput = out != null && out.batched() == leaf.batched() && plan.name(out) != null
          && plan.slot(out) == null && (plan.storage(out) == Storage.FORWARD || plan.storage(out) == Storage.BACKWARD);
      String field = inOutput ? plan.name(out) : own(names, s.stateNames().get(k), leaf.shape().size(), leaf.batched());
      carried.add(field);
      carriedInOutput.add(inOutput);
      bindings.put(leaf, new Binding(null, field));
      Node update = s.updates().get(k);
      boolean other = update != leaf && s.states().contains(update);
      swaps.add(other ? own(names, s.stateNames().get(k) + "_swap", leaf.shape().size(), leaf.batched()) : null);
    }
    int first = op.sequenceCount() + op.stateCount();
    for (int o = 0; o < s.outers().size(); o++) {
      Node leaf = s.outers().get(o);
      Node outer = node.input(first + o);
      if (holdsArray(plan.storage(outer))) {
        copies.add(null);
        bindings.put(leaf, new Binding(outer, null));
      } else {
        String field = own(names, "outer" + o, leaf.shape().size(), leaf.batched());
        copies.add(field);
        bindings.put(leaf, new Binding(null, field));
      }
    }
    List<Node> results = new ArrayList<>();
    for (int k = 0; k < s.states().size(); k++) {
      if (!summed(k)) {
        results.add(s.updates().get(k));
      }
    }
    for (int m = 0; m < s.collected().size(); m++) {
      if (outputs.get(op.stateCount() + m) != null) {
        results.add(s.collected().get(m));
      }
    }
    for (Saved v : saved) {
      results.add(v.value());
    }
    for (LoopSums.Sum sum : sums) {
      for (LoopSums.Term term : sum.terms()) {
        results.add(term.u());
        if (term.outer()) {
          results.add(term.v());
          gathered.add(gather(plan, names, s, term.u()));
          gathered.add(gather(plan, names, s, term.v()));
        }
      }
    }
    java.util.Set<Node> arrayElements = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < s.elements().size(); i++) {
      if (holdsArray(plan.storage(sequence(i))) && sequence(i).batched()) {
        arrayElements.add(s.elements().get(i));
      }
    }
    Plan built = new Plan(plan, s, results, bindings, arrayElements, names, fuseProducts);
    if (fuseProducts && readsRowsInKernel(built)) {
      // a fused product's kernel reads its saved operand at offset 0: not from rows of all steps
      built = new Plan(plan, s, results, bindings, arrayElements, names, false);
    }
    this.step = built;
    for (Node v : step.forwardNodes()) {
      Hoisted h = hoist(plan, names, s, v);
      if (h != null) {
        hoisted.add(h);
      }
    }
    for (Node v : step.forwardNodes()) {
      combine(v);
    }
    for (Combined c : combined) {
      place(c.sum(), c.parts().getFirst().field(), names);
    }
    for (Hoisted h : hoisted) {
      if (combinedUnder(h.product()) == null) {
        place(h.product(), h.field(), names);
      }
    }
    for (Saved v : saved) {
      if (computedInSaves(s, v.value())) {
        int size = v.value().shape().size();
        step.placeInRows(v.value(), v.field(), new Plan.Rows(new Ix.Bin(step(names), '*', Locals.BATCH).times(size),
            size, false));
      }
    }
    for (Node v : step.forwardNodes()) {
      pack(names, v);
    }
    for (int k = 0; k < s.states().size(); k++) {
      if (carried.get(k) != null && swaps.get(k) == null && updatableInPlace(s, k)) {
        step.alias(s.updates().get(k), carried.get(k));
        inPlace.add(k);
      }
    }
    for (int i = 0; i < rows.size(); i++) {
      String field = rows.get(i);
      if (field != null && !RecurrenceCode.readsRows(this, s.elements().get(i))) {
        fields.removeIf(f -> f.name().equals(field)); // read only in place or by a hoisted product
        rows.set(i, null);
      }
    }
    step(names); // the step's row copies are loop methods: they read t from a field
  }

  /**
   * A step's sum of two hoisted products ({@code Wx @ x + Wh @ h} in a backward loop, where h is
   * a saved state), or of one and a product of the step ({@code Wx @ x + Wh @ h} in a forward
   * loop): the hoisted parts are accumulated into the first's rows before the loop, and at each
   * step the sum is its row t, plus the step's product accumulated onto it by the product's own
   * kernel, in place of two arrays and a loop adding them.
   */
  record Combined(Node sum, List<Hoisted> parts, Node perStep, Node bias) {}

  /** The step's combined sums ({@link Combined}). */
  final List<Combined> combined = new ArrayList<>();

  private void combine(Node v) {
    if (!(v.op() instanceof dev.nabla.compiler.graph.Binary b && b.fn() == dev.nabla.compiler.graph.BinaryFn.ADD)
        || step.storage(v) != Storage.FORWARD || step.fusion().silent(v) || !v.batched()
        || v.input(0) == v.input(1) || !v.input(0).shape().equals(v.shape()) || !v.input(1).shape().equals(v.shape())) {
      return;
    }
    Hoisted left = hoistedAt(v.input(0));
    Hoisted right = hoistedAt(v.input(1));
    if (!onlyRead(v.input(0), v) || !onlyRead(v.input(1), v) || partOfCombined(left) || partOfCombined(right)) {
      return;
    }
    if (left != null && right != null) {
      fields.removeIf(f -> f.name().equals(right.field())); // accumulated into left's rows
      combined.add(withBias(new Combined(v, List.of(left, right), null, null)));
    } else if (left != null || right != null) {
      Node other = left != null ? v.input(1) : v.input(0);
      if (stepProduct(other)) {
        combined.add(withBias(new Combined(v, List.of(left != null ? left : right), other, null)));
      }
    }
  }

  /**
   * A combined sum plus a bias, {@code (Wx @ x + Wh @ h) + b} with {@code b} a vector of the
   * model's shared by the batch (read where it lies): the bias is added by the hoisted product's
   * kernel before the loop ({@code Gemm.abT} with a bias), so the sum computed at each step is the
   * bias's addition and no step runs a pass over its {@code [B, m]} rows to add it. The rounding
   * differs from adding the bias last: {@code (Wx x + b) + Wh h} (what the anchors' LSTMs do with
   * their input bias; docs/language.md, "Recurrence").
   */
  private Combined withBias(Combined c) {
    Node v = c.sum();
    List<Node> users = step.consumers(v);
    if (users.size() != 1 || step.isRoot(v)) {
      return c;
    }
    Node add = users.getFirst();
    if (!(add.op() instanceof dev.nabla.compiler.graph.Binary b && b.fn() == dev.nabla.compiler.graph.BinaryFn.ADD)
        || add.input(0) == add.input(1) || step.storage(add) != Storage.FORWARD || step.fusion().silent(add)
        || !add.batched() || !add.shape().equals(v.shape())) {
      return c;
    }
    Node bias = add.input(0) == v ? add.input(1) : add.input(0);
    boolean shared = !bias.batched() && bias.shape().equals(v.shape()) && step.binding(bias) != null
        && step.binding(bias).outer() != null && step.binding(bias).rows() == null;
    return shared ? new Combined(add, c.parts(), c.perStep(), bias) : c;
  }

  private boolean onlyRead(Node value, Node by) {
    return step.consumers(value).size() == 1 && step.consumers(value).getFirst() == by && !step.isRoot(value);
  }

  private boolean partOfCombined(Hoisted h) {
    return h != null && combined.stream().anyMatch(c -> c.parts().contains(h));
  }

  /**
   * A product of the step {@code W @ v} or {@code W.T @ v} ({@link #stepProduct}, not fused with
   * other work) that {@code PackedGemm} computes for each range of instances inside the step's
   * loop split by instances, from W packed once before the loop into {@code field} (of
   * {@code PackedGemm.length(n, k)} values, shared by the products of one W read one way): a step
   * then neither packs W nor hands the product to the threads on its own.
   */
  record Packed(Node product, Node matrix, boolean transposed, String field, int n, int k) {}

  /** The step's packed products ({@link Packed}). */
  final List<Packed> packed = new ArrayList<>();

  /** The packed product computed at {@code v} (alone, or as its combined sum's per-step part), or null. */
  Packed packedAt(Node v) {
    return packed.stream().filter(p -> p.product() == v).findFirst().orElse(null);
  }

  private void pack(JavaNames names, Node v) {
    Combined c = combinedUnder(v);
    if (!stepProduct(v) || hoistedAt(v) != null || c != null && c.perStep() != v
        || step.fusion().layerAt(v) != null || step.fusion().derivativeAt(v) != null
        || rowsBound(v) || rowsBound(v.input(1))) {
      return;
    }
    Node matrix = matrixOf(v);
    boolean transposed = matrix != v.input(0);
    int n = v.shape().dim(0);
    int k = v.input(1).shape().dim(0);
    String field = packed.stream().filter(p -> p.matrix() == matrix && p.transposed() == transposed)
        .map(Packed::field).findFirst().orElse(null);
    if (field == null) {
      String wanted = (matrix.op() instanceof Leaf l ? l.name() : "w" + matrix.id()) + (transposed ? "_packedT" : "_packed");
      field = own(names, wanted, dev.nabla.runtime.kernels.PackedGemm.length(n, k), false);
    }
    packed.add(new Packed(v, matrix, transposed, field, n, k));
  }

  /** Whether a step value is read in place from rows of all steps (no kernel takes it at offset 0). */
  private boolean rowsBound(Node v) {
    return step.binding(v) != null && step.binding(v).rows() != null;
  }

  /** A layer product of the step, {@code W @ h}: W an array of the model's, h per instance with an array. */
  private boolean stepProduct(Node n) {
    if (!(n.op() instanceof dev.nabla.compiler.graph.MatMul) || step.storage(n) != Storage.FORWARD
        || step.fusion().silent(n) || n.shape().rank() != 1 || !n.input(1).batched()) {
      return false;
    }
    Node matrix = matrixOf(n);
    Storage vs = step.storage(n.input(1));
    return step.binding(matrix) != null && step.binding(matrix).outer() != null && !matrix.batched()
        && matrix.shape().rank() == 2 && (vs == Storage.INPUT || vs == Storage.FORWARD);
  }

  /** The matrix of a product {@code W @ v} or {@code W.T @ v} as held (a transpose read in place). */
  Node matrixOf(Node product) {
    Node m = product.input(0);
    return step.storage(m) == Storage.ABSORBED && m.op() instanceof dev.nabla.compiler.graph.Transpose ? m.input(0) : m;
  }

  /** The combined sum whose part or per-step product {@code v} is (it emits nothing of its own), or null. */
  Combined combinedUnder(Node v) {
    for (Combined c : combined) {
      boolean biasedSum = c.bias() != null && c.sum().inputs().contains(v) && v != c.bias();
      if (c.perStep() == v || biasedSum || c.parts().stream().anyMatch(h -> h.product() == v)) {
        return c;
      }
    }
    return null;
  }

  /** The combined sum computed at {@code v}, or null. */
  Combined combinedAt(Node v) {
    return combined.stream().filter(c -> c.sum() == v).findFirst().orElse(null);
  }

  /** The rows a hoisted product is computed into: its own, or its combined sum's first part's. */
  String rowsOf(Hoisted h) {
    for (Combined c : combined) {
      if (c.parts().contains(h)) {
        return c.parts().getFirst().field();
      }
    }
    return h.field();
  }

  /** The bias a hoisted product adds in its kernel: its combined sum's, when it is the sum's first part; else null. */
  Node biasOf(Hoisted h) {
    for (Combined c : combined) {
      if (c.parts().getFirst() == h) {
        return c.bias();
      }
    }
    return null;
  }

  /** Whether state k is a sum for a batch mean. */
  boolean summed(int k) {
    return sums.stream().anyMatch(sum -> sum.state() == k);
  }

  /** The hoisted product computed at a step value, or null. */
  Hoisted hoistedAt(Node v) {
    return hoisted.stream().filter(h -> h.product() == v).findFirst().orElse(null);
  }

  /** Where the rows of all steps of an outer-product operand come from. */
  private Gathered gather(Plan plan, JavaNames names, RecurrenceStep s, Node value) {
    for (Gathered g : gathered) {
      if (g.value() == value) {
        return g; // one value in several terms (dz in both dWx and dWh) is gathered once
      }
    }
    int element = s.elements().indexOf(value);
    if (element >= 0 && holdsArray(plan.storage(sequence(element))) && sequence(element).batched()) {
      return new Gathered(value, null, sequence(element));
    }
    String wanted = value.op() instanceof Leaf l ? l.name() : s.labels().getOrDefault(value, "s" + value.id());
    return new Gathered(value, own(names, wanted + "_steps", steps * value.shape().size(), true), null);
  }

  /**
   * A sequence that hoisted products read, copied before the loop into {@code field} in
   * time-major order ({@code [T, B, size]}, {@code Steps.timeMajor}): the products over its rows
   * then leave each step's rows of the batch contiguous.
   */
  record TimeMajor(Node sequence, String field, int size) {}

  /** The sequences hoisted products read, each copied time-major once. */
  final List<TimeMajor> timeMajor = new ArrayList<>();

  /** The time-major copy of a sequence that hoisted products read. */
  String timeMajorOf(Node sequence) {
    for (TimeMajor m : timeMajor) {
      if (m.sequence() == sequence) {
        return m.field();
      }
    }
    throw new IllegalStateException("internal: no time-major copy of " + sequence);
  }

  private void timeMajor(JavaNames names, Node sequence, Node element) {
    if (timeMajor.stream().noneMatch(m -> m.sequence() == sequence)) {
      String wanted = ((Leaf) element.op()).name() + "_time_major";
      int size = element.shape().size();
      timeMajor.add(new TimeMajor(sequence, own(names, wanted, steps * size, true), size));
    }
  }

  /**
   * A step value computed into the rows of all steps of a hoisted product ({@code [T, B, m]}),
   * at step t's rows, when every reader of it reads it element by element (through {@link
   * Addressing#at}, which adds the rows' offset): then the step neither copies the rows out nor
   * keeps an array of its own for it.
   */
  private void place(Node v, String field, JavaNames names) {
    if (step.isRoot(v) || !v.batched() || !readInPlace(v)) {
      return;
    }
    int size = v.shape().size();
    Ix base = new Ix.Bin(step(names), '*', Locals.BATCH).times(size);
    step.placeInRows(v, field, new Plan.Rows(base, size, false));
  }

  /**
   * Whether a saved value is computed straight into step t's rows of its array of all steps
   * ({@link Saved}), with no copy after the step: an elementwise value written by its own loop
   * (or the activation kernel), which write through {@link Addressing#at} or at its rows' offset,
   * read only element by element, and no other result of the step (a state's update or a
   * collected value is copied from its own array).
   */
  private boolean computedInSaves(RecurrenceStep s, Node v) {
    boolean elementwise = v.op() instanceof dev.nabla.compiler.graph.Unary
        || v.op() instanceof dev.nabla.compiler.graph.Binary || v.op() instanceof dev.nabla.compiler.graph.Where;
    return elementwise && v.batched() && step.storage(v) == Storage.FORWARD && !step.aliased(v)
        && step.binding(v) == null && !step.fusion().silent(v) && step.fusion().layerAt(v) == null
        && step.fusion().derivativeAt(v) == null && step.fusion().writtenAt(v) == v && !step.padSums().isSum(v)
        && combinedAt(v) == null && combinedUnder(v) == null && hoistedAt(v) == null
        && !s.updates().contains(v) && !s.collected().contains(v) && gathered.stream().noneMatch(g -> g.value() == v)
        && sums.stream().flatMap(sum -> sum.terms().stream()).noneMatch(t -> t.u() == v || t.v() == v)
        && readInPlace(v);
  }

  /** Whether every reader of {@code v} reads it element by element (slices of it read in place too). */
  private boolean readInPlace(Node v) {
    for (Node c : step.consumers(v)) {
      boolean slice = c.op() instanceof dev.nabla.compiler.graph.Slice && step.storage(c) == Storage.INLINE;
      if (slice ? !step.consumers(c).stream().allMatch(this::elementwiseReader) : !elementwiseReader(c)) {
        return false;
      }
    }
    return true;
  }

  /** An elementwise value emitted by its own loop or inline in another's (no fused product reads it). */
  private boolean elementwiseReader(Node u) {
    boolean elementwise = u.op() instanceof dev.nabla.compiler.graph.Unary
        || u.op() instanceof dev.nabla.compiler.graph.Binary || u.op() instanceof dev.nabla.compiler.graph.Where;
    Storage st = step.storage(u);
    return elementwise && (st == Storage.FORWARD || st == Storage.INLINE) && !step.fusion().silent(u)
        && step.fusion().layerAt(u) == null && step.fusion().derivativeAt(u) == null
        && !step.padSums().absorbed(u) && (st == Storage.FORWARD || step.consumers(u).stream().allMatch(this::elementwiseReader));
  }

  private Hoisted hoist(Plan plan, JavaNames names, RecurrenceStep s, Node v) {
    if (!(v.op() instanceof dev.nabla.compiler.graph.MatMul) || step.storage(v) != Storage.FORWARD
        || step.fusion().silent(v) || !v.batched() || v.shape().rank() != 1) {
      return null;
    }
    Node matrix = v.input(0);
    boolean transposed = step.storage(matrix) == Storage.ABSORBED && matrix.op() instanceof dev.nabla.compiler.graph.Transpose;
    if (transposed) {
      matrix = matrix.input(0);
    }
    int element = s.elements().indexOf(v.input(1));
    if (!s.outers().contains(matrix) || matrix.batched() || matrix.shape().rank() != 2 || element < 0
        || step.binding(matrix) == null || step.binding(matrix).outer() == null) {
      return null;
    }
    Node sequence = sequence(element);
    if (!holdsArray(plan.storage(sequence)) || !sequence.batched()) {
      return null;
    }
    String field = own(names, s.labels().getOrDefault(v, "s" + v.id()) + "_steps", steps * v.shape().size(), true);
    timeMajor(names, sequence, v.input(1));
    return new Hoisted(v, matrix, transposed, sequence, field);
  }

  /**
   * A value of the forward step that the loop writes, at every step, into rows of all steps
   * ({@code field}, {@code [T, B, size]}) for the backward loop to read in place ({@link StepSaves}).
   */
  record Saved(Node value, String field) {}

  /** The values this (forward) loop saves for its backward loop. */
  final List<Saved> saved = new ArrayList<>();

  /** The int field holding the loop's step t, for the step's loop methods (null when none reads it). */
  String stepField;

  private Ix step(JavaNames names) {
    if (stepField == null) {
      stepField = names.of("step");
    }
    return new Ix.Var(stepField);
  }

  /** The field that a saved forward step value is written to. */
  String savedField(Node value) {
    for (Saved v : saved) {
      if (v.value() == value) {
        return v.field();
      }
    }
    throw new IllegalStateException("internal: the forward loop does not save " + value);
  }

  /**
   * The states whose update is computed straight into the array carrying the state (no copy
   * after the step): an LSTM's backward loop's {@code dc_t} and {@code dh_t}.
   */
  final java.util.Set<Integer> inPlace = new java.util.HashSet<>();

  /**
   * Whether state k's update can overwrite the state's array while the step runs: every
   * statement that reads the state comes before the update's (or is the update's own
   * element-wise loop, which reads each element before it writes it), and nothing reads the
   * state after the step's statements (a collected or gathered state, another state's update).
   */
  private boolean updatableInPlace(RecurrenceStep s, int k) {
    Node leaf = s.states().get(k);
    Node update = s.updates().get(k);
    if (update == leaf || update.op() instanceof Leaf || update.batched() != leaf.batched()
        || step.storage(update) != Storage.FORWARD || step.slot(update) != null
        || (step.isRoot(leaf) && readAfterStep(leaf)) || s.updates().stream().anyMatch(u -> u == leaf)) {
      return false;
    }
    List<Node> order = step.forwardNodes();
    int at = statement(order, update);
    if (at < 0) {
      return false;
    }
    List<Node> readers = new ArrayList<>(step.consumers(leaf));
    for (int i = 0; i < readers.size(); i++) {
      Node r = readers.get(i);
      if (step.storage(r) == Storage.INLINE) {
        if (!sameIndex(r, leaf)) {
          return false;
        }
        readers.addAll(step.consumers(r)); // read where its user's loop computes it
        continue;
      }
      int read = statement(order, r);
      boolean ownLoop = r == update && sameIndex(update, leaf) && step.writtenAt(update) == update;
      if (read < 0 || (read >= at && !ownLoop)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a state's value before the step is read after the step's statements: by a sum's
   * term added at every step. Its copies into rows of all steps (an LSTM's {@code h} and
   * {@code c} collected for the backward loop, a gathered operand of a weight's gradient) are
   * not: {@link RecurrenceCode} makes them first, before the step overwrites the state.
   */
  private boolean readAfterStep(Node leaf) {
    return sums.stream().flatMap(sum -> sum.terms().stream()).anyMatch(term -> !term.outer() && term.u() == leaf);
  }

  /**
   * Whether a collected or gathered value is a state's value before the step: the loop copies it
   * into its rows of all steps first, so the state's update may overwrite it during the step.
   */
  boolean copiedFirst(Node value) {
    return op.step().states().contains(value);
  }

  /** The position among the step's statements of the one that computes {@code v}, or -1. */
  private int statement(List<Node> order, Node v) {
    Combined c = combinedUnder(v);
    Node site = c != null ? c.sum() : step.writtenAt(v);
    return order.indexOf(site);
  }

  /** An element-wise value of the state's shape: its loop reads the state at the element it writes. */
  private static boolean sameIndex(Node v, Node state) {
    boolean elementwise = v.op() instanceof dev.nabla.compiler.graph.Unary
        || v.op() instanceof dev.nabla.compiler.graph.Binary || v.op() instanceof dev.nabla.compiler.graph.Where;
    return elementwise && v.shape().equals(state.shape()) && v.batched() == state.batched();
  }

  /** Whether a fused product of the step reads a value bound to rows of all steps. */
  private static boolean readsRowsInKernel(Plan step) {
    for (Node n : step.forwardNodes()) {
      ProductFusion.Derivative d = step.fusion().derivativeAt(n);
      if (d != null && step.binding(d.saved()) != null && step.binding(d.saved()).rows() != null) {
        return true;
      }
    }
    return false;
  }

  /** The sequence input {@code i}, the initial value of state {@code k}, the outer value {@code o}. */
  Node sequence(int i) {
    return node.input(i);
  }

  Node initial(int k) {
    return node.input(op.sequenceCount() + k);
  }

  Node outer(int o) {
    return node.input(op.sequenceCount() + op.stateCount() + o);
  }

  private String own(JavaNames names, String wanted, int size, boolean batched) {
    String name = names.of(wanted);
    fields.add(new Field(name, size, batched));
    return name;
  }

  private static boolean holdsArray(Storage s) {
    return s == Storage.INPUT || s == Storage.PARAM || s == Storage.FORWARD || s == Storage.BACKWARD
        || s == Storage.ALIAS;
  }
}
