package dev.nabla.runtime.data;

import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.io.Npz;
import java.nio.file.Path;
import java.util.Map;

/**
 * Feature standardisation: {@code x' = (x - mean) / std} per feature column, with the mean and
 * the (population, divide-by-n) standard deviation computed on the training part only and then
 * applied to every part. A constant column (std 0, or below 1e-12 times its magnitude) keeps
 * std 1, so it is only centred.
 *
 * <p>Saved inside the params file, as the float64 arrays {@value #MEAN} and {@value #STD}
 * (names no param can have: identifiers hold no dot), so the params and their standardisation
 * are one file, written atomically together: prediction can never pair params with the
 * standardisation of another run. Older versions wrote a separate {@code P.standardize.npz} with
 * arrays {@code mean} and {@code std} ({@link #sidecar(Path)}, {@link #load(Path, int)}).
 */
public final class Standardizer {
  /** The params-file entry of the per-feature means. */
  public static final String MEAN = "nabla.standardize.mean";
  /** The params-file entry of the per-feature standard deviations. */
  public static final String STD = "nabla.standardize.std";

  private final double[] mean;
  private final double[] std;

  private Standardizer(double[] mean, double[] std) {
    this.mean = mean;
    this.std = std;
  }

  /** Computes the mean and standard deviation of every feature column of {@code train}. */
  public static Standardizer fit(Dataset train) {
    int f = train.features();
    int n = train.rows();
    float[] x = train.x();
    double[] mean = new double[f];
    double[] std = new double[f];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < f; c++) {
        mean[c] += x[r * f + c];
      }
    }
    for (int c = 0; c < f; c++) {
      mean[c] /= Math.max(1, n);
    }
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < f; c++) {
        double d = x[r * f + c] - mean[c];
        std[c] += d * d;
      }
    }
    for (int c = 0; c < f; c++) {
      double s = Math.sqrt(std[c] / Math.max(1, n));
      std[c] = s > 1e-12 * Math.max(1, Math.abs(mean[c])) ? s : 1;
    }
    return new Standardizer(mean, std);
  }

  /** Rescales the features of {@code data} in place. */
  public void apply(Dataset data) {
    int f = mean.length;
    if (data.features() != f) {
      throw new NablaDataException(data.source() + ": " + data.features() + " features, but the standardisation has "
          + f);
    }
    float[] x = data.x();
    for (int i = 0; i < x.length; i++) {
      int c = i % f;
      x[i] = (float) ((x[i] - mean[c]) / std[c]);
    }
  }

  /** The per-column means (a copy). */
  public double[] mean() {
    return mean.clone();
  }

  /** The per-column standard deviations, 1 for constant columns (a copy). */
  public double[] std() {
    return std.clone();
  }

  /** Adds the entries {@value #MEAN} and {@value #STD} to a params file's arrays. */
  public void addTo(Map<String, NdArray> arrays) {
    arrays.put(MEAN, NdArray.of(mean.clone(), mean.length));
    arrays.put(STD, NdArray.of(std.clone(), std.length));
  }

  /**
   * Removes the entries {@value #MEAN} and {@value #STD} from a params file's arrays (read from
   * {@code source}) and returns the standardisation they hold, checked against {@code features}
   * columns; null when the file has neither (the model was trained without standardisation).
   */
  public static Standardizer take(Map<String, NdArray> arrays, String source, int features) {
    NdArray m = arrays.remove(MEAN);
    NdArray s = arrays.remove(STD);
    if (m == null && s == null) {
      return null;
    }
    if (m == null || s == null) {
      throw new NablaDataException(source + ": has '" + (m == null ? STD : MEAN) + "' but not '" + (m == null ? MEAN : STD)
          + "' (a standardisation needs both)");
    }
    return of(m, s, source, features);
  }

  /** {@code P.npz} → {@code P.standardize.npz}, where older versions kept the standardisation. */
  public static Path sidecar(Path params) {
    String name = params.getFileName().toString();
    String stem = name.endsWith(".npz") ? name.substring(0, name.length() - 4) : name;
    return params.resolveSibling(stem + ".standardize.npz");
  }

  /** Reads an older version's separate standardisation file, checking it has {@code features} columns. */
  public static Standardizer load(Path file, int features) {
    Map<String, NdArray> arrays = Npz.read(file);
    NdArray m = arrays.get("mean");
    NdArray s = arrays.get("std");
    if (m == null || s == null || arrays.size() != 2) {
      throw new NablaDataException(file + ": a standardisation file holds exactly 'mean' and 'std', this one has "
          + arrays.keySet());
    }
    return of(m, s, file.toString(), features);
  }

  private static Standardizer of(NdArray m, NdArray s, String source, int features) {
    if (!m.hasShape(features) || !s.hasShape(features)) {
      throw new NablaDataException(source + ": the standardisation's mean is " + m.shapeString() + " and its std "
          + s.shapeString() + ", but the model has " + features + " features");
    }
    double[] mean = m.toDoubles();
    double[] std = s.toDoubles();
    for (int i = 0; i < features; i++) {
      if (!Double.isFinite(mean[i]) || !(std[i] > 0) || !Double.isFinite(std[i])) {
        throw new NablaDataException(source + ": standardisation column " + i + " has mean " + mean[i] + " and std "
            + std[i] + " (the std must be positive and both finite)");
      }
    }
    return new Standardizer(mean, std);
  }
}
