package dev.nabla.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.runtime.NablaDataException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV reader: formats it accepts, and every kind of bad row reported with file and line. */
class CsvReaderTest {
  /** 2 features, a target of width 3 (so a class label 0..2 may stand for it). */
  static final Layout THREE = new Layout(2, 3, 3, "model M (input x[2]; target d[3])");
  /** 2 features, one target value. */
  static final Layout ONE = new Layout(2, 1, 0, "model R (input x[2]; target d[1])");

  @TempDir Path dir;

  Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  Dataset read(Path p, Layout layout) {
    return CsvReader.read(p, layout, false, DataLimits.DEFAULT);
  }

  @Test
  void headerIsDetectedAndKept() throws IOException {
    Dataset d = read(file("iris.csv", "150,4,setosa,versicolor,virginica\n5.1,3.5,0\n4.9,3.0,2\n"), THREE);
    assertThat(d.header()).isEqualTo("150,4,setosa,versicolor,virginica");
    assertThat(d.rows()).isEqualTo(2);
    assertThat(d.x()).containsExactly(5.1f, 3.5f, 4.9f, 3.0f);
    assertThat(d.y()).containsExactly(1, 0, 0, 0, 0, 1);
    assertThat(d.fromLabels()).isTrue();
  }

  @Test
  void withoutHeaderTheFirstLineIsARow() throws IOException {
    Dataset d = read(file("a.csv", "1,2,0,0,1\n3,4,1,0,0\n"), THREE);
    assertThat(d.header()).isNull();
    assertThat(d.rows()).isEqualTo(2);
    assertThat(d.y()).containsExactly(0, 0, 1, 1, 0, 0);
    assertThat(d.fromLabels()).isFalse();
  }

  @Test
  void whitespaceSeparatedCrlfCommentsAndBlankLines() throws IOException {
    Dataset d = read(file("w.txt", "# made by numpy.savetxt\r\n  1.5e2 \t -2  7\r\n\r\n   \n.5 3. 1.00000000000000000e+00\r\n"), ONE);
    assertThat(d.rows()).isEqualTo(2);
    assertThat(d.x()).containsExactly(150f, -2f, 0.5f, 3f);
    assertThat(d.y()).containsExactly(7f, 1f);
  }

  @Test
  void quotedFieldsAndSpacesAroundCommas() throws IOException {
    Dataset d = read(file("q.csv", "\"a\", \"b\", \"c\"\n \"1\" , 2 ,3\n"), ONE);
    assertThat(d.x()).containsExactly(1f, 2f);
    assertThat(d.y()).containsExactly(3f);
  }

