package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.Locals.B;
import static dev.nabla.compiler.codegen.Locals.BATCH;
import static dev.nabla.compiler.codegen.Locals.FROM;
import static dev.nabla.compiler.codegen.Locals.J;
import static dev.nabla.compiler.codegen.Locals.T;
import static dev.nabla.compiler.codegen.Locals.TO;
import static dev.nabla.compiler.codegen.RuntimeTypes.GEMM;
import static dev.nabla.compiler.codegen.RuntimeTypes.PACKED_GEMM;
import static dev.nabla.compiler.codegen.RuntimeTypes.STEPS;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.RecurrenceStep;
import dev.nabla.runtime.kernels.Gemm;
import dev.nabla.runtime.kernels.Steps;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The loop of a recurrence: {@code for (int t = 0; t < T; t++) { step }} (from T - 1 down for a
 * reversed one, the derivative's), whose body is the step graph's values emitted by an
 * {@link Emitter} of their own, over the whole batch at once: a product of the step is one
 * {@code Gemm} call over the batch's stacked rows (or, by a model's matrix, {@code PackedGemm} over
 * each range of instances of the step's split loop, the matrix packed before the loop:
 * {@link RecurrencePlan.Packed}), an elementwise value one loop that the runtime may split across
 * threads by instances. The code is the same for any T (the loop's bound is a
 * literal), and a step allocates nothing: every array is one of {@link RecurrencePlan}.
 *
 * <pre>
 *   copies of outer values without arrays; each state's initial value into the array carrying it
 *   Steps.timeMajor(xs, T, d, batch, xs_tm);     // a sequence of hoisted products, [T, B, d]
 *   Gemm.abT(batch * T, 4H, d, xs_tm, Wx, b, z_steps); // Wx @ x + b of all steps, [T, B, 4H]
 *   for (int t = 0; t &lt; T; t++) {
 *     Steps.slot(xs, T, t, d, batch, x_rows);    // row t of each instance's sequence (read otherwise)
 *     Steps.toSlot(h, hs, T, t, H, batch);       // a state collected before the step: first
 *     Gemm.abT(batch, 4H, H, h, Wh, z_steps at t * batch * 4H, +=); // z in place in step t's rows
 *     ... the step's values (saved ones straight into their [T, B, size] rows) ...
 *     Steps.toSlot(y_step, ys, T, t, H, batch);   // other collected values: row t of their outputs
 *     System.arraycopy(h_next, 0, h, 0, batch * H); // a state's update, unless computed in place
 *   }
 *   the final states into their outputs (when not carried there)
 * </pre>
 */
final class RecurrenceCode {
  private static final ClassName GEMM_ACT = ClassName.get(Gemm.Act.class);

  private final Addressing a;
  private final BatchLoopMethods batchLoops;
  private final PassFields fields;

  RecurrenceCode(Addressing addressing, BatchLoopMethods batchLoops, PassFields fields) {
    this.a = addressing;
    this.batchLoops = batchLoops;
    this.fields = fields;
  }

  /** An output of a recurrence: its loop (at the recurrence's place, just before) writes it. */
  static CodeBlock writtenByLoop(Node output) {
    return CodeBlock.of("// written by its loop\n");
  }

