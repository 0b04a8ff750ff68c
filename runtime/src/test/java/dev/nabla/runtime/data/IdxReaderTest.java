package dev.nabla.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.runtime.NablaDataException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX image/label pairs as MNIST ships them, and broken ones. */
class IdxReaderTest {
  /** 2x3 images, 4 classes. */
  static final Layout LAYOUT = new Layout(6, 4, 4, "model M (input x[6]; target d[4])");

  @TempDir Path dir;

  static byte[] idx(int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {0, 0, 8, (byte) dims.length});
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(data);
    return bytes.toByteArray();
  }

  Path write(String name, byte[] bytes, boolean gzip) throws IOException {
    Path p = dir.resolve(name + (gzip ? ".gz" : ""));
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
      out.write(bytes);
    }
    return p;
  }

  /** Three 2x3 images with pixels 0, 51, ..., 255 and labels 3, 0, 1. */
  void pair(String prefix, boolean gzip) throws IOException {
    byte[] pixels = new byte[18];
    for (int i = 0; i < 18; i++) {
      pixels[i] = (byte) (i * 15);
    }
    write(prefix + "-images-idx3-ubyte", idx(new int[] {3, 2, 3}, pixels), gzip);
    write(prefix + "-labels-idx1-ubyte", idx(new int[] {3}, new byte[] {3, 0, 1}), gzip);
  }

  @Test
  void readsADirectoryPlainAndGzipped() throws IOException {
    for (boolean gzip : new boolean[] {false, true}) {
      pair("train", gzip);
      Dataset d = DataFiles.read(dir, null, LAYOUT, false, DataLimits.DEFAULT);
      assertThat(d.rows()).isEqualTo(3);
      assertThat(d.x()[0]).isEqualTo(0f);
      assertThat(d.x()[17]).isEqualTo(1f);
      assertThat(d.x()[1]).isEqualTo(15 / 255f);
      assertThat(d.y()).containsExactly(0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0);
      for (Path p : Files.list(dir).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void anImagesFileFindsItsLabels() throws IOException {
    pair("t10k", true);
    Dataset d = DataFiles.read(dir.resolve("t10k-images-idx3-ubyte.gz"), null, LAYOUT, false, DataLimits.DEFAULT);
    assertThat(d.rows()).isEqualTo(3);
    assertThat(DataFiles.idxPair(dir, "t10k")[1]).isEqualTo(dir.resolve("t10k-labels-idx1-ubyte.gz"));
    assertThat(DataFiles.idxPair(dir, "train")).isNull();
  }

  void fails(String message) {
    fails(message, DataLimits.DEFAULT);
  }

  void fails(String message, DataLimits limits) {
    Path images = dir.resolve("train-images-idx3-ubyte");
    assertThatThrownBy(() -> DataFiles.read(dir, null, LAYOUT, false, limits))
        .isInstanceOf(NablaDataException.class)
        .hasMessage(message.replace("IMAGES", images.toString())
            .replace("LABELS", dir.resolve("train-labels-idx1-ubyte").toString()));
  }

  @Test
  void imagesOfTheWrongSize() throws IOException {
    write("train-images-idx3-ubyte", idx(new int[] {1, 2, 2}, new byte[4]), false);
    write("train-labels-idx1-ubyte", idx(new int[] {1}, new byte[1]), false);
    fails("IMAGES: images of 2x2 have 4 pixels, but model M (input x[6]; target d[4]) needs 6 features");
  }

  @Test
  void truncatedImages() throws IOException {
    write("train-images-idx3-ubyte", idx(new int[] {3, 2, 3}, new byte[10]), false);
    write("train-labels-idx1-ubyte", idx(new int[] {3}, new byte[3]), false);
    fails("IMAGES: truncated: the header announces 3 images of 2x3, but the data ends in image 2");
  }

  @Test
  void bytesAfterTheData() throws IOException {
    write("train-images-idx3-ubyte", idx(new int[] {1, 2, 3}, new byte[7]), false);
    write("train-labels-idx1-ubyte", idx(new int[] {1}, new byte[1]), false);
    fails("IMAGES: there are bytes after the 1 images the header announces");
  }

  @Test
  void labelOutOfRange() throws IOException {
    write("train-images-idx3-ubyte", idx(new int[] {2, 2, 3}, new byte[12]), false);
    write("train-labels-idx1-ubyte", idx(new int[] {2}, new byte[] {1, 9}), false);
    fails("LABELS: item 1 has label 9, but model M (input x[6]; target d[4]) has classes 0..3");
  }

  @Test
  void countsDiffer() throws IOException {
    write("train-images-idx3-ubyte", idx(new int[] {2, 2, 3}, new byte[12]), false);
    write("train-labels-idx1-ubyte", idx(new int[] {3}, new byte[3]), false);
    fails("LABELS: 3 labels, but IMAGES has 2 images");
  }

  @Test
  void anAbsurdHeaderIsRejectedBeforeAllocating() throws IOException {
    write("train-images-idx3-ubyte", idx(new int[] {2_000_000_000, 2, 3}, new byte[12]), false);
    write("train-labels-idx1-ubyte", idx(new int[] {2}, new byte[2]), false);
    fails("IMAGES: 2000000000 images of 2x3 are 12000000000 values and their one-hot targets 8000000000 more, "
        + "more than the limit 134217728 (about 512 MB as float)", new DataLimits(1 << 20, 1L << 27));
  }

  @Test
  void oneHotTargetsCountAgainstTheLimit() throws IOException {
    // Issue 12, item 12: 3,000,000 one-pixel images fit the limit, their 1000-class one-hot rows
    // (3e9 values, past int) do not; nothing may be allocated or read before saying so.
    Layout thousand = new Layout(1, 1000, 1000, "model K (input x[1]; target d[1000])");
    write("train-images-idx3-ubyte", idx(new int[] {3_000_000, 1, 1}, new byte[16]), false);
    write("train-labels-idx1-ubyte", idx(new int[] {3_000_000}, new byte[16]), false);
    assertThatThrownBy(() -> DataFiles.read(dir, null, thousand, false, new DataLimits(1 << 20, 1L << 27)))
        .isInstanceOf(NablaDataException.class)
        .hasMessage(dir.resolve("train-images-idx3-ubyte") + ": 3000000 images of 1x1 are 3000000 values and their "
            + "one-hot targets 3000000000 more, more than the limit 134217728 (about 512 MB as float)");
  }

  @Test
  void dimensionsWhoseProductOverflowsAreRejected() throws IOException {
    // Issue 12, item 9: 64 * 536903681 * 536838145 wraps to 64 in a long.
    Layout sixtyFour = new Layout(64, 4, 4, "model M (input x[64]; target d[4])");
    write("train-images-idx3-ubyte", idx(new int[] {100, 64, 536903681, 536838145}, new byte[6400]), false);
    write("train-labels-idx1-ubyte", idx(new int[] {100}, new byte[100]), false);
    assertThatThrownBy(() -> DataFiles.read(dir, null, sixtyFour, false, DataLimits.DEFAULT))
        .isInstanceOf(NablaDataException.class)
        .hasMessage(dir.resolve("train-images-idx3-ubyte") + ": images of 64x536903681x536838145 have "
            + "18446744073709551680 pixels, but model M (input x[64]; target d[4]) needs 64 features");
  }

  @Test
  void itemsOfRankSixAreRowsInRowMajorOrder() throws IOException {
    // three items of [1, 1, 2, 1, 3, 1]: an input x[1, 1, 2, 1, 3, 1] takes them as 6 features
    byte[] pixels = new byte[18];
    for (int i = 0; i < 18; i++) {
      pixels[i] = (byte) (i * 15);
    }
    write("train-images-idx3-ubyte", idx(new int[] {3, 1, 1, 2, 1, 3, 1}, pixels), false);
    write("train-labels-idx1-ubyte", idx(new int[] {3}, new byte[] {3, 0, 1}), false);
    Dataset d = DataFiles.read(dir, null, LAYOUT, false, DataLimits.DEFAULT);
    assertThat(d.rows()).isEqualTo(3);
    assertThat(d.x()[7]).isEqualTo(7 * 15 / 255f);
    assertThat(d.x()[17]).isEqualTo(1f);
  }

  @Test
  void itemsOfRankSevenAreRejected() throws IOException {
    write("train-images-idx3-ubyte", idx(new int[] {1, 1, 1, 1, 1, 2, 3, 1}, new byte[6]), false);
    write("train-labels-idx1-ubyte", idx(new int[] {1}, new byte[1]), false);
    fails("IMAGES: IDX files with 8 dimensions are not supported (1 to 7)");
  }

  @Test
  void unsupportedElementType() throws IOException {
    byte[] bytes = idx(new int[] {1, 2, 3}, new byte[24]);
    bytes[2] = 0x0D;
    write("train-images-idx3-ubyte", bytes, false);
    write("train-labels-idx1-ubyte", idx(new int[] {1}, new byte[1]), false);
    fails("IMAGES: IDX element type 0xd is not supported (nabla reads unsigned bytes, type 0x08, as MNIST uses)");
  }

  @Test
  void aDirectoryWithoutAPair() {
    assertThatThrownBy(() -> DataFiles.read(dir, null, LAYOUT, false, DataLimits.DEFAULT))
        .isInstanceOf(NablaDataException.class)
        .hasMessageStartingWith(dir + ": a data directory must hold an IDX pair");
  }
}
