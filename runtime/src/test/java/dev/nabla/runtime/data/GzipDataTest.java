package dev.nabla.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.runtime.NablaDataException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gzipped data of several members (as {@code cat a.gz b.gz} makes), and gzip files that are cut
 * short or followed by junk: all of it or a clear error, never part of it silently (issue 12,
 * item 8).
 */
class GzipDataTest {
  static final Layout LAYOUT = CsvReaderTest.THREE;

  @TempDir Path dir;

  static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  static String rows(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append(i).append(',').append(i % 7).append(',').append(i % 3).append('\n');
    }
    return sb.toString();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  Path file(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  Dataset read(Path p) {
    return DataFiles.read(p, null, LAYOUT, false, DataLimits.DEFAULT);
  }

  @Test
  void everyMemberIsRead() throws IOException {
    Path p = file("two.csv.gz", concat(gzip(rows(0, 30)), gzip(rows(30, 60))));
    Dataset d = read(p);
    assertThat(d.rows()).isEqualTo(60);
    assertThat(d.x()[2 * 59]).isEqualTo(59f);
  }

  @Test
  void aSecondMemberCutAnywhereIsAnError() throws IOException {
    byte[] first = gzip(rows(0, 30));
    byte[] second = gzip(rows(30, 60));
    // Cut inside the second member's header, its compressed data and its trailer.
    int[] keep = {1, 2, 5, 9, second.length / 2, second.length - 5, second.length - 1};
    String[] part = {"the header", "the header", "the header", "the header", "the compressed data", "the trailer",
        "the trailer"};
    for (int i = 0; i < keep.length; i++) {
      Path p = file("cut" + i + ".csv.gz", concat(first, Arrays.copyOf(second, keep[i])));
      String expected = keep[i] == 1
          ? "there are bytes after the end of the gzip data (at byte " + first.length
              + ", after member 1) that do not start another gzip member"
          : "the gzip data is truncated: the file ends inside " + part[i] + " of member 2";
      assertThatThrownBy(() -> read(p)).as("cut after %d bytes of the second member", keep[i])
          .isInstanceOf(NablaDataException.class)
          .hasMessageMatching("\\Q" + p + "\\E:\\d+: \\Q" + expected + "\\E");
    }
  }

  @Test
  void junkAfterTheGzipDataIsAnError() throws IOException {
    byte[] data = gzip(rows(0, 30));
    Path p = file("junk.csv.gz", concat(data, "trailing junk\n".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> read(p)).isInstanceOf(NablaDataException.class)
        .hasMessage(p + ":31: there are bytes after the end of the gzip data (at byte " + data.length
            + ", after member 1) that do not start another gzip member");
  }

  @Test
  void aCorruptMemberIsAnError() throws IOException {
    byte[] data = gzip(rows(0, 300));
    data[data.length - 6] ^= 0x55; // inside the CRC-32 of the trailer
    Path p = file("crc.csv.gz", data);
    assertThatThrownBy(() -> read(p)).isInstanceOf(NablaDataException.class)
        .hasMessageMatching("\\Q" + p + "\\E:\\d+: the gzip data is corrupt: member 1 fails its CRC-32 check");
  }

  @Test
  void theStreamGivesExactlyTheMembersBytes() throws IOException {
    // Read byte by byte and in big blocks: both give the concatenation of every member.
    String text = rows(0, 5000) + rows(5000, 5001);
    byte[] bytes = concat(gzip(rows(0, 5000)), gzip(rows(5000, 5001)));
    try (InputStream in = new StrictGzipInputStream(new java.io.ByteArrayInputStream(bytes))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(text);
    }
    try (InputStream in = new StrictGzipInputStream(new java.io.ByteArrayInputStream(bytes))) {
      StringBuilder sb = new StringBuilder();
      for (int b = in.read(); b >= 0; b = in.read()) {
        sb.append((char) b);
      }
      assertThat(sb.toString()).isEqualTo(text);
    }
  }
}