  /** The whole loop of a recurrence node. */
  CodeBlock loop(Node n) {
    RecurrencePlan r = a.plan().recurrence(n);
    RecurrenceStep s = r.op.step();
    Addressing stepAddressing = new Addressing(r.step, a.precision(), false, a);
    Emitter step = new Emitter(stepAddressing, batchLoops, fields);
    CodeBlock.Builder code = CodeBlock.builder();
    for (int o = 0; o < r.copies.size(); o++) {
      if (r.copies.get(o) != null) {
        code.add(rows(a, r.outer(o), CodeBlock.of("$N", r.copies.get(o)), s.outers().get(o).batched()));
      }
    }
    for (int k = 0; k < r.carried.size(); k++) {
      if (r.carried.get(k) != null) {
        code.add(rows(a, r.initial(k), CodeBlock.of("$N", r.carried.get(k)), s.states().get(k).batched()));
      }
    }
    for (RecurrencePlan.TimeMajor m : r.timeMajor) {
      code.add("$T.timeMajor($L, $L, $L, $L, $N);\n", STEPS, a.ref(m.sequence()), r.steps, m.size(), BATCH,
          m.field());
    }
    for (RecurrencePlan.Hoisted h : r.hoisted) {
      code.add(hoisted(stepAddressing, r, h, r.steps));
    }
    Map<LoopSums.Sum, LoopSums.Sum> biasOf = columnSums(r);
    for (LoopSums.Sum sum : r.sums) {
      if (!biasOf.containsValue(sum) && sum.terms().stream().anyMatch(term -> !term.outer())) {
        code.add("$T.fill($L, $L);\n", java.util.Arrays.class, a.ref(sum.mean()), a.literal(0));
      }
    }
    for (RecurrencePlan.Packed p : packs(r)) {
      code.add("$T.$L($L, $L, $L, 0, $N);\n", PACKED_GEMM, p.transposed() ? "packB" : "packBT", p.n(), p.k(),
          stepAddressing.ref(p.matrix()), p.field());
    }
    if (r.op.reverse()) {
      code.beginControlFlow("for (int $L = $L; $L >= 0; $L--)", T, r.steps - 1, T, T);
    } else {
      code.beginControlFlow("for (int $L = 0; $L < $L; $L++)", T, T, r.steps, T);
    }
    if (r.stepField != null) {
      code.add("$N = $L;\n", r.stepField, T); // for the step's loop methods, which read rows of all steps in place
    }
    StepLoops loops = new StepLoops();
    for (int i = 0; i < r.rows.size(); i++) {
      Node leaf = s.elements().get(i);
      if (r.rows.get(i) != null && readsRows(r, leaf)) {
        Node sequence = r.sequence(i);
        if (a.holdsArray(sequence) && sequence.batched() && leaf.batched()) {
          loops.rows(CodeBlock.of("$T.slot($L, $L, $N, $L, $L, $L, $N);\n", STEPS, a.ref(sequence), r.steps, r.stepField,
              leaf.shape().size(), FROM, TO, r.rows.get(i)), leaf.shape().size());
        } else {
          loops.statement(slot(sequence, leaf, r.steps, r.rows.get(i)));
        }
      }
    }
    collectedAndGathered(loops, stepAddressing, r, true);
    for (Node v : r.step.forwardNodes()) {
      RecurrencePlan.Hoisted h = r.hoistedAt(v);
      RecurrencePlan.Combined sum = r.combinedAt(v);
      if (r.combinedUnder(v) != null) {
        continue; // computed by its combined sum
      }
      if (sum != null || h != null) {
        String all = sum != null ? sum.parts().getFirst().field() : h.field();
        int size = v.shape().size();
        if (r.step.placedRows(v) == null) {
          // step t's rows of the time-major product, one run, into the value's own array
          loops.rows(CodeBlock.of("System.arraycopy($N, ($N * $L + $L) * $L, $L, $L * $L, ($L - $L) * $L);\n", all,
              r.stepField, BATCH, FROM, size, stepAddressing.ref(v), FROM, size, TO, FROM, size), size);
        }
        RecurrencePlan.Packed perStep = sum != null && sum.perStep() != null ? r.packedAt(sum.perStep()) : null;
        if (perStep != null) {
          loops.rows(packed(stepAddressing, r, perStep, v, true), productWork(perStep));
        } else if (sum != null && sum.perStep() != null) {
          loops.statement(accumulated(stepAddressing, r, sum.perStep(), v));
        }
      } else if (r.packedAt(v) != null) {
        loops.rows(packed(stepAddressing, r, r.packedAt(v), v, false), productWork(r.packedAt(v)));
      } else if (r.step.storage(v) == Storage.FORWARD && !r.step.fusion().silent(v)) {
        int first = batchLoops.count();
        loops.value(step.compute(v), first, batchLoops.count());
      }
    }
    collectedAndGathered(loops, stepAddressing, r, false);
    for (RecurrencePlan.Saved v : r.saved) {
      saved(loops, stepAddressing, v, r);
    }
    for (LoopSums.Sum sum : r.sums) {
      for (LoopSums.Term term : sum.terms()) {
        if (!term.outer() && !biasOf.containsValue(sum)) {
          loops.statement(addOverBatch(stepAddressing, term.u(), a.ref(sum.mean())));
        }
      }
    }
    for (int k = 0; k < r.carried.size(); k++) {
      if (r.swaps.get(k) != null) {
        stateRows(loops, stepAddressing, s.updates().get(k), CodeBlock.of("$N", r.swaps.get(k)), s.states().get(k));
      }
    }
    for (int k = 0; k < r.carried.size(); k++) {
      Node update = s.updates().get(k);
      Node state = s.states().get(k);
      if (r.carried.get(k) != null && update != state && !r.inPlace.contains(k)) {
        if (r.swaps.get(k) != null && state.batched()) {
          loops.rows(rangeCopy(CodeBlock.of("$N", r.swaps.get(k)), CodeBlock.of("$N", r.carried.get(k)),
              state.shape().size()), state.shape().size());
        } else if (r.swaps.get(k) != null) {
          loops.statement(copy(CodeBlock.of("$N", r.swaps.get(k)), CodeBlock.of("$N", r.carried.get(k)), state));
        } else {
          stateRows(loops, stepAddressing, update, CodeBlock.of("$N", r.carried.get(k)), state);
        }
      }
    }
    code.add(loops.code());
    code.endControlFlow();
    for (int k = 0; k < r.carried.size(); k++) {
      Node out = r.outputs.get(k);
      if (out != null && r.carried.get(k) != null && !r.carriedInOutput.get(k)) {
        code.add(copy(CodeBlock.of("$N", r.carried.get(k)), a.ref(out), s.states().get(k)));
      }
    }
    int g = 0;
    for (LoopSums.Sum sum : r.sums) {
      boolean written = sum.terms().stream().anyMatch(term -> !term.outer());
      for (LoopSums.Term term : sum.terms()) {
        if (term.outer()) {
          LoopSums.Sum bias = written ? null : biasOf.get(sum);
          code.add(sumOfOuters(r.gathered.get(g), r.gathered.get(g + 1), sum.mean(), r.steps, written,
              bias == null ? null : a.ref(bias.mean())));
          g += 2;
          written = true;
        }
      }
    }
    for (LoopSums.Sum sum : r.sums) {
      code.add(LoopPolicy.loop(sum.mean().shape().size(), J,
          CodeBlock.of("$L[$L] *= $N;\n", a.ref(sum.mean()), J, Locals.INV_B)));
    }
    return code.build();
  }

