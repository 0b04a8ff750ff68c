package dev.nabla.runtime;

import dev.nabla.runtime.io.Npz;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled model: what it declares (names and per-instance shapes), its live params and
 * hyperparameters, and a factory for batch runs. The generated class {@code P.Digits} for
 * {@code model Digits} implements it, so generic code (gradient checker, trainer, CLI) can drive
 * any compiled model.
 *
 * <p>Contract for implementations: the lists keep declaration order and never change;
 * {@link #param(String)}, {@link #hyper(String)} and {@link #setHyper(String, double)} throw
 * {@link IllegalArgumentException} naming an unknown name; params have the model's
 * {@link #dtype()} and exactly their declared shapes.
 */
public interface Model {
  /** The model's name in the {@code .nn} file, e.g. {@code "Digits"}. */
  String name();

  /** The precision the model was generated for (all params and buffers have it). */
  DType dtype();

  /** The params in declaration order, with their shapes. */
  List<TensorSpec> params();

  /** The inputs in declaration order, with per-instance shapes. */
  List<TensorSpec> inputs();

  /** The targets in declaration order, with per-instance shapes. */
  List<TensorSpec> targets();

  /** The outputs in declaration order, with per-instance shapes. */
  List<TensorSpec> outputs();

  /** Names of the inputs declared {@code grad} (their gradients are computed too). */
  List<String> gradInputs();

  /** Names of the hyperparameters in declaration order. */
  List<String> hyperNames();

  /** The current value of a hyperparameter (its default unless set). */
  double hyper(String name);

  /** Sets a hyperparameter; runs see the new value on their next forward/backward. */
  void setHyper(String name, double value);

  /** The live array of a param: writing to it changes the model. */
  NdArray param(String name);

  /**
   * Initialises every param with its declared initializer, reproducibly from {@code seed}
   * (see {@link Init} for the rule: each param has its own stream from (seed, name)).
   */
  void initialize(long seed);

  /**
   * A run for batches of {@code batchSize} instances; all its buffers are allocated here, once.
   * Runs read the model's live params, so one model may have several runs.
   */
  ModelRun newRun(int batchSize);

  /** The live param arrays by name, in declaration order. */
  default Map<String, NdArray> paramMap() {
    Map<String, NdArray> out = new LinkedHashMap<>();
    for (TensorSpec p : params()) {
      out.put(p.name(), param(p.name()));
    }
    return out;
  }

  /**
   * Sets every param from {@code values} (converting F32/F64 as needed). The map must hold
   * exactly the model's params, each with its declared shape; otherwise nothing is changed and a
   * {@link NablaDataException} names {@code source}, the param and both shapes.
   */
  default void loadParams(Map<String, NdArray> values, String source) {
    List<String> problems = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (TensorSpec p : params()) {
      names.add(p.name());
      NdArray v = values.get(p.name());
      if (v == null) {
        problems.add("param '" + p.name() + "' " + p.shapeString() + " is missing");
      } else if (!v.hasShape(p.shape())) {
        problems.add("param '" + p.name() + "' is " + p.shapeString() + " in model " + name()
            + " but " + v.shapeString() + " in the file");
      }
    }
    for (String key : values.keySet()) {
      if (!names.contains(key)) {
        problems.add("'" + key + "' is not a param of model " + name());
      }
    }
    if (!problems.isEmpty()) {
      throw new NablaDataException(source + ": " + String.join("; ", problems)
          + " (model " + name() + " has params " + params() + ")");
    }
    for (TensorSpec p : params()) {
      param(p.name()).copyFrom(values.get(p.name()));
    }
  }

  /**
   * Loads every param from an {@code .npz} file (see {@link #loadParams(Map, String)}); an entry
   * that is not a param is refused before any entry is inflated.
   */
  default void loadParams(Path npz) {
    List<String> names = params().stream().map(TensorSpec::name).toList();
    loadParams(Npz.read(npz, names, "a param of model " + name()), npz.toString());
  }

  /**
   * Saves every param to an {@code .npz} file, one entry per param name, atomically (a temporary
   * file in the same directory, moved into place): a reader or a crash never sees half a file.
   * Params holding NaN or an infinity (a diverged training run) are refused with a {@link
   * NablaDataException} naming the param and the file, and the file is left as it was, so good
   * params are never overwritten by broken ones.
   */
  default void saveParams(Path npz) {
    Map<String, NdArray> params = paramMap();
    for (Map.Entry<String, NdArray> p : params.entrySet()) {
      NdArray a = p.getValue();
      for (int i = 0; i < a.size(); i++) {
        double v = a.getDouble(i);
        if (!Double.isFinite(v)) {
          throw new NablaDataException(npz + ": not saved: param '" + p.getKey() + "' holds "
              + v + " at flat index " + i + " (the model has diverged); the file is unchanged");
        }
      }
    }
    Npz.write(npz, params);
  }
}
