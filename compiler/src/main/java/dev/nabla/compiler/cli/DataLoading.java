package dev.nabla.compiler.cli;

import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.data.DataFiles;
import dev.nabla.runtime.data.DataLimits;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Layout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Reading the data that {@code train} and {@code predict} name, and describing it. */
final class DataLoading {
  private DataLoading() {}

  /**
   * Reads DATA (a CSV file, a gzipped CSV, an IDX images file or an IDX directory). In a
   * directory, {@code preferTest} picks the {@code t10k} pair when there is one.
   */
  static Dataset read(Path data, Path targetFile, Layout layout, boolean targetsOptional, boolean preferTest) {
    if (!Files.exists(data)) {
      throw new NablaDataException(data + ": no such file or directory");
    }
    if (targetFile != null && !Files.exists(targetFile)) {
      throw new NablaDataException(targetFile + ": no such file");
    }
    if (targetFile == null && Files.isDirectory(data) && preferTest) {
      Path[] pair = DataFiles.idxPair(data, "t10k");
      if (pair != null) {
        return DataFiles.readIdxPair(pair, layout, targetsOptional, DataLimits.DEFAULT);
      }
    }
    return DataFiles.read(data, targetFile, layout, targetsOptional, DataLimits.DEFAULT);
  }

  /** The t10k pair of an IDX directory, read as test data, or null when {@code data} is no such directory. */
  static Dataset idxTestPart(Path data, Layout layout) {
    if (!Files.isDirectory(data)) {
      return null;
    }
    Path[] pair = DataFiles.idxPair(data, "t10k");
    return pair == null ? null : DataFiles.readIdxPair(pair, layout, false, DataLimits.DEFAULT);
  }

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