  /**
   * The step's collected values into row t of their outputs, and the gathered operands of its
   * weight gradients into theirs: with {@code first}, those that are a state's value before the
   * step ({@link RecurrencePlan#copiedFirst}), copied before the step's values so that the state
   * can be updated in place; else the others, after the step's values.
   */
  private void collectedAndGathered(StepLoops loops, Addressing stepAddressing, RecurrencePlan r, boolean first) {
    RecurrenceStep s = r.op.step();
    for (int m = 0; m < s.collected().size(); m++) {
      Node out = r.outputs.get(r.op.stateCount() + m);
      if (out != null && r.copiedFirst(s.collected().get(m)) == first) {
        toSlot(loops, stepAddressing, s.collected().get(m), a.ref(out), out.batched(), r);
      }
    }
    for (RecurrencePlan.Gathered g : new java.util.LinkedHashSet<>(r.gathered)) {
      if (g.field() != null && r.copiedFirst(g.value()) == first) {
        toSlot(loops, stepAddressing, g.value(), CodeBlock.of("$N", g.field()), true, r);
      }
    }
  }

  /** Whether the step reads a sequence's element rows (other than through a hoisted product). */
  static boolean readsRows(RecurrencePlan r, Node leaf) {
    RecurrenceStep s = r.op.step();
    if (s.updates().contains(leaf) || s.collected().contains(leaf)
        || r.gathered.stream().anyMatch(g -> g.value() == leaf && g.field() != null)) {
      return true; // a result, or gathered from the rows (not read where the sequence lies)
    }
    for (Node c : r.step.consumers(leaf)) {
      if (r.hoistedAt(c) == null) {
        return true;
      }
    }
    return false;
  }

