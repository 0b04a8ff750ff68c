package dev.nabla.runtime.data;

import dev.nabla.runtime.NablaDataException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.zip.ZipException;

/**
 * Reads an IDX image/label pair (the format of MNIST and Fashion-MNIST, plain or gzipped) into
 * a {@link Dataset}.
 *
 * <p>The images file holds unsigned bytes (IDX type {@code 0x08}) of shape {@code [N, d1, ...]};
 * each image (of up to six axes) becomes a row of {@code d1 * ...} features, in row-major order, scaled to {@code [0, 1]} (divided by
 * 255), which must match the layout's feature count. The labels file holds {@code N} unsigned
 * bytes; a label {@code c} becomes a one-hot row when the layout's target is {@code K > 1} wide
 * ({@code c} must be below {@code K}), or the value {@code c} for a target of width 1. The
 * header's counts are checked against the limits before anything is allocated; a truncated
 * file, bytes after the data and differing counts are errors naming the file and the item.
 */
public final class IdxReader {
  /** The items' axis and up to six more: the language's values have rank 0 to 6 per instance. */
  static final int MAX_RANK = 7;

  private IdxReader() {
  }

  /** Reads the images and, when {@code labels} is not null, the labels. */
  public static Dataset read(Path images, Path labels, Layout layout, DataLimits limits) {
    return DataFiles.read(images, (in, name) -> read(in, name, labels, layout, limits));
  }

  /**
   * Reads the images from {@code imagesIn} (already decompressed; not closed), named
   * {@code imgName} in errors, and the labels from their file unless it is null.
   */
  static Dataset read(InputStream imagesIn, String imgName, Path labels, Layout layout, DataLimits limits)
      throws IOException {
    DataInputStream in = new DataInputStream(imagesIn);
    int[] dims;
    float[] x;
    int t = labels == null ? 0 : layout.targets();
    try {
      dims = header(in, imgName);
      if (dims.length < 2) {
        throw new NablaDataException(imgName + ": an IDX images file has at least 2 dimensions (count, pixels...), this one has "
            + dims.length);
      }
      // Exact: three dimensions of up to 2^31 - 1 overflow a long (and wrapped to a "fitting" count).
      BigInteger per = BigInteger.ONE;
      for (int i = 1; i < dims.length; i++) {
        per = per.multiply(BigInteger.valueOf(dims[i]));
      }
      String shape = shape(dims);
      if (!per.equals(BigInteger.valueOf(layout.features()))) {
        throw new NablaDataException(imgName + ": images of " + shape + " have " + per + " pixels, but "
            + layout.description() + " needs " + layout.features() + " features");
      }
      // Every value the data set will hold, the labels' one-hot rows included, before allocating any.
      long pixels = (long) dims[0] * layout.features();
      long total = pixels + (long) dims[0] * t;
      if (total > limits.maxValues()) {
        throw new NablaDataException(imgName + ": " + dims[0] + " images of " + shape + " are " + pixels + " values"
            + (t > 0 ? " and their " + (t > 1 ? "one-hot targets " : "targets ") + (long) dims[0] * t + " more" : "")
            + ", more than the limit " + limits.maxValues() + " (" + DataLimits.describe(limits.maxValues()) + ")");
      }
      x = new float[(int) pixels];
      long per1 = layout.features();
      byte[] buf = new byte[(int) Math.min(pixels, 1 << 16)];
      int done = 0;
      while (done < pixels) {
        int want = (int) Math.min(buf.length, pixels - done);
        int got = in.readNBytes(buf, 0, want);
        for (int i = 0; i < got; i++) {
          x[done + i] = (buf[i] & 0xFF) / 255f;
        }
        done += got;
        if (got < want) {
          throw new NablaDataException(imgName + ": truncated: the header announces " + dims[0] + " images of " + shape
              + ", but the data ends in image " + (done / per1 + 1));
        }
      }
      trailing(in, imgName, dims[0] + " images");
    } catch (ZipException | EOFException e) {
      throw DataFiles.gzipError(imgName, e);
    }
    int n = dims[0];
    if (labels == null) {
      return new Dataset(imgName, n, layout.features(), 0, x, new float[0], null, false);
    }
    String labName = labels.toString();
    if (t == 0) {
      throw new NablaDataException(labName + ": " + layout.description() + " has no target for the labels");
    }
    float[] y = new float[n * t];
    try (DataInputStream lin = new DataInputStream(DataFiles.open(labels))) {
      int[] ld = header(lin, labName);
      if (ld.length != 1) {
        throw new NablaDataException(labName + ": an IDX labels file has 1 dimension, this one has " + ld.length);
      }
      if (ld[0] != n) {
        throw new NablaDataException(labName + ": " + ld[0] + " labels, but " + imgName + " has " + n + " images");
      }
      byte[] lbuf = lin.readNBytes(n);
      if (lbuf.length < n) {
        throw new NablaDataException(labName + ": truncated: the header announces " + n + " labels, but the data ends after "
            + lbuf.length);
      }
      for (int i = 0; i < n; i++) {
        int c = lbuf[i] & 0xFF;
        if (t > 1) {
          if (c >= t) {
            throw new NablaDataException(labName + ": item " + i + " has label " + c + ", but " + layout.description()
                + " has classes 0.." + (t - 1));
          }
          y[i * t + c] = 1f;
        } else {
          y[i] = c;
        }
      }
      trailing(lin, labName, n + " labels");
    } catch (ZipException | EOFException e) {
      throw DataFiles.gzipError(labName, e);
    } catch (IOException e) {
      throw DataFiles.ioError(labName, e);
    }
    return new Dataset(imgName + " + " + labName, n, layout.features(), t, x, y, null, t > 1);
  }

  private static int[] header(DataInputStream in, String name) throws IOException {
    byte[] magic = in.readNBytes(4);
    if (magic.length < 4 || magic[0] != 0 || magic[1] != 0) {
      throw new NablaDataException(name + ": not an IDX file (it does not start with two zero bytes)");
    }
    if (magic[2] != 0x08) {
      throw new NablaDataException(name + ": IDX element type 0x" + Integer.toHexString(magic[2] & 0xFF)
          + " is not supported (nabla reads unsigned bytes, type 0x08, as MNIST uses)");
    }
    int rank = magic[3] & 0xFF;
    if (rank < 1 || rank > MAX_RANK) {
      throw new NablaDataException(name + ": IDX files with " + rank + " dimensions are not supported (1 to "
          + MAX_RANK + ")");
    }
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      dims[i] = in.readInt();
      if (dims[i] <= 0) {
        throw new NablaDataException(name + ": dimension " + i + " of the IDX header is " + dims[i] + ", not positive");
      }
    }
    return dims;
  }

  private static void trailing(InputStream in, String name, String what) throws IOException {
    if (in.read() != -1) {
      throw new NablaDataException(name + ": there are bytes after the " + what + " the header announces");
    }
  }

  private static String shape(int[] dims) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < dims.length; i++) {
      sb.append(i > 1 ? "x" : "").append(dims[i]);
    }
    return sb.length() == 0 ? "[]" : sb.toString();
  }
}
