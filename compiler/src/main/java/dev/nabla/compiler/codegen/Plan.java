package dev.nabla.compiler.codegen;

import dev.nabla.compiler.autodiff.DerivativeProgram;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.graph.BatchMean;
import dev.nabla.compiler.graph.Binary;
import dev.nabla.compiler.graph.BinaryFn;
import dev.nabla.compiler.graph.Broadcast;
import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.Conv;
import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.MatMul;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.StackMatMul;
import dev.nabla.compiler.graph.Outer;
import dev.nabla.compiler.graph.ConcatAxis;
import dev.nabla.compiler.graph.PadAxes;
import dev.nabla.compiler.graph.Permute;
import dev.nabla.compiler.graph.Recurrence;
import dev.nabla.compiler.graph.RecurrenceOutput;
import dev.nabla.compiler.graph.RecurrenceStep;
import dev.nabla.compiler.graph.Reshape;
import dev.nabla.compiler.graph.Slice;
import dev.nabla.compiler.graph.Stack;
import dev.nabla.compiler.graph.Subscript;
import dev.nabla.compiler.graph.Sum;
import dev.nabla.compiler.graph.Transpose;
import dev.nabla.compiler.graph.Unary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides where every value of a model's forward and derivative programs lives in generated
 * code:
 *
 * <ul>
 *   <li>{@link Storage#INLINE}: an elementwise value (or a broadcast) used by exactly one
 *       elementwise consumer or reduction of the same iteration space is computed inside that
 *       consumer's loop, so an elementwise chain is one fused loop and no temporary;
 *   <li>{@link Storage#ABSORBED}: a transpose read only by matrix products (the product kernel
 *       reads the matrix transposed), an outer product read only by a batch mean (one
 *       {@code A^T B} product over the batch), a convolution's kernel adjoint read only by a
 *       batch mean (summed over the batch by the convolution's own call), or a product fused with its layer's bias,
 *       activation or activation derivative ({@link ProductFusion}), or a max pooling's
 *       adjoint read only by its relu mask's product ({@link PoolStepFusion});
 *   <li>{@link Storage#ALIAS}: a reshape of a value that has an array reads that array (the
 *       same elements in the same order);
 *   <li>{@link Storage#FORWARD} / {@link Storage#BACKWARD}: a buffer, allocated once per batch
 *       size in the forward or the backward class; forward buffers that backward reads are
 *       kept, others are only scratch;
 *   <li>leaves and constants live where they are (input buffers, param arrays, hyper locals,
 *       literals).
 * </ul>
 */
final class Plan {
  enum Storage {
    INPUT,
    PARAM,
    HYPER,
    CONSTANT,
    INLINE,
    ABSORBED,
    FORWARD,
    BACKWARD,
    /** A reshape that reads its input's array in place: the same elements, no copy. */
    ALIAS
  }

  private final CheckedModel model;
  private final DerivativeProgram program;
  private final List<Node> forwardNodes;
  private final List<Node> backwardNodes;
  private final Map<Node, Storage> storage = new IdentityHashMap<>();
  private final Map<Node, List<Node>> consumers = new IdentityHashMap<>();
  private final Map<Node, String> names = new IdentityHashMap<>();
  private final Set<Node> roots = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Node> forwardSet = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Each recurrence of the program: its loop's plan (the step's plan and arrays). */
  private final Map<Node, RecurrencePlan> recurrences = new IdentityHashMap<>();
  /** In a step's plan: the model's plan, which the step's outer values live in; else null. */
  private final Plan parent;
  /** Each recurrence's states that sum contributions for a batch mean ({@link LoopSums}). */
  private final Map<Node, List<LoopSums.Sum>> loopSums = new IdentityHashMap<>();
  /** Those states' outputs (no array) and batch means (computed by the loop). */
  private final Set<Node> loopWritten = Collections.newSetFromMap(new IdentityHashMap<>());
  /**
   * In a step's plan, sums of two layer products at least one of which can be computed for all
   * steps before the loop ({@code Wx @ x + Wh @ h}): they keep an array, which the loop fills
   * from the hoisted rows and the other product's kernel ({@code RecurrencePlan.Combined}).
   */
  private final Set<Node> productSums = Collections.newSetFromMap(new IdentityHashMap<>());

  private boolean sumOfProducts(Node n, Set<Node> arrayElements) {
    if (!(n.op() instanceof Binary b && b.fn() == BinaryFn.ADD) || !n.batched() || n.input(0) == n.input(1)) {
      return false;
    }
    boolean hoistable = false;
    for (Node p : n.inputs()) {
      if (!(p.op() instanceof MatMul) || !p.shape().equals(n.shape()) || p.shape().rank() != 1
          || consumers(p).size() != 1 || roots.contains(p)) {
        return false;
      }
      Node matrix = p.input(0).op() instanceof Transpose ? p.input(0).input(0) : p.input(0);
      Binding bound = bindings.get(matrix);
      if (bound == null || bound.outer() == null || matrix.batched() || matrix.shape().rank() != 2
          || !p.input(1).batched()) {
        return false;
      }
      hoistable |= arrayElements.contains(p.input(1));
    }
    return hoistable;
  }

  /** In a step's plan, its sums of non-overlapping padded pieces (an LSTM's gate adjoints). */
  private final PadSums padSums;
  /** In a step's plan: where each leaf of the step is read from (see {@link Binding}). */
  private final Map<Node, Binding> bindings = new IdentityHashMap<>();

  /**
   * Where a leaf of a recurrence's step is read: a value of the model's plan ({@code outer}, read
   * where it lives), or an array of the loop's own ({@code array}: a step's rows of a sequence,
   * a state's running value). With a {@link Rows} it is read in place in the rows of all steps
   * (a sequence, a forward loop's saved values: see {@link StepSaves}); then the bound node may
   * be a step value other than a leaf, which the step reads rather than computes.
   */
  record Binding(Node outer, String array, Rows rows) {
    Binding(Node outer, String array) {
      this(outer, array, null);
    }
  }

  /**
   * Step t's rows inside an array of all steps: instance b's element j is at {@code base + b *
   * stride + j}, {@code base} an expression of the loop's step field. {@code forwardField}: the
   * array is a field of the forward class (read from the backward class through it).
   */
  record Rows(Ix base, int stride, boolean forwardField) {}

  Plan(DerivativeProgram program, JavaNames javaNames, boolean fuseProducts) {
    this.parent = null;
    this.padSums = PadSums.find(List.of(), this::consumers);
    this.model = program.model();
    this.program = program;
    forwardSet.addAll(program.forward());
    List<Node> backward = reachable(program.gradients().values(), forwardSet);
    this.forwardNodes = withSavedOutputs(program.forward(), backward);
    forwardSet.addAll(forwardNodes);
    this.backwardNodes = backward.stream().filter(n -> !forwardSet.contains(n)).toList();
    for (Node n : forwardNodes) {
      n.inputs().forEach(in -> consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n));
    }
    for (Node n : backwardNodes) {
      n.inputs().forEach(in -> consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n));
    }
    roots.add(model.loss());
    roots.addAll(model.outputs().values());
    roots.addAll(program.gradients().values());
    for (List<Node> pass : List.of(forwardNodes, backwardNodes)) {
      for (Node n : pass) {
        if (n.op() instanceof Recurrence) {
          List<LoopSums.Sum> found = LoopSums.find(n, this::consumers);
          loopSums.put(n, found);
          for (LoopSums.Sum sum : found) {
            loopWritten.add(sum.output());
            loopWritten.add(sum.mean());
          }
        }
      }
    }
    for (Node n : forwardNodes) {
      storage.put(n, capFusion(n, decide(n, Storage.FORWARD), Storage.FORWARD));
    }
    for (Node n : backwardNodes) {
      storage.put(n, capFusion(n, decide(n, Storage.BACKWARD), Storage.BACKWARD));
    }
    // Products that take their layer's element-wise work need no buffer of their own.
    this.fusion = fuseProducts ? ProductFusion.find(this, storage) : new ProductFusion();
    for (Node p : fusion.products()) {
      storage.put(p, Storage.ABSORBED);
    }
    this.softmaxPairs = SoftmaxPairs.find(this, storage, forwardNodes, Storage.FORWARD)
        .with(SoftmaxPairs.find(this, storage, backwardNodes, Storage.BACKWARD));
    // Convolution layers computed by one call each: a product written into its bias sum's array.
    this.convFusion = fuseProducts ? ConvFusion.find(this, storage, forwardNodes) : ConvFusion.none();
    for (Node cv : convFusion.absorbed()) {
      storage.put(cv, Storage.ABSORBED);
    }
    this.poolSteps = PoolStepFusion.find(this, storage, backwardNodes);
    // Java names: gradients first, then declared names (in source order), then the rest by id.
    for (Map.Entry<String, Node> g : program.gradients().entrySet()) {
      Node n = g.getValue();
      if (storage.get(n) == Storage.BACKWARD && !n.batched() && !names.containsKey(n)
          && !model.gradInputs().contains(g.getKey())) {
        names.put(n, javaNames.of("grad_" + g.getKey()));
      }
    }
    for (Map.Entry<String, Node> e : model.values().entrySet()) {
      Node n = e.getValue();
      if (n != null && !names.containsKey(n) && needsName(n)) {
        names.put(n, javaNames.of(e.getKey()));
      }
    }
    List<Node> all = new ArrayList<>(forwardNodes);
    all.addAll(backwardNodes);
    for (Node n : all) {
      if (!names.containsKey(n) && needsName(n)) {
        names.put(n, javaNames.of(storage.get(n) == Storage.BACKWARD ? "g" + n.id() : "t" + n.id()));
      }
    }
    planMemory(javaNames);
    this.stepSaves = StepSaves.find(forwardNodes, backwardNodes);
    for (Node n : all) {
      if (n.op() instanceof Recurrence) {
        recurrences.put(n, new RecurrencePlan(this, n, javaNames, fuseProducts));
      }
    }
  }

  /**
   * The plan of a recurrence's step, whose values are computed once per step into arrays of the
   * class that runs the loop (storage {@link Storage#FORWARD} in either class: they are read
   * only inside the loop). Its roots are the step's results (state updates, collected values);
   * the step's leaves are read where {@code bindings} says.
   */
  Plan(Plan parent, RecurrenceStep step, List<Node> results, Map<Node, Binding> bindings, Set<Node> arrayElements,
      JavaNames javaNames, boolean fuseProducts) {
    this.parent = parent;
    this.model = parent.model;
    this.program = parent.program;
    this.forwardNodes = reachable(results, bindings.keySet());
    this.backwardNodes = List.of();
    this.bindings.putAll(bindings);
    forwardSet.addAll(forwardNodes);
    for (Node n : forwardNodes) {
      n.inputs().forEach(in -> consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n));
    }
    roots.addAll(results);
    this.padSums = PadSums.find(forwardNodes, this::consumers);
    for (Node n : forwardNodes) {
      if (sumOfProducts(n, arrayElements)) {
        productSums.add(n);
      }
    }
    for (Node leaf : bindings.keySet()) {
      // a bound step value (not a leaf) is read where it lies, as an input is
      storage.put(leaf, leaf.op() instanceof Leaf ? decide(leaf, Storage.FORWARD) : Storage.INPUT);
    }
    for (Node n : forwardNodes) {
      storage.put(n, capFusion(n, decide(n, Storage.FORWARD), Storage.FORWARD));
    }
    this.fusion = fuseProducts ? ProductFusion.find(this, storage) : new ProductFusion();
    for (Node p : fusion.products()) {
      storage.put(p, Storage.ABSORBED);
    }
    this.stepSaves = StepSaves.find(List.of(), List.of());
    // A step's code (RecurrenceCode) emits each of its values: no softmax pairs inside a loop.
    this.softmaxPairs = SoftmaxPairs.none();
    this.convFusion = ConvFusion.none();
    this.poolSteps = PoolStepFusion.none();
    Map<Node, String> labels = new IdentityHashMap<>(step.labels());
    for (int k = 0; k < step.updates().size(); k++) {
      labels.putIfAbsent(step.updates().get(k), step.stateNames().get(k) + "_next");
    }
    for (int k = 0; k < step.collected().size(); k++) {
      labels.putIfAbsent(step.collected().get(k), step.collectNames().get(k) + "_step");
    }
    for (Node n : forwardNodes) {
      if (needsName(n)) {
        names.put(n, javaNames.of(labels.getOrDefault(n, "s" + n.id())));
      }
    }
    memory.assign(this, forwardNodes, Storage.FORWARD, n -> !roots.contains(n), javaNames, true);
  }

  /** What backward loops read from their forward loops' steps ({@link StepSaves}; none in a step's plan). */
  private final StepSaves stepSaves;

  StepSaves stepSaves() {
    return stepSaves;
  }

  /** In a step's plan: values computed into another array of the loop's (a state's update into the state's). */
  private final Set<Node> aliased = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Makes a value of a step's plan live in {@code array} (declared elsewhere), not in an array of its own. */
  void alias(Node n, String array) {
    names.put(n, array);
    aliased.add(n);
  }

  /**
   * In a step's plan: values computed in place in step t's rows of an array of all steps (a
   * recurrence's input projection, {@code Wx @ x + Wh @ h + b}, in the rows the product over all
   * steps wrote: {@code RecurrencePlan.Hoisted}), read there like a bound value ({@link Rows}).
   */
  private final Map<Node, Rows> placed = new IdentityHashMap<>();

  /** Makes a value of a step's plan live in step t's rows of {@code array} (declared elsewhere). */
  void placeInRows(Node n, String array, Rows rows) {
    alias(n, array);
    placed.put(n, rows);
  }

  /** Where a value placed by {@link #placeInRows} lies, or null. */
  Rows placedRows(Node n) {
    return placed.get(n);
  }

  /** Whether a value lives in an array made by {@link #alias}. */
  boolean aliased(Node n) {
    return aliased.contains(n);
  }

  /** The sums of padded pieces written piece by piece ({@link PadSums}; only in a step's plan). */
  PadSums padSums() {
    return padSums;
  }

  /** The states of a recurrence node that sum contributions for a batch mean. */
  List<LoopSums.Sum> loopSums(Node recurrence) {
    return loopSums.getOrDefault(recurrence, List.of());
  }

  /**
   * Whether a value is computed by a recurrence's loop rather than at its own place: the batch
   * mean of a loop's sum ({@link LoopSums}); or has no array at all: that sum's output.
   */
  boolean loopWritten(Node n) {
    return loopWritten.contains(n);
  }

  /**
   * The forward nodes with the outputs of forward loops that only the derivative reads (the
   * states a loop saves for its backward loop), each after its loop: the forward pass's loop
   * writes them.
   */
  private static List<Node> withSavedOutputs(List<Node> forward, List<Node> backward) {
    Set<Node> inForward = Collections.newSetFromMap(new IdentityHashMap<>());
    inForward.addAll(forward);
    Map<Node, List<Node>> saved = new IdentityHashMap<>();
    for (Node n : backward) {
      if (n.op() instanceof RecurrenceOutput && inForward.contains(n.input(0))) {
        saved.computeIfAbsent(n.input(0), k -> new ArrayList<>()).add(n);
      }
    }
    if (saved.isEmpty()) {
      return forward;
    }
    List<Node> all = new ArrayList<>();
    for (Node n : forward) {
      all.add(n);
      all.addAll(saved.getOrDefault(n, List.of()));
    }
    return all;
  }

  /** The loop of a recurrence node of this plan. */
  RecurrencePlan recurrence(Node n) {
    return recurrences.get(n);
  }

  /** Every recurrence of this plan, in program order. */
  java.util.Collection<RecurrencePlan> recurrences() {
    return recurrences.values();
  }

  /** In a step's plan, where a leaf of the step is read (null for other values and other plans). */
  Binding binding(Node n) {
    return bindings.get(n);
  }

  /** The model's plan of a step's plan (null for a model's plan). */
  Plan parent() {
    return parent;
  }

  private final MemoryPlan memory = new MemoryPlan();
  private final ProductFusion fusion;
  private final SoftmaxPairs softmaxPairs;
  private final ConvFusion convFusion;

  /** The convolution layers computed by one call each. */
  ConvFusion convFusion() {
    return convFusion;
  }

  private final PoolStepFusion poolSteps;

  /** The products fused with their neighbours' element-wise work. */
  ProductFusion fusion() {
    return fusion;
  }

  private SgdFusion sgdFusion;

  /** The params whose SGD step the backward pass takes in their gradient's product. */
  SgdFusion sgdFusion() {
    if (sgdFusion == null) {
      sgdFusion = new SgdFusion(this);
    }
    return sgdFusion;
  }

  /** The softmax and log-softmax values of one input computed together. */
  SoftmaxPairs softmaxPairs() {
    return softmaxPairs;
  }

  /** The max-pooling adjoints multiplied by a relu's mask in one pass. */
  PoolStepFusion poolSteps() {
    return poolSteps;
  }

  /** Whether a value is computed at another value's statement (a fused product's, its pair's). */
  boolean silent(Node n) {
    return fusion.silent(n) || softmaxPairs.silent(n) || convFusion.silent(n);
  }

  /** The statement that writes a value: its own, or the earlier one that computes it with others. */
  Node writtenAt(Node n) {
    Node product = fusion.writtenAt(n);
    Node layer = convFusion.writtenAt(n);
    return product != n ? product : layer != n ? layer : softmaxPairs.writtenAt(n);
  }

  /** Whether a value is one of the model's roots (loss, outputs, gradients): it keeps a buffer. */
  boolean isRoot(Node n) {
    return roots.contains(n);
  }

  /** The array a value lives in (its own, or one it shares by liveness), or null. */
  MemoryPlan.Slot slot(Node n) {
    return aliased.contains(n) ? null : memory.slot(n);
  }

  MemoryPlan memory() {
    return memory;
  }

  private boolean needsName(Node n) {
    if (n.op() instanceof Leaf) {
      return true;
    }
    Storage s = storage.get(n);
    return s == Storage.INPUT || s == Storage.PARAM || s == Storage.HYPER
        || s == Storage.FORWARD || s == Storage.BACKWARD;
  }

  /** Lets scratch values of each pass share arrays when their lives do not overlap. */
  private void planMemory(JavaNames javaNames) {
    // Values the model names keep their own arrays, so generated code reads like the model.
    // A recurrence's outputs are written by its loop (before their own place in the order).
    memory.assign(this, forwardNodes, Storage.FORWARD,
        n -> !roots.contains(n) && !readByBackward(n) && !model.labels().containsKey(n)
            && !(n.op() instanceof RecurrenceOutput) && !loopWritten.contains(n), javaNames);
    memory.assign(this, backwardNodes, Storage.BACKWARD,
        n -> !roots.contains(n) && !(n.op() instanceof RecurrenceOutput) && !loopWritten.contains(n), javaNames);
  }

  /** Forward nodes in evaluation order. */
  List<Node> forwardNodes() {
    return forwardNodes;
  }

  /** Derivative-program nodes (not forward values) in evaluation order. */
  List<Node> backwardNodes() {
    return backwardNodes;
  }

  Storage storage(Node n) {
    return storage.get(n);
  }

  String name(Node n) {
    MemoryPlan.Slot s = slot(n);
    return s != null ? s.name : names.get(n);
  }

  List<Node> consumers(Node n) {
    return consumers.getOrDefault(n, List.of());
  }

  /**
   * Whether a forward buffer is read by the backward program (so must survive forward),
   * directly or through a value that reads it where it is used (a reshape in place, an inline
   * value).
   */
  boolean readByBackward(Node n) {
    for (Node c : consumers(n)) {
      Storage s = storage.get(c);
      if (!forwardSet.contains(c) || ((s == Storage.ALIAS || s == Storage.INLINE) && readByBackward(c))) {
        return true;
      }
    }
    return false;
  }

  /** Whether a value (decided already) lives in an array that a reshape can read in place. */
  private boolean holdsArray(Node n) {
    Storage s = storage.get(n);
    return s == Storage.INPUT || s == Storage.PARAM || s == Storage.FORWARD || s == Storage.BACKWARD
        || s == Storage.ALIAS;
  }

  /**
   * Keeps fused expressions shallow: a node computed inline nests its inline inputs' code in
   * its own, so a long elementwise chain would become one huge, deeply nested Java expression
   * (javac's recursion, the 64 KB method limit). Past {@link #MAX_FUSED_DEPTH} nodes the chain
   * is cut by a buffer. Inputs are decided before their users (evaluation order).
   */
  private Storage capFusion(Node n, Storage decided, Storage buffer) {
    int depth = 1;
    for (Node in : n.inputs()) {
      if (storage.get(in) == Storage.INLINE) {
        depth = Math.max(depth, fusedDepth.getOrDefault(in, 1) + 1);
      }
    }
    if (decided == Storage.INLINE && depth >= MAX_FUSED_DEPTH) {
      return buffer;
    }
    fusedDepth.put(n, depth);
    return decided;
  }

  /** The most nodes one fused expression may nest. */
  static final int MAX_FUSED_DEPTH = 48;

  private final Map<Node, Integer> fusedDepth = new IdentityHashMap<>();

  private Storage decide(Node n, Storage buffer) {
    if (n.op() instanceof Leaf leaf) {
      return switch (leaf.kind()) {
        case INPUT, TARGET -> Storage.INPUT;
        case PARAM -> Storage.PARAM;
        case HYPER -> Storage.HYPER;
      };
    }
    if (n.op() instanceof Constant) {
      return Storage.CONSTANT;
    }
    if (n.op() instanceof Recurrence || n.op() instanceof RecurrenceOutput && loopWritten.contains(n)) {
      return Storage.ABSORBED; // no array: its loop writes its outputs' arrays (RecurrenceCode)
    }
    if (roots.contains(n)) {
      return buffer;
    }
    List<Node> users = consumers(n);
    if (padSums.absorbed(n)) {
      return Storage.ABSORBED; // a piece's pad, or an addition of pieces: written by the sum
    }
    if (productSums.contains(n)) {
      return buffer;
    }
    if (padSums.isSum(n)) {
      return buffer;
    }
    if (n.op().elementwise() && users.size() == 1 && padSums.absorbed(users.getFirst())
        && users.getFirst().batched() == n.batched()) {
      return Storage.INLINE; // a piece of a sum of pieces, computed where the sum writes it
    }
    if (parent != null && n.batched() && ElementwiseCode.activationKernel(n) != null) {
      // In a recurrence's step (the gates of an LSTM or GRU, over the batch's rows) an activation
      // runs in the runtime's SIMD kernel: Math.tanh and exp in a fused loop are not vectorized.
      return buffer;
    }
    if (parent != null && n.op() instanceof Slice && !n.inputs().isEmpty() && !consumers(n).isEmpty()
        && consumers(n).stream().allMatch(u -> readsElementwise(u) && u.batched() == n.batched())) {
      return Storage.INLINE; // a gate of a step's pre-activations, read in place
    }
    if (n.op() instanceof Reshape && holdsArray(n.input(0))) {
      return Storage.ALIAS;
    }
    if (n.op() instanceof Subscript s && s.contiguous(n.input(0).shape()) && !users.isEmpty()
        && users.stream().allMatch(u -> readsElementwise(u) && u.batched() == n.batched())) {
      // A run of the input's elements: read at an offset where it is used, never copied.
      return Storage.INLINE;
    }
    if (n.op().elementwise() && users.size() == 1 && readsByCopy(users.getFirst())
        && users.getFirst().batched() == n.batched()) {
      // Computed in the layout op's copy loop, where each of its elements is read once.
      return Storage.INLINE;
    }
    if (n.op() instanceof Broadcast && users.stream().allMatch(Plan::readsElementwise)) {
      return Storage.INLINE;
    }
    if (n.op() instanceof Broadcast br
        && br.kind() == Broadcast.Kind.GENERAL
        && users.stream().allMatch(u -> readsElementwise(u) || u.op() instanceof BatchMean)) {
      // a param's gradient summed back to [O, 1, 1]: read in the batch mean's loop, not copied first
      return Storage.INLINE;
    }
    if (n.op() instanceof Broadcast b
        && !users.isEmpty()
        && holdsArray(storage.get(n.input(0)))
        && users.stream().allMatch(u -> u.op() instanceof StackMatMul s && copiesOnlyStacks(b, s, u, n))) {
      // A product reads the broadcast's input in place, with step 0 along the copied stack axes.
      return Storage.ABSORBED;
    }
    if (n.op() instanceof Transpose
        && !users.isEmpty()
        && users.stream().allMatch(u -> (u.op() instanceof MatMul || u.op() instanceof StackMatMul s && readsMatrix(s, u, n))
            && u.input(0) != u.input(1))) {
      return Storage.ABSORBED;
    }
    if (n.op() instanceof StackMatMul
        && users.size() == 1
        && users.getFirst().op() instanceof BatchMean
        && n.batched()) {
      // The mean over the batch sums the instances' products in the product call itself.
      return Storage.ABSORBED;
    }
    if (n.op() instanceof StackMatMul s
        && users.size() == 1
        && users.getFirst().op() instanceof Sum sum
        && sum.axis() >= 0
        && sum.axis() < s.stack(n.shape()).rank()) {
      // So does a sum along a stack axis (the adjoint of an operand broadcast along it).
      return Storage.ABSORBED;
    }
    if (n.op() instanceof Conv cv
        && cv.kind() == Conv.Kind.KERNEL_GRAD
        && users.size() == 1
        && users.getFirst().op() instanceof BatchMean
        && n.batched()) {
      // A kernel's adjoint summed over the batch by the convolution call itself (ConvCode).
      return Storage.ABSORBED;
    }
    if (n.op() instanceof Outer
        && users.size() == 1
        && users.getFirst().op() instanceof BatchMean
        && n.input(0).batched()
        && n.input(1).batched()) {
      return Storage.ABSORBED;
    }
    if (n.op().elementwise() && users.size() == 1) {
      Node user = users.getFirst();
      boolean sameSpace =
          user.op() instanceof BatchMean
              || (readsElementwise(user) && user.shape().equals(n.shape()) && user.batched() == n.batched())
              || (user.op() instanceof Sum s && s.axis() == Sum.ALL && user.batched() == n.batched());
      if (sameSpace) {
        return Storage.INLINE;
      }
    }
    return buffer;
  }

  /**
   * Whether every product {@code u} reads the broadcast {@code x} only through its stack: the
   * matrix axes the product's views read are not copied (and x is not both operands).
   */
  private static boolean copiesOnlyStacks(Broadcast b, StackMatMul s, Node u, Node x) {
    if (u.input(0) == u.input(1)) {
      return false;
    }
    int matrixAxes = (u.input(0) == x ? s.left() : s.right()).matrixAxes();
    for (int k = b.to().rank() - matrixAxes; k < b.to().rank(); k++) {
      if (b.aligned().dim(k) != b.to().dim(k)) {
        return false;
      }
    }
    return true;
  }

  private static boolean holdsArray(Storage s) {
    return s == Storage.INPUT || s == Storage.PARAM || s == Storage.FORWARD || s == Storage.BACKWARD;
  }

  /** Whether a product of stacks reads its operand {@code x} as a (possibly transposed) matrix. */
  private static boolean readsMatrix(StackMatMul s, Node product, Node x) {
    StackMatMul.View v = product.input(0) == x ? s.left() : s.right();
    return v == StackMatMul.View.MATRIX || v == StackMatMul.View.TRANSPOSED;
  }

  /**
   * The layout ops of version 2, whose copy loops read each element of their inputs at most once
   * (through {@link Addressing#elem}), so that an elementwise input can be computed there.
   */
  private static boolean readsByCopy(Node n) {
    return n.op() instanceof Permute || n.op() instanceof Subscript || n.op() instanceof PadAxes
        || n.op() instanceof ConcatAxis || n.op() instanceof Stack;
  }

  /**
   * Ops whose loop reads their inputs element by element (and can compute them inline): the
   * elementwise ops, and a broadcast, whose loop reads its input at a computed index.
   */
  static boolean readsElementwise(Node n) {
    return n.op().elementwise() || n.op() instanceof Broadcast;
  }

  private static List<Node> reachable(java.util.Collection<Node> roots, Set<Node> stop) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> stack = new ArrayList<>(roots);
    while (!stack.isEmpty()) {
      Node n = stack.removeLast();
      if (!stop.contains(n) && seen.add(n)) {
        stack.addAll(n.inputs());
      }
    }
    List<Node> order = new ArrayList<>(seen);
    order.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return order;
  }

  CheckedModel model() {
    return model;
  }

  DerivativeProgram program() {
    return program;
  }
}
