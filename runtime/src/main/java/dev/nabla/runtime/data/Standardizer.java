package dev.nabla.runtime.data;

import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.io.Npz;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Feature standardisation: {@code x' = (x - mean) / std} per feature column, with the mean and
 * the (population, divide-by-n) standard deviation computed on the training part only and then
 * applied to every part. A constant column (std 0, or below 1e-12 times its magnitude) keeps
 * std 1, so it is only centred.
 *
 * <p>Saved next to the params: {@code P.npz} gets {@code P.standardize.npz} with the float64
 * arrays {@code mean} and {@code std} (see {@link #sidecar(Path)}), so prediction applies the same
 * transform. The params file itself stays exactly the model's params.
 */
public final class Standardizer {
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

  /** {@code P.npz} → {@code P.standardize.npz}; any other name gets {@code .standardize.npz} appended. */
  public static Path sidecar(Path params) {
    String name = params.getFileName().toString();
    String stem = name.endsWith(".npz") ? name.substring(0, name.length() - 4) : name;
    return params.resolveSibling(stem + ".standardize.npz");
  }

  /** Writes {@code mean} and {@code std} to an {@code .npz} file, atomically. */
  public void save(Path file) {
    Map<String, NdArray> arrays = new LinkedHashMap<>();
    arrays.put("mean", NdArray.of(mean.clone(), mean.length));
    arrays.put("std", NdArray.of(std.clone(), std.length));
    Npz.write(file, arrays);
  }

  /** Reads what {@link #save} wrote, checking it has {@code features} columns. */
  public static Standardizer load(Path file, int features) {
    Map<String, NdArray> arrays = Npz.read(file);
    NdArray m = arrays.get("mean");
    NdArray s = arrays.get("std");
    if (m == null || s == null || arrays.size() != 2) {
      throw new NablaDataException(file + ": a standardisation file holds exactly 'mean' and 'std', this one has "
          + arrays.keySet());
    }
    if (!m.hasShape(features) || !s.hasShape(features)) {
      throw new NablaDataException(file + ": 'mean' is " + m.shapeString() + " and 'std' " + s.shapeString()
          + ", but the model has " + features + " features");
    }
    double[] mean = m.toDoubles();
    double[] std = s.toDoubles();
    for (int i = 0; i < features; i++) {
      if (!Double.isFinite(mean[i]) || !(std[i] > 0) || !Double.isFinite(std[i])) {
        throw new NablaDataException(file + ": column " + i + " has mean " + mean[i] + " and std " + std[i]
            + " (the std must be positive and both finite)");
      }
    }
    return new Standardizer(mean, std);
  }
}