  /**
   * A hoisted product of every step: one product over the sequence's {@code B * T} rows, into its
   * rows (or added to its combined sum's first part's).
   */
  private CodeBlock hoisted(Addressing step, RecurrencePlan r, RecurrencePlan.Hoisted h, int steps) {
    int m = h.product().shape().dim(0);
    int k = h.product().input(1).shape().dim(0);
    String rows = r.rowsOf(h);
    Node bias = r.biasOf(h);
    String sequence = r.timeMajorOf(h.sequence());
    if (bias != null) {
      return CodeBlock.of("$T.$L($L * $L, $L, $L, $N, 0, $L, 0, $N, 0, $L, 0, $T.IDENTITY, null, 0);\n", GEMM,
          h.transposed() ? "ab" : "abT", BATCH, steps, m, k, sequence, step.ref(h.matrix()), rows,
          step.ref(bias), GEMM_ACT);
    }
    return CodeBlock.of("$T.$L($L * $L, $L, $L, $N, 0, $L, 0, $N, 0, $L);\n", GEMM, h.transposed() ? "ab" : "abT",
        BATCH, steps, m, k, sequence, step.ref(h.matrix()), rows, !rows.equals(h.field()));
  }

  /** {@code sum += W @ v} for every instance: a step's product added by its kernel onto the sum's row t. */
  private static CodeBlock accumulated(Addressing step, RecurrencePlan r, Node product, Node sum) {
    Node matrix = r.matrixOf(product);
    boolean transposed = matrix != product.input(0);
    int m = product.shape().dim(0);
    int k = product.input(1).shape().dim(0);
    // the sum placed in step t's rows of the time-major product (RecurrencePlan.place), or its own array
    CodeBlock at = r.step.placedRows(sum) == null ? CodeBlock.of("0") : CodeBlock.of("$L * $L * $L", T, BATCH, m);
    return CodeBlock.of("$T.$L($L, $L, $L, $L, 0, $L, 0, $L, $L, true);\n", GEMM, transposed ? "ab" : "abT",
        BATCH, m, k, step.ref(product.input(1)), step.ref(matrix), step.ref(sum), at);
  }

  /** The packed matrices of a loop, each once (products of one W read one way share its packing). */
  private static java.util.Collection<RecurrencePlan.Packed> packs(RecurrencePlan r) {
    Map<String, RecurrencePlan.Packed> byField = new java.util.LinkedHashMap<>();
    r.packed.forEach(p -> byField.putIfAbsent(p.field(), p));
    return byField.values();
  }

  /**
   * A step's product {@code W @ v} for instances {@code [from, to)}, from W packed before the loop
   * ({@link RecurrencePlan.Packed}): a loop method of the step, so that it joins the step's split
   * loop; into {@code into} (the product, or the combined sum it is added onto).
   */
  private static CodeBlock packed(Addressing step, RecurrencePlan r, RecurrencePlan.Packed p, Node into,
      boolean accumulate) {
    // into placed in step t's rows of the time-major product (RecurrencePlan.place), or its own array
    CodeBlock at = r.step.placedRows(into) == null ? CodeBlock.of("0")
        : CodeBlock.of("$N * $L * $L", r.stepField, BATCH, p.n());
    return CodeBlock.of("$T.$L($L, $L, $L, $L, $L, $L, 0, $L, 0, $N, $L, $L, $L);\n", PACKED_GEMM,
        p.transposed() ? "ab" : "abT", BATCH, FROM, TO, p.n(), p.k(), step.ref(p.product().input(1)),
        step.ref(p.matrix()), p.field(), step.ref(into), at, accumulate);
  }

