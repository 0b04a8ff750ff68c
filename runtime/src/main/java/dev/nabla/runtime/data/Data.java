package dev.nabla.runtime.data;

import dev.nabla.runtime.Model;
import dev.nabla.runtime.NablaDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Data sets for a model, from files or from Java arrays: the front door of this package.
 *
 * <p>The model decides the columns ({@link Layout#of}): a row holds the inputs' values flattened
 * in declaration order, then the targets' values, or, for a model with one target of width
 * {@code K > 1}, a class label {@code 0..K-1} instead of the K target values (turned into a
 * one-hot row). A file is
 * <ul>
 *   <li>a CSV file, plain or gzipped, comma or whitespace separated, with or without a header
 *       line ({@link CsvReader});</li>
 *   <li>an IDX images file ({@code ...-images-idx3-ubyte[.gz]}) with its labels file next to it;</li>
 *   <li>a directory holding an IDX pair ({@code train-images-idx3-ubyte},
 *       {@code train-labels-idx1-ubyte}, the layout of MNIST and Fashion-MNIST; a test read
 *       prefers the {@code t10k} pair).</li>
 * </ul>
 * A bad row is a {@link NablaDataException} whose message starts with {@code FILE:LINE:}.
 *
 * <pre>{@code
 * Iris model = new Iris();
 * Dataset all = Data.read(Path.of("iris.csv"), model);            // 4 features, a label 0..2
 * Splits.Split parts = Data.split(all, 0.2, 1);                    // 20% for testing, seed 1
 * Standardizer scale = Data.standardize(parts.train(), parts.test());
 * Dataset row = Data.of(model, new double[][] {{5.1, 3.5, 1.4, 0.2}});   // no targets
 * }</pre>
 */
public final class Data {
  private Data() {}

  /**
   * Training data: targets are required (unless the model has none); a directory gives its
   * {@code train} IDX pair.
   */
  public static Dataset read(Path data, Model model) {
    return read(data, null, model);
  }

  /**
   * Training data whose targets (or class labels) are in a separate CSV file {@code targets}
   * (may be null), one row per row of {@code features}, in the same order.
   */
  public static Dataset read(Path features, Path targets, Model model) {
    Layout layout = Layout.of(model);
    return readChecked(features, targets, layout, layout.targets() == 0, false);
  }

  /**
   * Test data: as {@link #read(Path, Path, Model)}, but a directory gives its {@code t10k} IDX
   * pair when it has one.
   */
  public static Dataset readTest(Path data, Path targets, Model model) {
    Layout layout = Layout.of(model);
    return readChecked(data, targets, layout, layout.targets() == 0, true);
  }

  /**
   * Data to predict on: targets are optional (when present they are used for measuring, never fed
   * to the outputs); a directory gives its {@code t10k} IDX pair when it has one.
   */
  public static Dataset readForPrediction(Path data, Path targets, Model model) {
    return readChecked(data, targets, Layout.of(model), true, true);
  }

  /** The {@code t10k} IDX pair of a data directory, read as test data; null when {@code data} is no directory or has none. */
  public static Dataset idxTestPart(Path data, Model model) {
    if (!Files.isDirectory(data)) {
      return null;
    }
    Path[] pair = DataFiles.idxPair(data, "t10k");
    return pair == null ? null : DataFiles.readIdxPair(pair, Layout.of(model), false, DataLimits.DEFAULT);
  }

  private static Dataset readChecked(Path data, Path targets, Layout layout, boolean targetsOptional,
      boolean preferTest) {
    Objects.requireNonNull(data, "data");
    if (!Files.exists(data)) {
      throw new NablaDataException(data + ": no such file or directory");
    }
    if (targets != null && !Files.exists(targets)) {
      throw new NablaDataException(targets + ": no such file");
    }
    if (targets == null && preferTest && Files.isDirectory(data)) {
      Path[] pair = DataFiles.idxPair(data, "t10k");
      if (pair != null) {
        return DataFiles.readIdxPair(pair, layout, targetsOptional, DataLimits.DEFAULT);
      }
    }
    return DataFiles.read(data, targets, layout, targetsOptional, DataLimits.DEFAULT);
  }

  /** Rows of features only (for prediction): {@code features[i]} holds row i's input values. */
  public static Dataset of(Model model, double[][] features) {
    return of(model, features, (double[][]) null);
  }

  /**
   * Rows of features and target values: {@code features[i]} holds row i's input values (the
   * inputs flattened in declaration order) and {@code targets[i]} its target values (null for no
   * targets). The values are copied.
   */
  public static Dataset of(Model model, double[][] features, double[][] targets) {
    Layout layout = Layout.of(model);
    int rows = features.length;
    if (targets != null && targets.length != rows) {
      throw new IllegalArgumentException(rows + " rows of features but " + targets.length + " rows of targets");
    }
    int t = targets == null ? 0 : layout.targets();
    float[] x = new float[Math.multiplyExact(rows, layout.features())];
    float[] y = new float[Math.multiplyExact(rows, t)];
    for (int r = 0; r < rows; r++) {
      copyRow(features[r], x, r, layout.features(), "features", layout);
      if (targets != null) {
        copyRow(targets[r], y, r, t, "targets", layout);
      }
    }
    return new Dataset("<arrays>", rows, layout.features(), t, x, y, null, false);
  }

  /**
   * Rows of features and class labels, for a model with one target of width {@code K > 1}: label
   * {@code labels[i]} in {@code 0..K-1} becomes row i's one-hot target.
   */
  public static Dataset of(Model model, double[][] features, int[] labels) {
    Layout layout = Layout.of(model);
    if (layout.classes() < 2) {
      throw new IllegalArgumentException(layout.description() + " has no single target of width > 1 for class labels");
    }
    if (labels.length != features.length) {
      throw new IllegalArgumentException(features.length + " rows of features but " + labels.length + " labels");
    }
    double[][] oneHot = new double[labels.length][layout.classes()];
    for (int r = 0; r < labels.length; r++) {
      if (labels[r] < 0 || labels[r] >= layout.classes()) {
        throw new IllegalArgumentException("label " + labels[r] + " of row " + r + " is not in 0.."
            + (layout.classes() - 1));
      }
      oneHot[r][labels[r]] = 1;
    }
    Dataset d = of(model, features, oneHot);
    return new Dataset(d.source(), d.rows(), d.features(), d.targets(), d.x(), d.y(), null, true);
  }

  private static void copyRow(double[] row, float[] to, int r, int width, String what, Layout layout) {
    if (row == null || row.length != width) {
      throw new IllegalArgumentException("row " + r + " has " + (row == null ? 0 : row.length) + " " + what + ", but "
          + layout.description() + " needs " + width);
    }
    for (int j = 0; j < width; j++) {
      to[r * width + j] = (float) row[j];
    }
  }

  /**
   * Splits {@code data} into a training and a test part, {@code testFraction} of the rows (in
   * [0, 1)) for testing, shuffled by {@code seed}: see {@link Splits#split}.
   */
  public static Splits.Split split(Dataset data, double testFraction, long seed) {
    return Splits.split(data, testFraction, seed);
  }

  /**
   * Standardises the features of {@code train} with its own mean and std, and {@code others} (null
   * entries are skipped) with the same: see {@link Standardizer}. Returns the standardisation,
   * for saving with the params and applying to data predicted on later.
   */
  public static Standardizer standardize(Dataset train, Dataset... others) {
    Standardizer s = Standardizer.fit(train);
    s.apply(train);
    for (Dataset d : others) {
      if (d != null) {
        s.apply(d);
      }
    }
    return s;
  }
}
