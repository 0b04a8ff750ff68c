package dev.nabla.runtime.data;

import dev.nabla.runtime.NablaDataException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.ZipException;

/**
 * Reads a data set from what a user names on the command line:
 * <ul>
 *   <li>a directory: an IDX pair inside it, {@code PREFIX-images-idx3-ubyte} and
 *       {@code PREFIX-labels-idx1-ubyte} (each possibly {@code .gz}, a dot instead of the second
 *       dash also works), where PREFIX is {@code train} (see {@link #idxPair});</li>
 *   <li>an IDX images file (recognised by its content): its labels are the file of the same name
 *       with {@code images} → {@code labels} and {@code idx3} → {@code idx1};</li>
 *   <li>anything else: a CSV file, plain or gzipped ({@link CsvReader}).</li>
 * </ul>
 * With a separate target file, the data file holds the features alone and the target file the
 * targets (or class labels), one row each, in the same order.
 */
public final class DataFiles {
  private DataFiles() {
  }

  /**
   * Reads a data set.
   *
   * @param targetFile the targets, in a separate CSV file, or null
   * @param targetsOptional whether data without targets is acceptable (prediction)
   */
  public static Dataset read(Path data, Path targetFile, Layout layout, boolean targetsOptional, DataLimits limits) {
    if (targetFile != null) {
      if (Files.isDirectory(data)) {
        throw new NablaDataException(data + ": a separate target file goes with a CSV data file, not a directory");
      }
      Dataset features = CsvReader.read(data, layout.featuresOnly(), false, limits);
      Dataset targets = CsvReader.read(targetFile, layout.targetsOnly(), false, limits);
      if (features.rows() != targets.rows()) {
        throw new NablaDataException(data + " has " + features.rows() + " rows but " + targetFile + " has "
            + targets.rows() + ": they must hold the same instances in the same order");
      }
      return features.withTargets(targets);
    }
    if (Files.isDirectory(data)) {
      Path[] pair = idxPair(data, "train");
      if (pair == null) {
        throw new NablaDataException(data + ": a data directory must hold an IDX pair train-images-idx3-ubyte and "
            + "train-labels-idx1-ubyte (optionally .gz); none found");
      }
      return readIdxPair(pair, layout, targetsOptional, limits);
    }
    // One stream, read once: a pipe (/dev/stdin, <(...), a FIFO) cannot be opened a second time
    // without losing what the first reading consumed.
    return read(data, (in, name) -> {
      if (startsLikeIdx(in)) {
        Path labels = labelsFor(data);
        if (labels == null && !targetsOptional) {
          throw new NablaDataException(data + ": an IDX images file, but there is no labels file next to it ("
              + data.getFileName().toString().replace("images", "labels").replace("idx3", "idx1") + ")");
        }
        return IdxReader.read(in, name, labels, layout, limits);
      }
      return CsvReader.read(in, name, layout, targetsOptional, limits);
    });
  }

  /** Reads a data set from an opened, decompressed stream named {@code name} in errors. */
  @FunctionalInterface
  interface StreamReader {
    Dataset read(InputStream in, String name) throws IOException;
  }

  /** Opens {@code file} ({@link #open}), reads it with {@code reader} and closes it; I/O failures become data errors. */
  static Dataset read(Path file, StreamReader reader) {
    String name = file.toString();
    try (InputStream in = open(file)) {
      return reader.read(in, name);
    } catch (IOException e) {
      throw ioError(name, e);
    }
  }

  /** Reads an IDX pair as {@link #idxPair} found it; a missing labels file is an error unless targets are optional. */
  public static Dataset readIdxPair(Path[] pair, Layout layout, boolean targetsOptional, DataLimits limits) {
    if (pair[1] == null && !targetsOptional) {
      throw new NablaDataException(pair[0] + ": no labels file next to it");
    }
    return IdxReader.read(pair[0], pair[1], layout, limits);
  }

  /**
   * The IDX pair {@code PREFIX-images-idx3-ubyte[.gz]}, {@code PREFIX-labels-idx1-ubyte[.gz]} in
   * {@code dir} (the labels element null when only the images exist), or null without images.
   */
  public static Path[] idxPair(Path dir, String prefix) {
    Path images = find(dir, prefix, "images", "idx3");
    if (images == null) {
      return null;
    }
    return new Path[] {images, find(dir, prefix, "labels", "idx1")};
  }

  private static Path find(Path dir, String prefix, String kind, String idx) {
    for (String sep : new String[] {"-", "."}) {
      for (String gz : new String[] {"", ".gz"}) {
        Path p = dir.resolve(prefix + "-" + kind + sep + idx + "-ubyte" + gz);
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
    }
    return null;
  }

  private static Path labelsFor(Path images) {
    String name = images.getFileName().toString();
    if (!name.contains("images")) {
      return null;
    }
    Path labels = images.resolveSibling(name.replace("images", "labels").replace("idx3", "idx1"));
    return Files.isRegularFile(labels) ? labels : null;
  }

  /**
   * True when the stream (decompressed) starts like an IDX file: two zero bytes, a type, 1..4
   * dimensions. Looks at the first 4 bytes and resets the stream to where it was.
   */
  static boolean startsLikeIdx(InputStream in) throws IOException {
    in.mark(4);
    byte[] head = in.readNBytes(4);
    in.reset();
    return head.length == 4 && head[0] == 0 && head[1] == 0 && (head[2] & 0xFF) >= 0x08
        && (head[2] & 0xFF) <= 0x0E && head[3] >= 1 && head[3] <= 4;
  }

  /**
   * Opens a file for reading (buffered, with {@link InputStream#mark} support), decompressing it
   * when it starts with the gzip magic bytes ({@link StrictGzipInputStream}: every member, and
   * nothing after the last).
   */
  static InputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        return new BufferedInputStream(new StrictGzipInputStream(raw), 1 << 16);
      }
      return raw;
    } catch (IOException e) {
      raw.close();
      throw e;
    }
  }

  /** A user-facing error for a gzip stream that is truncated, corrupt or followed by junk, at {@code where}. */
  static NablaDataException gzipError(String where, IOException e) {
    String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    return new NablaDataException(where + ": " + (why.contains("gzip") ? why : "the gzip data is corrupt or truncated (" + why + ")"), e);
  }

  /** A user-facing error for an I/O failure on {@code name}. */
  static NablaDataException ioError(String name, IOException e) {
    if (e instanceof ZipException) {
      return gzipError(name, e);
    }
    String what = switch (e) {
      case NoSuchFileException x -> "no such file";
      case AccessDeniedException x -> "permission denied";
      default -> "cannot read: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
    };
    return new NablaDataException(name + ": " + what, e);
  }
}
