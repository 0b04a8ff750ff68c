package dev.nabla.compiler.cli;

import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Layout;
import java.util.Locale;

/**
 * Describing the data that {@code train} and {@code predict} read (through
 * {@link dev.nabla.runtime.data.Data}, as a user's program does), and number formats.
 */
final class DataLoading {
  private DataLoading() {}

  /** {@code "digits.csv.gz: 1797 rows, class labels as one-hot d[10]; skipped header line '...'"}. */
  static String describe(Dataset d, Layout layout) {
    StringBuilder sb = new StringBuilder();
    sb.append(d.source()).append(": ").append(d.rows()).append(d.rows() == 1 ? " row" : " rows")
        .append(", ").append(d.features()).append(d.features() == 1 ? " feature" : " features");
    if (d.fromLabels()) {
      sb.append(", class labels 0..").append(layout.classes() - 1).append(" as one-hot targets");
    } else if (d.hasTargets()) {
      sb.append(", ").append(d.targets()).append(d.targets() == 1 ? " target value" : " target values");
    } else {
      sb.append(", no targets");
    }
    if (d.header() != null) {
      sb.append("; skipped the header line '").append(d.header()).append('\'');
    }
    return sb.toString();
  }

  /** {@code "cannot write /x/y: no such file or directory"} and the like. */
  static String cannotWrite(java.io.IOException e) {
    return switch (e) {
      case java.nio.file.NoSuchFileException x -> "cannot write " + x.getFile() + ": no such file or directory";
      case java.nio.file.AccessDeniedException x -> "cannot write " + x.getFile() + ": permission denied";
      case java.nio.file.FileSystemException x -> "cannot write " + x.getFile() + ": " + x.getReason();
      default -> "cannot write: " + e.getMessage();
    };
  }

  /** A number with 4 decimals, or in scientific notation when it is tiny or huge. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e7)) {
      return String.format(Locale.ROOT, "%.4e", v);
    }
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