  @Test
  void gzipIsRecognisedByContent() throws IOException {
    Path p = dir.resolve("data.bin");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
      out.write("1,2,2\n3,4,1\n".getBytes(StandardCharsets.UTF_8));
    }
    Dataset d = read(p, THREE);
    assertThat(d.y()).containsExactly(0, 0, 1, 0, 1, 0);
  }

  @Test
  void featuresAloneWhenTargetsAreOptional() throws IOException {
    Dataset d = CsvReader.read(file("f.csv", "1,2\n3,4\n"), THREE, true, DataLimits.DEFAULT);
    assertThat(d.hasTargets()).isFalse();
    assertThat(d.x()).containsExactly(1, 2, 3, 4);
  }

  void fails(String text, Layout layout, String... fragments) throws IOException {
    Path p = file("bad.csv", text);
    assertThatThrownBy(() -> read(p, layout))
        .isInstanceOf(NablaDataException.class)
        .satisfies(e -> {
          for (String f : fragments) {
            assertThat(e.getMessage()).contains(f.replace("FILE", p.toString()));
          }
        });
  }

  @Test
  void wrongColumnCountOfTheFirstRowSaysWhatTheModelNeeds() throws IOException {
    fails("x,y,z\n1,2,3,4\n", THREE, "FILE:2: 4 columns, but model M (input x[2]; target d[3]) needs 2 features then 3 target values (5 columns), or 2 features then a class label 0..2 (3 columns)");
  }

  @Test
  void laterRowWithAnotherColumnCount() throws IOException {
    fails("1,2,0\n3,4,1\n5,6\n", THREE, "FILE:3: 2 columns, but the first row (line 1) has 3");
  }

  @Test
  void notANumber() throws IOException {
    fails("1,2,0\n3,abc,1\n", THREE, "FILE:2: column 2 is 'abc', not a number");
  }

  @Test
  void hexAndJavaSuffixesAreNotNumbers() throws IOException {
    fails("1,2,0\n0x10,1,1\n", THREE, "FILE:2: column 1 is '0x10', not a number");
    fails("1,2,0\n1d,1,1\n", THREE, "FILE:2: column 1 is '1d', not a number");
  }

  @Test
  void emptyField() throws IOException {
    fails("1,2,0\n3,,1\n", THREE, "FILE:2: column 2 is empty: missing values are not supported");
  }

  @Test
  void nanInfinityAndMissingMarkers() throws IOException {
    fails("1,2,0\n3,NaN,1\n", THREE, "FILE:2: column 2 is 'NaN': NaN and infinite values are not supported");
    fails("1,2,0\n-inf,1,1\n", THREE, "FILE:2: column 1 is '-inf'");
    fails("1,2,0\n1,?,1\n", THREE, "FILE:2: column 2 is '?': missing values are not supported");
  }

  @Test
  void nanInTheFirstLineIsNotMistakenForAHeader() throws IOException {
    fails("nan,2,0\n3,4,1\n", THREE, "FILE:1: column 1 is 'nan'");
  }

  @Test
  void beyondTheFloatRange() throws IOException {
    fails("1,2,0\n1e39,1,1\n", THREE, "FILE:2: column 1 is '1e39', beyond the float range");
  }

  @Test
  void badClassLabels() throws IOException {
    fails("1,2,0\n3,4,1.5\n", THREE, "FILE:2: column 3 is the class label and must be a whole number 0..2", "not '1.5'");
    fails("1,2,3\n", THREE, "FILE:1: column 3 is the class label", "not '3'");
    fails("1,2,-1\n", THREE, "FILE:1: column 3 is the class label", "not '-1'");
  }

  @Test
  void noRows() throws IOException {
    fails("a,b,c\n\n", THREE, "FILE: no data rows (only the header line)");
    fails("", THREE, "FILE: no data rows");
  }

  @Test
  void notUtf8() throws IOException {
    Path p = dir.resolve("bin.csv");
    Files.write(p, new byte[] {'1', ',', '2', ',', '0', '\n', (byte) 0xC3, (byte) 0x28, '\n'});
    assertThatThrownBy(() -> read(p, THREE)).isInstanceOf(NablaDataException.class)
        .hasMessageContaining(p + ":2: not UTF-8 text");
  }

  @Test
  void truncatedGzip() throws IOException {
    Path full = dir.resolve("full.gz");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20000; i++) {
      sb.append(i).append(',').append(i % 7).append(',').append(i % 3).append('\n');
    }
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(full))) {
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] bytes = Files.readAllBytes(full);
    Path cut = dir.resolve("cut.csv.gz");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> read(cut, THREE)).isInstanceOf(NablaDataException.class)
        .hasMessageMatching("\\Q" + cut + "\\E:\\d+: the gzip data is truncated: the file ends inside the compressed data "
            + "of member 1");
  }

  @Test
  void missingFile() {
    Path p = dir.resolve("nope.csv");
    assertThatThrownBy(() -> read(p, THREE)).isInstanceOf(NablaDataException.class)
        .hasMessage(p + ": no such file");
  }

  @Test
  void lineLongerThanTheLimit() throws IOException {
    Path p = file("long.csv", "1,2,0\n" + "1,".repeat(100) + "0\n");
    assertThatThrownBy(() -> CsvReader.read(p, THREE, false, new DataLimits(64, 1000)))
        .isInstanceOf(NablaDataException.class)
        .hasMessage(p + ":2: the line is longer than 64 characters, the limit (is this a CSV file?)");
  }

  @Test
  void moreValuesThanTheLimit() throws IOException {
    Path p = file("many.csv", "1,2,0\n".repeat(10));
    assertThatThrownBy(() -> CsvReader.read(p, THREE, false, new DataLimits(64, 25)))
        .isInstanceOf(NablaDataException.class)
        .hasMessageStartingWith(p + ":6: the data has more than 25 values, the limit");
  }

  @Test
  void aHugeFileStopsAtTheLimitWithoutReadingFurther() throws IOException {
    // 6 MB of rows decompressed from a small gzip: the reader stops at the limit.
    Path p = dir.resolve("bomb.csv.gz");
    byte[] row = "1,2,0\n".getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
      byte[] block = new byte[row.length * 10000];
      for (int i = 0; i < 10000; i++) {
        System.arraycopy(row, 0, block, i * row.length, row.length);
      }
      for (int i = 0; i < 100; i++) {
        out.write(block);
      }
    }
    assertThatThrownBy(() -> CsvReader.read(p, THREE, false, new DataLimits(1 << 10, 3_000_000)))
        .isInstanceOf(NablaDataException.class)
        .hasMessageStartingWith(p + ":600001: the data has more than 3000000 values");
  }

  @Test
  void numberGrammar() {
    for (String ok : new String[] {"0", "-1", "+2", "1.", ".5", "1.5e3", "1E-3", "-.5e+2", "12345678901234567890"}) {
      char[] c = ok.toCharArray();
      assertThat(CsvReader.isNumber(c, 0, c.length)).as(ok).isTrue();
      assertThat(CsvReader.parse(c, 0, c.length)).as(ok).isEqualTo(Double.parseDouble(ok));
    }
    for (String bad : new String[] {"", ".", "-", "e5", "1e", "1.2.3", "1,5", "0x1", "1f", "Infinity", "NaN", "1 2"}) {
      char[] c = bad.toCharArray();
      assertThat(CsvReader.isNumber(c, 0, c.length)).as(bad).isFalse();
    }
  }
}
