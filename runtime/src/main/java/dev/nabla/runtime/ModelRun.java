package dev.nabla.runtime;

import dev.nabla.runtime.kernels.SgdUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One batch size's worth of buffers for a {@link Model}, and the forward and backward passes over
 * them (generated code wraps {@code P.DigitsForward} and {@code P.DigitsBackward}).
 *
 * <p>Use: fill {@link #input(String)} for every input and target, call {@link #forward()}, read
 * {@link #output(String)}, call {@link #backward()}, read {@link #gradient(String)}. All arrays
 * returned are live buffers owned by the run (no allocation per step); they are overwritten by
 * the next pass. Unknown names throw {@link IllegalArgumentException}; {@link #backward()}
 * before any {@link #forward()} throws {@link IllegalStateException}.
 */
public interface ModelRun {
  /** The model this run belongs to. */
  Model model();

  /** The number of instances B in a batch. */
  int batchSize();

  /** The live {@code [B, ...]} buffer of an input or target, for the caller to fill. */
  NdArray input(String name);

  /** Runs the batch forward and returns the mean loss over its B instances. */
  double forward();

  /** The {@code [B, ...]} values of an output after {@link #forward()}. */
  NdArray output(String name);

  /** After {@link #forward()}: computes the gradients of the mean loss. */
  void backward();

  /**
   * After {@link #forward()}: {@link #backward()}, then one plain SGD step of every param from its
   * gradient, {@code p -= lr * g} in the model's precision ({@link SgdUpdate}: a float model's
   * rate is {@code (float) lr}). The gradients stay readable afterwards. Generated models give the
   * same bits as this default but do the step of a weight matrix inside its gradient's product
   * where nothing later in the backward pass reads the weights ({@code Gemm.aTb}'s SGD form), so
   * that the update is not a pass of its own over the weights and their gradients. For the
   * trainer's rules (momentum, Adam, clipping, the divergence check before updating) use
   * {@code train.Optimizer} after {@link #backward()}.
   */
  default void backwardAndSgd(double lr) {
    backward();
    SgdUpdate update = new SgdUpdate();
    for (TensorSpec s : model().params()) {
      NdArray w = model().param(s.name());
      NdArray g = gradient(s.name());
      if (w.dtype() == DType.F32) {
        update.apply(w.floats(), g.floats(), (float) lr);
      } else {
        update.apply(w.doubles(), g.doubles(), lr);
      }
    }
  }

  /**
   * The gradient of the mean loss: for a param, an array of the param's shape; for an input
   * declared {@code grad}, a {@code [B, ...]} array.
   */
  NdArray gradient(String name);

  /**
   * The per-phase timers of the forward and backward passes when the model was compiled with
   * profiling ({@code nabla bench --profile}); empty otherwise. Call after a {@link #backward()},
   * which creates the backward pass.
   */
  default List<PhaseTimes> phaseTimes() {
    return List.of();
  }

  /**
   * Copies a batch (e.g. read from a {@code B.npz}) into the input and target buffers,
   * converting F32/F64. The map must hold exactly the model's inputs and targets, each
   * {@code [B, ...]}; otherwise nothing is copied and a {@link NablaDataException} names
   * {@code source}, the entry and both shapes.
   */
  default void setInputs(Map<String, NdArray> batch, String source) {
    Model m = model();
    List<TensorSpec> specs = new ArrayList<>(m.inputs());
    specs.addAll(m.targets());
    List<String> problems = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (TensorSpec s : specs) {
      names.add(s.name());
      NdArray v = batch.get(s.name());
      int[] want = s.batchShape(batchSize());
      if (v == null) {
        problems.add("'" + s.name() + "' " + Shapes.toString(want) + " is missing");
      } else if (!v.hasShape(want)) {
        problems.add("'" + s.name() + "' is " + v.shapeString() + " but model " + m.name() + " expects "
            + Shapes.toString(want) + " (batch size " + batchSize() + ", instance shape "
            + s.shapeString() + ")");
      }
    }
    for (String key : batch.keySet()) {
      if (!names.contains(key)) {
        problems.add("'" + key + "' is not an input or target of model " + m.name());
      }
    }
    if (!problems.isEmpty()) {
      throw new NablaDataException(source + ": " + String.join("; ", problems));
    }
    for (TensorSpec s : specs) {
      input(s.name()).copyFrom(batch.get(s.name()));
    }
  }
}