  /** A packed product's work per instance for the split: its multiply-adds. */
  private static long productWork(RecurrencePlan.Packed p) {
    return (long) p.n() * p.k();
  }

  /** The rows of all steps of a value: its gathered field, or the sequence it is read from. */
  private CodeBlock allSteps(RecurrencePlan.Gathered g) {
    return g.field() != null ? CodeBlock.of("$N", g.field()) : a.ref(g.sequence());
  }

  /**
   * {@code mean (=|+=) U^T V} over the {@code B * T} rows of u and v: the sum of their outer
   * products; with {@code columnSums}, also {@code columnSums = sum of u's rows} in the same pass.
   */
  private CodeBlock sumOfOuters(RecurrencePlan.Gathered u, RecurrencePlan.Gathered v, Node mean, int steps,
      boolean accumulate, CodeBlock columnSums) {
    if (columnSums != null) {
      return CodeBlock.of("$T.aTb($L, $L, $L * $L, $L, 0, $L, 0, $L, 0, $L, 0);\n", GEMM, u.value().shape().size(),
          v.value().shape().size(), BATCH, steps, allSteps(u), allSteps(v), a.ref(mean), columnSums);
    }
    return CodeBlock.of("$T.aTb($L, $L, $L * $L, $L, 0, $L, 0, $L, 0, $L);\n", GEMM, u.value().shape().size(),
        v.value().shape().size(), BATCH, steps, allSteps(u), allSteps(v), a.ref(mean), accumulate);
  }

  /**
   * The sums of one term u (a bias's gradient) whose u is also the left operand of another sum's
   * first outer-product term {@code outer(u, v)} (its weight's gradient): the product's kernel
   * takes u's column sums in the same pass over the gathered rows ({@code Gemm.aTb} with sums),
   * so the bias's sum is not added up at every step. Keyed by the weight's sum.
   */
  private static Map<LoopSums.Sum, LoopSums.Sum> columnSums(RecurrencePlan r) {
    Map<LoopSums.Sum, LoopSums.Sum> biasOf = new IdentityHashMap<>();
    for (LoopSums.Sum bias : r.sums) {
      if (bias.terms().size() != 1 || bias.terms().getFirst().outer()) {
        continue;
      }
      Node u = bias.terms().getFirst().u();
      for (LoopSums.Sum weight : r.sums) {
        LoopSums.Term first = weight.terms().getFirst();
        if (weight != bias && !biasOf.containsKey(weight) && !biasOf.containsValue(bias) && first.outer()
            && first.u() == u && weight.terms().stream().allMatch(LoopSums.Term::outer)
            && bias.mean().shape().size() == u.shape().size()) {
          biasOf.put(weight, bias);
        }
      }
    }
    return biasOf;
  }

  /** {@code mean[j] += sum_b value[b, j]}: a term of a loop's sum, every step, on the calling thread. */
  private static CodeBlock addOverBatch(Addressing step, Node value, CodeBlock mean) {
    int size = value.shape().size();
    return LoopPolicy.loop(BATCH, B, LoopPolicy.loop(size, J,
        CodeBlock.of("$L[$L] += $L;\n", mean, J, step.elem(value, value.batched() ? B : Ix.of(0), J))));
  }

  /**
   * {@code dst = value} for a state of the step ({@link #rows}): as a copy of each instance's row,
   * a loop method of the step, when both are arrays of the batch's rows.
   */
  private static void stateRows(StepLoops loops, Addressing from, Node value, CodeBlock dst, Node state) {
    if (from.holdsArray(value) && value.batched() && state.batched()) {
      loops.rows(rangeCopy(from.ref(value), dst, value.shape().size()), value.shape().size());
    } else {
      loops.statement(rows(from, value, dst, state.batched()));
    }
  }

  /** The rows of instances {@code [from, to)} of one array of the batch's rows into another. */
  private static CodeBlock rangeCopy(CodeBlock from, CodeBlock to, int size) {
    return CodeBlock.of("System.arraycopy($L, $L * $L, $L, $L * $L, ($L - $L) * $L);\n", from, FROM, size, to, FROM, size,
        TO, FROM, size);
  }

