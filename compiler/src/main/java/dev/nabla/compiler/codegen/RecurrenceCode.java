package dev.nabla.compiler.codegen;

import static dev.nabla.compiler.codegen.Locals.B;
import static dev.nabla.compiler.codegen.Locals.BATCH;
import static dev.nabla.compiler.codegen.Locals.J;
import static dev.nabla.compiler.codegen.Locals.T;
import static dev.nabla.compiler.codegen.RuntimeTypes.STEPS;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.compiler.codegen.Plan.Storage;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.RecurrenceStep;
import dev.nabla.runtime.kernels.Steps;

/**
 * The loop of a recurrence: {@code for (int t = 0; t < T; t++) { step }} (from T - 1 down for a
 * reversed one, the derivative's), whose body is the step graph's values emitted by an
 * {@link Emitter} of their own, over the whole batch at once: a product of the step is one
 * {@code Gemm} call over the batch's stacked rows, an elementwise value one loop that the runtime
 * may split across threads by instances. The code is the same for any T (the loop's bound is a
 * literal), and a step allocates nothing: every array is one of {@link RecurrencePlan}.
 *
 * <pre>
 *   copies of outer values without arrays; each state's initial value into the array carrying it
 *   for (int t = 0; t &lt; T; t++) {
 *     Steps.slot(xs, T, t, d, batch, x_rows);    // row t of each instance's sequence
 *     ... the step's values ...
 *     Steps.toSlot(h_step, hs, T, t, H, batch);   // collected values: row t of their outputs
 *     System.arraycopy(h_next, 0, h, 0, batch * H); // each state's update, for the next step
 *   }
 *   the final states into their outputs (when not carried there)
 * </pre>
 */
final class RecurrenceCode {
  private final Addressing a;
  private final BatchLoopMethods batchLoops;

  RecurrenceCode(Addressing addressing, BatchLoopMethods batchLoops) {
    this.a = addressing;
    this.batchLoops = batchLoops;
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
    Emitter step = new Emitter(stepAddressing, batchLoops);
    CodeBlock.Builder code = CodeBlock.builder();
    for (int o = 0; o < r.copies.size(); o++) {
      if (r.copies.get(o) != null) {
        code.add(rows(a, r.outer(o), CodeBlock.of("$N", r.copies.get(o)), s.outers().get(o).batched()));
      }
    }
    for (int k = 0; k < r.carried.size(); k++) {
      code.add(rows(a, r.initial(k), CodeBlock.of("$N", r.carried.get(k)), s.states().get(k).batched()));
    }
    if (r.op.reverse()) {
      code.beginControlFlow("for (int $L = $L; $L >= 0; $L--)", T, r.steps - 1, T, T);
    } else {
      code.beginControlFlow("for (int $L = 0; $L < $L; $L++)", T, T, r.steps, T);
    }
    for (int i = 0; i < r.rows.size(); i++) {
      Node sequence = r.sequence(i);
      Node leaf = s.elements().get(i);
      code.add(slot(sequence, leaf, r.steps, r.rows.get(i)));
    }
    for (Node v : r.step.forwardNodes()) {
      if (r.step.storage(v) == Storage.FORWARD && !r.step.fusion().silent(v)) {
        code.add(step.compute(v));
      }
    }
    for (int m = 0; m < s.collected().size(); m++) {
      Node out = r.outputs.get(r.op.stateCount() + m);
      if (out != null) {
        code.add(toSlot(stepAddressing, s.collected().get(m), out, r.steps));
      }
    }
    for (int k = 0; k < r.carried.size(); k++) {
      if (r.swaps.get(k) != null) {
        code.add(rows(stepAddressing, s.updates().get(k), CodeBlock.of("$N", r.swaps.get(k)), s.states().get(k).batched()));
      }
    }
    for (int k = 0; k < r.carried.size(); k++) {
      Node update = s.updates().get(k);
      boolean leaf = update == s.states().get(k);
      if (!leaf) {
        code.add(r.swaps.get(k) != null
            ? copy(CodeBlock.of("$N", r.swaps.get(k)), CodeBlock.of("$N", r.carried.get(k)), s.states().get(k))
            : rows(stepAddressing, update, CodeBlock.of("$N", r.carried.get(k)), s.states().get(k).batched()));
      }
    }
    code.endControlFlow();
    for (int k = 0; k < r.carried.size(); k++) {
      Node out = r.outputs.get(k);
      if (out != null && !r.carriedInOutput.get(k)) {
        code.add(copy(CodeBlock.of("$N", r.carried.get(k)), a.ref(out), s.states().get(k)));
      }
    }
    return code.build();
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
    if (from.holdsArray(value) && value.batched() == dstBatched) {
      return CodeBlock.of("System.arraycopy($L, 0, $L, 0, $L);\n", from.ref(value), dst, length(value));
    }
    if (!dstBatched) {
      return LoopPolicy.loop(size, J, CodeBlock.of("$L[$L] = $L;\n", dst, J, from.elem(value, Ix.of(0), J)));
    }
    return LoopPolicy.loop(BATCH, B, LoopPolicy.loop(size, J,
        CodeBlock.of("$L[$L] = $L;\n", dst, B.times(size).plus(J), from.elem(value, B, J))));
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

  /** A step's collected value into row t of its output ({@link Steps#toSlot}). */
  private CodeBlock toSlot(Addressing step, Node value, Node out, int steps) {
    int size = value.shape().size();
    if (step.holdsArray(value) && value.batched() == out.batched()) {
      return CodeBlock.of("$T.toSlot($L, $L, $L, $L, $L, $L);\n", STEPS, step.ref(value), a.ref(out), steps, T, size,
          out.batched() ? BATCH : 1);
    }
    Ix at = T.times(size).plus(J);
    if (!out.batched()) {
      return LoopPolicy.loop(size, J, CodeBlock.of("$L[$L] = $L;\n", a.ref(out), at, step.elem(value, Ix.of(0), J)));
    }
    return LoopPolicy.loop(BATCH, B, LoopPolicy.loop(size, J, CodeBlock.of("$L[$L] = $L;\n",
        a.ref(out), B.times(steps * size).plus(at), step.elem(value, B, J))));
  }
}
