package dev.nabla.runtime.data;

import dev.nabla.runtime.Model;
import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.TensorSpec;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The columns a model's data needs: its inputs, flattened in declaration order, then its
 * targets, flattened in declaration order. A row of a data file is
 * <ul>
 *   <li>{@code features + targets} numbers: the features, then the target values; or</li>
 *   <li>{@code features + 1} numbers when {@code classes > 1}: the features, then a class label
 *       {@code 0..classes-1} that the reader turns into a one-hot target (the model has a single
 *       target of width {@code classes}); or</li>
 *   <li>{@code features} numbers, where targets are optional (prediction, or the feature file of a
 *       separate feature/target pair).</li>
 * </ul>
 *
 * @param features the number of feature columns (the inputs' total size)
 * @param targets the number of target values per row (the targets' total size)
 * @param classes the width of the one target when a class label may stand for it (width &gt; 1),
 *     otherwise 0
 * @param description what the columns are for error messages, e.g.
 *     {@code "model Digits (input x[64]; target d[10])"}
 */
public record Layout(int features, int targets, int classes, String description) {
  /** Validates. */
  public Layout {
    if (features < 0 || targets < 0 || classes < 0 || (classes > 0 && classes != targets)) {
      throw new IllegalArgumentException("bad layout: features " + features + ", targets " + targets
          + ", classes " + classes);
    }
  }

  /** The layout of a model's inputs and targets. */
  public static Layout of(Model model) {
    String desc = "model " + model.name() + " (" + specs("input", model.inputs())
        + (model.targets().isEmpty() ? "" : "; " + specs("target", model.targets())) + ")";
    // In long: eight inputs of [16384, 16384] are 2^31 values, which an int sum wraps.
    long f = model.inputs().stream().mapToLong(TensorSpec::size).sum();
    long t = model.targets().stream().mapToLong(TensorSpec::size).sum();
    if (f + t > DataLimits.MAX_VALUES) {
      throw new NablaDataException(desc + ": one row of its data would hold " + f + " feature and " + t
          + " target values, more than the " + DataLimits.MAX_VALUES + " values a data set may hold");
    }
    int classes = model.targets().size() == 1 && t > 1 ? (int) t : 0;
    return new Layout((int) f, (int) t, classes, desc);
  }

  private static String specs(String kind, List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::toString)
        .collect(Collectors.joining(", ", kind + (specs.size() > 1 ? "s " : " "), ""));
  }

  /** The layout of a file that holds only the features (targets come from another file). */
  public Layout featuresOnly() {
    return new Layout(features, 0, 0, description);
  }

  /** The layout of a file that holds only the targets (a target file of a feature/target pair). */
  public Layout targetsOnly() {
    return new Layout(0, targets, classes, description);
  }

  /** What a row must look like, for messages: {@code "64 features then 10 target values (74 columns), or ..."}. */
  String expectation(boolean targetsOptional) {
    StringBuilder sb = new StringBuilder();
    if (targets == 0) {
      return plural(features, "column") + " (" + what(features, "feature") + ")";
    }
    String f = features == 0 ? "" : what(features, "feature") + " then ";
    sb.append(f).append(what(targets, "target value")).append(" (").append(plural(features + targets, "column")).append(')');
    if (classes > 1) {
      sb.append(", or ").append(f).append("a class label 0..").append(classes - 1)
          .append(" (").append(plural(features + 1, "column")).append(')');
    }
    if (targetsOptional && features > 0) {
      sb.append(", or ").append(what(features, "feature")).append(" alone (").append(plural(features, "column")).append(')');
    }
    return sb.toString();
  }

  private static String what(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
