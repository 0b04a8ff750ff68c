package dev.nabla.runtime.data;

import java.util.Objects;

/**
 * A table of instances held in memory as {@code float}: {@code rows} rows of {@code features}
 * feature values and {@code targets} target values (0 when the data carries no targets), both
 * row-major.
 *
 * <p>{@link #x()} and {@link #y()} return the live arrays (a {@link Standardizer} rescales the
 * features in place). A data set read from a file knows the file ({@link #source()}), the header
 * line a CSV reader skipped ({@link #header()}) and whether its targets were class labels turned
 * into one-hot rows ({@link #fromLabels()}).
 */
public final class Dataset {
  private final String source;
  private final int rows;
  private final int features;
  private final int targets;
  private final float[] x;
  private final float[] y;
  private final String header;
  private final boolean fromLabels;

  /**
   * A data set over the given arrays (no copy).
   *
   * @param x {@code rows * features} values, row-major
   * @param y {@code rows * targets} values, row-major ({@code targets} may be 0)
   * @param header the skipped header line, or null
   * @param fromLabels whether the targets were read as class labels
   */
  public Dataset(String source, int rows, int features, int targets, float[] x, float[] y, String header,
      boolean fromLabels) {
    this.source = Objects.requireNonNull(source, "source");
    if (rows < 0 || features < 0 || targets < 0 || (long) rows * features != x.length
        || (long) rows * targets != y.length) {
      throw new IllegalArgumentException("Dataset " + source + ": " + rows + " rows of " + features + " + "
          + targets + " values do not match arrays of " + x.length + " and " + y.length);
    }
    this.rows = rows;
    this.features = features;
    this.targets = targets;
    this.x = x;
    this.y = y;
    this.header = header;
    this.fromLabels = fromLabels;
  }

  /** Where the data came from (a file name, or a description). */
  public String source() {
    return source;
  }

  /** The number of instances. */
  public int rows() {
    return rows;
  }

  /** Feature values per instance. */
  public int features() {
    return features;
  }

  /** Target values per instance; 0 when the data has no targets. */
  public int targets() {
    return targets;
  }

  /** True when the data has target values. */
  public boolean hasTargets() {
    return targets > 0;
  }

  /** The live feature array, {@code rows * features}, row-major. */
  public float[] x() {
    return x;
  }

  /** The live target array, {@code rows * targets}, row-major. */
  public float[] y() {
    return y;
  }

  /** The header line a CSV reader skipped, or null. */
  public String header() {
    return header;
  }

  /** True when the targets were read as class labels and turned into one-hot rows. */
  public boolean fromLabels() {
    return fromLabels;
  }

  /** A new data set of the given rows, in the given order (values copied). */
  public Dataset subset(int[] order, int from, int count, String newSource) {
    float[] sx = new float[Math.multiplyExact(count, features)];
    float[] sy = new float[Math.multiplyExact(count, targets)];
    for (int i = 0; i < count; i++) {
      int r = order[from + i];
      System.arraycopy(x, r * features, sx, i * features, features);
      System.arraycopy(y, r * targets, sy, i * targets, targets);
    }
    return new Dataset(newSource, count, features, targets, sx, sy, header, fromLabels);
  }

  /** This data set's features with the targets of {@code other} (same number of rows). */
  public Dataset withTargets(Dataset other) {
    if (other.rows != rows) {
      throw new IllegalArgumentException("row counts differ: " + rows + " and " + other.rows);
    }
    return new Dataset(source + " + " + other.source, rows, features, other.targets, x, other.y, header,
        other.fromLabels);
  }

  @Override
  public String toString() {
    return source + ": " + rows + " rows, " + features + " features, " + targets + " targets"
        + (fromLabels ? " (from class labels)" : "");
  }
}