  /** {@code System.arraycopy} of a state's array (its leaf's layout) into another of that layout. */
  private static CodeBlock copy(CodeBlock from, CodeBlock to, Node leaf) {
    return CodeBlock.of("System.arraycopy($L, 0, $L, 0, $L);\n", from, to, length(leaf));
  }

  private static CodeBlock length(Node n) {
    int size = n.shape().size();
    return n.batched() ? CodeBlock.of("$L * $L", BATCH, size) : CodeBlock.of("$L", size);
  }

  /**
   * {@code dst[b * size + j] = value[b, j]} for every instance (once when {@code dst} is shared):
   * one array copy when the value is an array of the same layout, else a loop over its elements.
   */
  private static CodeBlock rows(Addressing from, Node value, CodeBlock dst, boolean dstBatched) {
    int size = value.shape().size();
    if (from.holdsArray(value) && from.rowsOf(value) == null && value.batched() == dstBatched) {
      return CodeBlock.of("System.arraycopy($L, 0, $L, 0, $L);\n", from.ref(value), dst, length(value));
    }
    if (!dstBatched) {
      return LoopPolicy.loop(size, J, CodeBlock.of("$L[$L] = $L;\n", dst, J, from.elem(value, Ix.of(0), J)));
    }
    return LoopPolicy.loop(BATCH, B, LoopPolicy.loop(size, J,
        CodeBlock.of("$L[$L] = $L;\n", dst, B.times(size).plus(J), from.elem(value, B, J))));
  }

  /**
   * A forward step value into its rows of all steps for the backward loop ({@link StepSaves}),
   * laid out {@code [T, B, size]}: step t's rows are one run, written by one copy.
   */
  private static void saved(StepLoops loops, Addressing step, RecurrencePlan.Saved v, RecurrencePlan r) {
    Node value = v.value();
    int size = value.shape().size();
    if (r.step.placedRows(value) != null) {
      return; // computed straight into its rows of all steps (RecurrencePlan.computedInSaves)
    }
    if (step.holdsArray(value) && step.rowsOf(value) == null && value.batched()) {
      // a loop method of the step: the rows of its range of instances, at step t's run of rows
      loops.rows(CodeBlock.of("System.arraycopy($L, $L * $L, $N, ($N * $L + $L) * $L, ($L - $L) * $L);\n", step.ref(value),
          FROM, size, v.field(), r.stepField, BATCH, FROM, size, TO, FROM, size), size);
    } else {
      loops.statement(saved(step, v));
    }
  }

  /** {@link #saved(StepLoops, Addressing, RecurrencePlan.Saved, RecurrencePlan)} as one statement over the batch. */
  private static CodeBlock saved(Addressing step, RecurrencePlan.Saved v) {
    Node value = v.value();
    int size = value.shape().size();
    if (step.holdsArray(value) && step.rowsOf(value) == null) {
      return CodeBlock.of("System.arraycopy($L, 0, $N, $L * $L * $L, $L * $L);\n", step.ref(value), v.field(), T, BATCH,
          size, BATCH, size);
    }
    return LoopPolicy.loop(BATCH, B, LoopPolicy.loop(size, J, CodeBlock.of("$N[$L] = $L;\n", v.field(),
        new Ix.Bin(T, '*', BATCH).plus(B).times(size).plus(J), step.elem(value, B, J))));
  }

  /** Row t of every instance's sequence into the step's rows ({@link Steps#slot}). */
  private CodeBlock slot(Node sequence, Node leaf, int steps, String rows) {
    int size = leaf.shape().size();
    if (a.holdsArray(sequence) && sequence.batched() == leaf.batched()) {
      return CodeBlock.of("$T.slot($L, $L, $L, $L, $L, $N);\n", STEPS, a.ref(sequence), steps, T, size,
          leaf.batched() ? BATCH : 1, rows);
    }
    Ix element = T.times(size).plus(J);
    if (!leaf.batched()) {
      return LoopPolicy.loop(size, J, CodeBlock.of("$N[$L] = $L;\n", rows, J, a.elem(sequence, Ix.of(0), element)));
    }
    return LoopPolicy.loop(BATCH, B, LoopPolicy.loop(size, J,
        CodeBlock.of("$N[$L] = $L;\n", rows, B.times(size).plus(J), a.elem(sequence, B, element))));
  }

