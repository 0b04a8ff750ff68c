package dev.nabla.compiler.cli;

import dev.nabla.runtime.Model;
import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import dev.nabla.runtime.data.Standardizer;
import dev.nabla.runtime.io.Npz;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A params file as the commands write and read it: one entry per param and, for a model trained
 * with {@code --standardize}, the standardisation beside them ({@link Standardizer#MEAN},
 * {@link Standardizer#STD}), so params and standardisation are written atomically as one file and
 * always belong together. Params holding NaN or an infinity are neither written nor used.
 */
final class ParamsFile {
  private ParamsFile() {}

  /** Writes the model's params and {@code standardizer} (may be null) to {@code output}. */
  static void write(Path output, Model model, Standardizer standardizer) {
    Map<String, NdArray> arrays = new LinkedHashMap<>(model.paramMap());
    String bad = firstNonFinite(arrays);
    if (bad != null) {
      throw new NablaDataException(output + ": not written: " + bad + " (the model has diverged)");
    }
    if (standardizer != null) {
      standardizer.addTo(arrays);
    }
    Outputs.write(output, out -> Npz.write(out, arrays));
  }

  /**
   * Loads the params of {@code file} into {@code model} and returns the standardisation stored
   * with them (checked against {@code features} columns), or null.
   */
  static Standardizer load(Model model, Path file, int features) {
    // Names are checked on the zip directory before anything is inflated (an npz bomb).
    List<String> names = new ArrayList<>(model.params().stream().map(TensorSpec::name).toList());
    names.add(Standardizer.MEAN);
    names.add(Standardizer.STD);
    Map<String, NdArray> arrays = Npz.read(file, names, "a param of model " + model.name() + " or its standardisation");
    Standardizer standardizer = Standardizer.take(arrays, file.toString(), features);
    String bad = firstNonFinite(arrays);
    if (bad != null) {
      throw new NablaDataException(file + ": " + bad + "; these params cannot be used (retrain, or check the file)");
    }
    model.loadParams(arrays, file.toString());
    return standardizer;
  }

  /**
   * {@link #load} for prediction, saying on {@code err} which standardisation it applies. A
   * params file of an older version has none inside; its separate {@code P.standardize.npz} is
   * used when it was written after the params (as that version did), and ignored with a warning
   * otherwise (it then belongs to another run).
   */
  static Standardizer loadForPrediction(Model model, Path file, int features, PrintWriter err) {
    Standardizer standardizer = load(model, file, features);
    if (standardizer != null) {
      err.println("nabla: standardising the features with the mean and std stored in " + file);
      return standardizer;
    }
    Path sidecar = Standardizer.sidecar(file);
    if (!Files.isRegularFile(sidecar)) {
      return null;
    }
    if (olderThan(sidecar, file)) {
      err.println("nabla: warning: ignoring " + sidecar + ": it is older than " + file
          + ", so it belongs to another training run");
      return null;
    }
    err.println("nabla: standardising the features with " + sidecar + " (an older version's separate file)");
    return Standardizer.load(sidecar, features);
  }

  /**
   * Removes an older version's separate standardisation file next to freshly written params. If
   * that fails it is harmless: being older than the params, {@link #load} ignores it.
   */
  static void removeOldSidecar(Path params) {
    try {
      Files.deleteIfExists(Standardizer.sidecar(Outputs.resolve(params)));
    } catch (IOException ignored) {
      // see above
    }
  }

  /** {@code "param 'W' holds NaN at flat index 3"} for the first non-finite value, or null. */
  static String firstNonFinite(Map<String, NdArray> params) {
    for (Map.Entry<String, NdArray> p : params.entrySet()) {
      NdArray a = p.getValue();
      for (int i = 0; i < a.size(); i++) {
        double v = a.getDouble(i);
        if (!Double.isFinite(v)) {
          return "param '" + p.getKey() + "' holds " + v + " at flat index " + i;
        }
      }
    }
    return null;
  }

  private static boolean olderThan(Path a, Path b) {
    try {
      return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b)) < 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + a + ": " + e.getMessage(), e);
    }
  }
}
