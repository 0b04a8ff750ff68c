package dev.nabla.compiler.graph;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loop over the steps of one or more sequences, carrying states from step to step: the
 * language's {@code for x in xs { state h[H] = 0; h = tanh(W @ x + U @ h + b); collect hs = h; }}.
 *
 * <p><b>Inputs</b>, in this order: the sequences (each {@code [T, ...]}, all of one length T,
 * read along their first axis), the initial value of each state (of the state's shape), and the
 * values computed before the loop that the step reads ({@link RecurrenceStep#outers}). The step
 * function is {@link #step}: at step t its element leaves are row t of each sequence, its state
 * leaves the states' values after step t - 1 (the initial values at the first step).
 *
 * <p><b>Direction.</b> Steps run t = 0 .. T-1, or t = T-1 down to 0 when {@link #reverse} (the
 * derivative's backward loop, {@code for x in reverse(xs)}); either way row t of a collected value
 * is what step t collected, so a reversed loop's outputs line up with its inputs.
 *
 * <p><b>Outputs.</b> An op has one value, so a recurrence's value is a bundle: the flat
 * concatenation of its outputs, each row-major, in this order: the final value of each state
 * (its shape), then each collected value ({@code [T, ...]}). Each output is read through a
 * {@link RecurrenceOutput} node (made by {@link Graph#recurrenceOutputs}), which knows its offset
 * and shape; nothing else reads the bundle. Projection nodes rather than slices of a flat vector
 * so that the outputs keep their shapes and names, code generation can keep the bundle as one
 * array and each output as a view of it, and reverse mode can differentiate the loop once for
 * all of its outputs (see {@code autodiff/BackwardRecurrence}): {@link #vjp} is never called,
 * because the adjoint of a recurrence is one backward recurrence built from the adjoints of all
 * of its outputs together, which a per-output rule cannot give.
 *
 * <p><b>What is saved.</b> The checker collects each state's value before every step
 * ({@code collect} of the state's leaf), so the derivative's backward loop can recompute a step's
 * intermediate values from its inputs: as a graph, that is all a loop keeps. Generated code also
 * saves the step values the backward step reads (an LSTM's gates) and does not recompute them
 * ({@code codegen/StepSaves}).
 */
public record Recurrence(RecurrenceStep step, boolean reverse) implements Op {
  public int sequenceCount() {
    return step.elements().size();
  }

  public int stateCount() {
    return step.states().size();
  }

  public int outerCount() {
    return step.outers().size();
  }

  /** The number of outputs: one per state, one per collected value. */
  public int outputCount() {
    return stateCount() + step.collected().size();
  }

  /** The shape of output {@code k} when the sequences have {@code steps} rows. */
  public Shape outputShape(int k, int steps) {
    if (k < stateCount()) {
      return step.states().get(k).shape();
    }
    List<Integer> dims = new ArrayList<>();
    dims.add(steps);
    dims.addAll(step.collected().get(k - stateCount()).shape().dims());
    return new Shape(dims);
  }

  /** Where output {@code k} starts in the bundle. */
  public int outputOffset(int k, int steps) {
    int offset = 0;
    for (int j = 0; j < k; j++) {
      offset += outputShape(j, steps).size();
    }
    return offset;
  }

  /** T: the length of the first axis of the sequences (the first inputs). */
  public static int steps(List<Shape> inputs) {
    return inputs.getFirst().dim(0);
  }

  @Override
  public Shape shape(List<Shape> inputs) {
    int n = sequenceCount() + stateCount() + outerCount();
    if (inputs.size() != n || sequenceCount() == 0) {
      throw Op.badShapes("recurrence", inputs);
    }
    int steps = steps(inputs);
    for (int i = 0; i < n; i++) {
      Shape expected = i < sequenceCount()
          ? sequenceOf(step.elements().get(i).shape(), steps)
          : i < sequenceCount() + stateCount()
              ? step.states().get(i - sequenceCount()).shape()
              : step.outers().get(i - sequenceCount() - stateCount()).shape();
      if (!inputs.get(i).equals(expected)) {
        throw Op.badShapes("recurrence", inputs);
      }
    }
    return Shape.of(outputOffset(outputCount(), steps));
  }

  private static Shape sequenceOf(Shape element, int steps) {
    List<Integer> dims = new ArrayList<>();
    dims.add(steps);
    dims.addAll(element.dims());
    return new Shape(dims);
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    int steps = steps(inputShapes);
    int sequences = sequenceCount();
    int states = stateCount();
    double[] bundle = new double[out.size()];
    double[][] current = new double[states][];
    for (int k = 0; k < states; k++) {
      current[k] = inputs.get(sequences + k).clone();
    }
    List<Node> collected = step.collected();
    for (int i = 0; i < steps; i++) {
      int t = reverse ? steps - 1 - i : i;
      Map<Node, double[]> v = new IdentityHashMap<>();
      for (int s = 0; s < sequences; s++) {
        int size = step.elements().get(s).shape().size();
        double[] row = new double[size];
        System.arraycopy(inputs.get(s), t * size, row, 0, size);
        v.put(step.elements().get(s), row);
      }
      for (int k = 0; k < states; k++) {
        v.put(step.states().get(k), current[k]);
      }
      for (int o = 0; o < outerCount(); o++) {
        v.put(step.outers().get(o), inputs.get(sequences + states + o));
      }
      for (Node n : step.schedule()) {
        List<double[]> args = new ArrayList<>(n.inputs().size());
        List<Shape> shapes = new ArrayList<>(n.inputs().size());
        for (Node in : n.inputs()) {
          args.add(v.get(in));
          shapes.add(in.shape());
        }
        v.put(n, n.op().eval(args, shapes, n.shape()));
      }
      for (int m = 0; m < collected.size(); m++) {
        int size = collected.get(m).shape().size();
        System.arraycopy(v.get(collected.get(m)), 0, bundle, outputOffset(states + m, steps) + t * size, size);
      }
      for (int k = 0; k < states; k++) {
        current[k] = v.get(step.updates().get(k));
      }
    }
    for (int k = 0; k < states; k++) {
      System.arraycopy(current[k], 0, bundle, outputOffset(k, steps), current[k].length);
    }
    return bundle;
  }

  /**
   * Never called: {@code autodiff/ReverseMode} differentiates a recurrence through all of its
   * {@link RecurrenceOutput}s at once (see the class comment).
   */
  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    throw new UnsupportedOperationException("a recurrence is differentiated through its outputs");
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return (reverse ? "reversed " : "") + "recurrence " + step;
  }
}
