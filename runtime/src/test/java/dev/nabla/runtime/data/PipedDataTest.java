package dev.nabla.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data from a pipe ({@code --data <(cat rows.csv)}, {@code /dev/stdin}, a FIFO) can be read only
 * once: every row must arrive, plain or gzipped (issue 12, item 3: the first 64 KB went to a
 * format sniff that opened the file a second time).
 */
class PipedDataTest {
  @TempDir Path dir;

  /** A FIFO fed with {@code bytes} by a background thread once a reader opens it. */
  Path fifo(byte[] bytes) throws IOException, InterruptedException {
    Path fifo = dir.resolve("pipe");
    Process mk;
    try {
      mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    } catch (IOException noMkfifo) {
      assumeTrue(false, "mkfifo is not available here");
      return null;
    }
    assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo failed");
    Thread writer = new Thread(() -> {
      try (OutputStream out = Files.newOutputStream(fifo)) {
        out.write(bytes);
      } catch (IOException readerWentAway) {
        // the reader closed early: what it read decides the test
      }
    });
    writer.setDaemon(true);
    writer.start();
    return fifo;
  }

  // A separate thread: a reader that opens the FIFO twice blocks for good on the second open.
  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void everyRowOfAPipedCsvArrives() throws Exception {
    String rows = GzipDataTest.rows(0, 20000);
    assertThat(rows.length()).isGreaterThan(1 << 16);
    Dataset d = DataFiles.read(fifo(rows.getBytes(StandardCharsets.UTF_8)), null, CsvReaderTest.THREE, false,
        DataLimits.DEFAULT);
    assertThat(d.rows()).isEqualTo(20000);
    assertThat(d.x()[0]).isEqualTo(0f);
    assertThat(d.x()[2 * 19999]).isEqualTo(19999f);
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void everyMemberOfAPipedGzipArrives() throws Exception {
    byte[] bytes = GzipDataTest.concat(GzipDataTest.gzip(GzipDataTest.rows(0, 3000)),
        GzipDataTest.gzip(GzipDataTest.rows(3000, 6000)));
    Dataset d = DataFiles.read(fifo(bytes), null, CsvReaderTest.THREE, false, DataLimits.DEFAULT);
    assertThat(d.rows()).isEqualTo(6000);
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aPipedIdxImagesFileArrivesWhole() throws Exception {
    byte[] pixels = new byte[6 * 20000];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) i;
    }
    Dataset d = DataFiles.read(fifo(IdxReaderTest.idx(new int[] {20000, 2, 3}, pixels)), null,
        IdxReaderTest.LAYOUT, true, DataLimits.DEFAULT);
    assertThat(d.rows()).isEqualTo(20000);
    assertThat(d.x()[pixels.length - 1]).isEqualTo((pixels[pixels.length - 1] & 0xFF) / 255f);
  }
}
