package dev.nabla.compiler.check;

import dev.nabla.compiler.check.Builtins.Param;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Recurrence;
import dev.nabla.compiler.graph.RecurrenceOutput;
import java.util.List;

/**
 * The built-in of loops: {@code previous(h)}, after a loop with state {@code h}, is the state's
 * value before each step, {@code [T, ...]} (row t is h_{t-1}; row 0 of a forward loop is the
 * initial value). A loop saves these values anyway (its derivative reads them), so this costs
 * nothing; printed derivative programs read the saved states through it
 * ({@code for x in reverse(xs), h_prev in reverse(previous(h)) ...}).
 */
final class LoopCalls {
  private LoopCalls() {}

  static final String PREVIOUS = "previous";

  static void defineAll(ConvCalls.Definer table) {
    table.define(PREVIOUS, List.of(Param.value("state")), LoopCalls::previous);
  }

  private static Node previous(Call c) {
    Node state = c.node("state");
    if (!(state.op() instanceof RecurrenceOutput out)
        || out.index() >= ((Recurrence) state.input(0).op()).stateCount()) {
      return c.errorAt("state", "'previous' takes a state of a loop, as in previous(h); "
          + c.describe("state") + " is not one");
    }
    Node loop = state.input(0);
    Recurrence r = (Recurrence) loop.op();
    int saved = r.step().collected().indexOf(r.step().states().get(out.index()));
    return c.g().recurrenceOutputs(loop).get(r.stateCount() + saved);
  }
}
