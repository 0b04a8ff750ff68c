package dev.nabla.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading files: strict UTF-8, and unreadable files as diagnostics rather than exceptions. */
class SourceReaderTest {
  @TempDir Path dir;

  private static byte[] bytes(String before, int badByte, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    out.write(badByte);
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @Test
  void readsUtf8() throws IOException {
    Path file = dir.resolve("ok.nn");
    Files.writeString(file, "# π ≈ 3.14159 😀\nmodel M { x = 1; }\n", StandardCharsets.UTF_8);
    Diagnostics diagnostics = new Diagnostics();
    Source source = SourceReader.read(file, diagnostics);
    assertThat(diagnostics.hasErrors()).isFalse();
    assertThat(source.path()).isEqualTo(file.toString());
    assertThat(source.line(1)).isEqualTo("# π ≈ 3.14159 😀");
    assertThat(Parser.parse(source, diagnostics).models()).hasSize(1);
    assertThat(diagnostics.hasErrors()).isFalse();
  }

  @Test
  void reportsTheFirstByteThatIsNotUtf8WithItsLineAndColumn() throws IOException {
    Path file = dir.resolve("latin1.nn");
    // "é" written as Latin-1 (0xE9) in a comment on line 2; the "π" before it is valid UTF-8
    // and counts as one column.
    Files.write(file, bytes("model M {\n  # π caf", 0xE9, " au lait\n}\n"));
    Diagnostics diagnostics = new Diagnostics();
    assertThat(SourceReader.read(file, diagnostics)).isNull();
    assertThat(DiagnosticRenderer.renderAll(diagnostics))
        .isEqualTo(
            file + ":2:10: error: the file is not valid UTF-8 (byte 0xE9)\n"
                + "    # π caf\uFFFD au lait\n"
                + "           ^\n");
  }

  @Test
  void aLoneContinuationByteOrAnOverlongFormIsNotUtf8() {
    Diagnostics diagnostics = new Diagnostics();
    assertThat(SourceReader.decode("a.nn", bytes("", 0x80, ""), diagnostics)).isNull();
    assertThat(SourceReader.decode("b.nn", new byte[] {'x', (byte) 0xC0, (byte) 0xAF},
        diagnostics)).isNull();
    assertThat(SourceReader.decode("c.nn", bytes("ab", 0xFF, ""), diagnostics)).isNull();
    assertThat(diagnostics.errors())
        .extracting(DiagnosticRenderer::header)
        .containsExactly(
            "a.nn:1:1: error: the file is not valid UTF-8 (byte 0x80)",
            "b.nn:1:2: error: the file is not valid UTF-8 (byte 0xC0)",
            "c.nn:1:3: error: the file is not valid UTF-8 (byte 0xFF)");
  }

  @Test
  void aTruncatedSequenceAtTheEndIsNotUtf8() {
    Diagnostics diagnostics = new Diagnostics();
    // The first two bytes of a three-byte sequence, then the end of the file.
    byte[] text = {'m', '\n', 'x', (byte) 0xE2, (byte) 0x82};
    assertThat(SourceReader.decode("t.nn", text, diagnostics)).isNull();
    assertThat(diagnostics.errors())
        .extracting(DiagnosticRenderer::header)
        .containsExactly("t.nn:2:2: error: the file is not valid UTF-8 (byte 0xE2)");
  }

  @Test
  void aLeadingByteOrderMarkIsDropped() {
    Diagnostics diagnostics = new Diagnostics();
    byte[] text = new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'm', 'o', 'd', 'e', 'l', ' ', 'M',
        '{', '}'};
    Source source = SourceReader.decode("bom.nn", text, diagnostics);
    assertThat(source.text()).isEqualTo("model M{}");
    assertThat(Parser.parse(source, diagnostics).models()).hasSize(1);
    assertThat(diagnostics.hasErrors()).isFalse();
  }

  @Test
  void aMissingFileIsADiagnostic() {
    Path file = dir.resolve("missing.nn");
    Diagnostics diagnostics = new Diagnostics();
    assertThat(SourceReader.read(file, diagnostics)).isNull();
    assertThat(DiagnosticRenderer.renderAll(diagnostics))
        .isEqualTo(file + ": error: cannot read the file: no such file\n");
  }

  @Test
  void aDirectoryIsADiagnostic() {
    Diagnostics diagnostics = new Diagnostics();
    assertThat(SourceReader.read(dir, diagnostics)).isNull();
    assertThat(DiagnosticRenderer.renderAll(diagnostics))
        .isEqualTo(dir + ": error: cannot read the file: it is a directory\n");
  }
}
