package dev.nabla.compiler.parse;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.diag.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a {@code .nn} file as strict UTF-8. Files that cannot be read and bytes that are not
 * UTF-8 are diagnostics, not exceptions. A leading byte-order mark is dropped (some editors write
 * one); any other U+FEFF is left for the lexer to reject. Lines may end with LF, CRLF or a lone
 * CR (old Mac files): a lone CR becomes an LF, so that such a file is not one long line (where
 * the first {@code //} comment would swallow everything).
 */
public final class SourceReader {
  private SourceReader() {}

  /** The file's text, or null after reporting why it could not be read. */
  public static Source read(Path path, Diagnostics diagnostics) {
    String name = path.toString();
    byte[] bytes;
    try {
      bytes = readAtMost(path, Limits.MAX_SOURCE_BYTES);
      if (bytes == null) {
        tooLarge(diagnostics, name);
        return null;
      }
    } catch (NoSuchFileException e) {
      cannotRead(diagnostics, name, "no such file");
      return null;
    } catch (AccessDeniedException e) {
      cannotRead(diagnostics, name, "permission denied");
      return null;
    } catch (IOException | SecurityException e) {
      String why = Files.isDirectory(path) ? "it is a directory" : String.valueOf(e.getMessage());
      cannotRead(diagnostics, name, why);
      return null;
    }
    return decode(name, bytes, diagnostics);
  }

  /**
   * The file's bytes, or null when it holds more than {@code limit}: never more than the limit
   * is read, so a huge file (or an endless one, like a device) cannot exhaust the memory.
   */
  private static byte[] readAtMost(Path path, long limit) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] bytes = in.readNBytes((int) limit + 1);
      return bytes.length > limit ? null : bytes;
    }
  }

  private static void tooLarge(Diagnostics diagnostics, String name) {
    diagnostics.error(
        new Source(name, ""),
        Span.NONE,
        "the file is larger than " + Limits.MAX_SOURCE_BYTES + " bytes (16 MiB), the limit for a"
            + " model file");
  }

  /** Decodes {@code bytes} as strict UTF-8; on malformed input reports where and returns null. */
  public static Source decode(String name, byte[] bytes, Diagnostics diagnostics) {
    if (bytes.length > Limits.MAX_SOURCE_BYTES) {
      tooLarge(diagnostics, name);
      return null;
    }
    int skip = hasBom(bytes) ? 3 : 0;
    ByteBuffer in = ByteBuffer.wrap(bytes, skip, bytes.length - skip);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isUnderflow()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int badByte = bytes[in.position()] & 0xFF;
      String good = out.flip().toString();
      reportBadByte(diagnostics, name, bytes, skip, good, badByte);
      return null;
    }
    return new Source(name, loneCarriageReturnsToLineFeeds(out.flip().toString()));
  }

  /** Every CR not followed by an LF becomes an LF (offsets stay the same). */
  static String loneCarriageReturnsToLineFeeds(String text) {
    if (text.indexOf('\r') < 0) {
      return text;
    }
    char[] chars = text.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] == '\r' && (i + 1 == chars.length || chars[i + 1] != '\n')) {
        chars[i] = '\n';
      }
    }
    return new String(chars);
  }

  private static void reportBadByte(
      Diagnostics diagnostics, String name, byte[] bytes, int skip, String good, int badByte) {
    // Show the line with the bad bytes replaced (U+FFFD), so the caret has something to sit under.
    String lenient =
        new String(bytes, skip, bytes.length - skip, StandardCharsets.UTF_8);
    Source shown = new Source(name, lenient);
    int lineStart = good.lastIndexOf('\n') + 1;
    int line = (int) good.chars().filter(c -> c == '\n').count() + 1;
    int column = good.length() - lineStart + 1;
    Span span = new Span(line, column, good.length(), good.length() + 1);
    diagnostics.error(
        shown, span, String.format("the file is not valid UTF-8 (byte 0x%02X)", badByte));
  }

  private static boolean hasBom(byte[] bytes) {
    return bytes.length >= 3
        && (bytes[0] & 0xFF) == 0xEF
        && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF;
  }

  private static void cannotRead(Diagnostics diagnostics, String name, String why) {
    diagnostics.error(new Source(name, ""), Span.NONE, "cannot read the file: " + why);
  }
}