  /**
   * A step's value into row t of its rows of all steps: a loop method of the step over its range
   * of instances when the value is an array of the batch's rows, else {@link #toSlot}.
   */
  private static void toSlot(StepLoops loops, Addressing step, Node value, CodeBlock out, boolean outBatched,
      RecurrencePlan r) {
    int size = value.shape().size();
    if (step.holdsArray(value) && value.batched() && outBatched) {
      loops.rows(CodeBlock.of("$T.toSlot($L, $L, $L, $N, $L, $L, $L);\n", STEPS, step.ref(value), out, r.steps,
          r.stepField, size, FROM, TO), size);
    } else {
      loops.statement(toSlot(step, value, out, outBatched, r.steps));
    }
  }

  /** A step's value into row t of its rows of all steps ({@link Steps#toSlot}). */
  private static CodeBlock toSlot(Addressing step, Node value, CodeBlock out, boolean outBatched, int steps) {
    int size = value.shape().size();
    if (step.holdsArray(value) && step.rowsOf(value) == null && value.batched() == outBatched) {
      return CodeBlock.of("$T.toSlot($L, $L, $L, $L, $L, $L);\n", STEPS, step.ref(value), out, steps, T, size,
          outBatched ? BATCH : 1);
    }
    Ix at = T.times(size).plus(J);
    if (!outBatched) {
      return LoopPolicy.loop(size, J, CodeBlock.of("$L[$L] = $L;\n", out, at, step.elem(value, Ix.of(0), J)));
    }
    return LoopPolicy.loop(BATCH, B, LoopPolicy.loop(size, J, CodeBlock.of("$L[$L] = $L;\n",
        out, B.times(steps * size).plus(at), step.elem(value, value.batched() ? B : Ix.of(0), J))));
  }

  /**
   * A step's statements, in order, where each run of consecutive values computed by batch loops
   * alone (an LSTM's gates, its cell and hidden state: eight loops) becomes one loop running them
   * in turn ({@link BatchLoopMethods#merge}): a step then hands its elementwise work to the
   * threads once, split by instances, instead of once per loop or not at all (each of those loops
   * alone is below the split threshold). Sound because a step's batch loops write only their own
   * instances' rows, and the step's arrays are shared only by values of one size
   * ({@code MemoryPlan}), so one range of instances never overwrites rows another still reads.
   */
  private final class StepLoops {
    private final CodeBlock.Builder code = CodeBlock.builder();
    private final java.util.List<Integer> pending = new java.util.ArrayList<>();

    /** A loop method of the step over instances {@code [from, to)}, running {@code rangeBody}. */
    void rows(CodeBlock rangeBody, long workPerInstance) {
      pending.add(batchLoops.count());
      batchLoops.add(rangeBody, java.util.List.of(), workPerInstance);
    }

    /** A statement that is not a batch loop: the loops before it run first. */
    void statement(CodeBlock statement) {
      flush();
      code.add(statement);
    }

    /** A value's code, which added loops {@code [first, end)}: merged if it is only their runs. */
    void value(CodeBlock valueCode, int first, int end) {
      CodeBlock.Builder runs = CodeBlock.builder();
      for (int id = first; id < end; id++) {
        runs.add(batchLoops.run(id));
      }
      if (end > first && runs.build().equals(valueCode)) {
        for (int id = first; id < end; id++) {
          pending.add(id);
        }
      } else {
        statement(valueCode);
      }
    }

    CodeBlock code() {
      flush();
      return code.build();
    }

    private void flush() {
      if (pending.size() == 1) {
        code.add(batchLoops.run(pending.getFirst()));
      } else if (pending.size() > 1) {
        code.add(batchLoops.merge(pending));
      }
      pending.clear();
    }
  }
}
