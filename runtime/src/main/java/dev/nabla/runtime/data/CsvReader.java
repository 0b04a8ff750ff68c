package dev.nabla.runtime.data;

import dev.nabla.runtime.NablaDataException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reads a CSV data file (plain or gzipped; gzip is recognised by its magic bytes, not the name)
 * into a {@link Dataset} laid out as a {@link Layout} says.
 *
 * <p>Format:
 * <ul>
 *   <li>UTF-8 text; lines end with {@code \n}, {@code \r\n} or a lone {@code \r} (old Mac
 *       files, some spreadsheet exports); a line is at most
 *       {@link DataLimits#maxLineChars()} bytes.</li>
 *   <li>The separator is a comma when the first non-blank, non-comment line contains one;
 *       otherwise fields are separated by runs of spaces and tabs. Around a comma, spaces and
 *       tabs are ignored, and a field wrapped in double quotes is unwrapped.</li>
 *   <li>The first such line is a header, and skipped, when one of its fields is text (not a
 *       number, and not a spelling of a missing or non-finite value such as {@code NaN},
 *       {@code inf}, {@code NA}, {@code ?}); the skipped line is kept in
 *       {@link Dataset#header()} so callers can show it.</li>
 *   <li>Blank lines and lines whose first non-blank character is {@code #} are not rows.</li>
 *   <li>Every other line is a row: decimal numbers ({@code 12}, {@code -0.5}, {@code .5},
 *       {@code 1e-3}) in one of the column counts the layout allows; the first row fixes the
 *       count for the file.</li>
 * </ul>
 * A bad row (wrong column count, empty field, text, NaN, an infinite value, a number beyond the
 * float range, a class label that is not a whole number in range) is a
 * {@link NablaDataException} whose message starts with {@code FILE:LINE:} and names the column.
 * Nothing is skipped silently.
 */
public final class CsvReader {
  private CsvReader() {
  }

  /**
   * Reads {@code file}.
   *
   * @param targetsOptional whether rows may hold the features alone (then the data set has no
   *     targets)
   */
  public static Dataset read(Path file, Layout layout, boolean targetsOptional, DataLimits limits) {
    return DataFiles.read(file, (in, name) -> read(in, name, layout, targetsOptional, limits));
  }

  /** Reads CSV text (already decompressed) from {@code in}, naming it {@code name} in errors; does not close it. */
  static Dataset read(InputStream in, String name, Layout layout, boolean targetsOptional, DataLimits limits)
      throws IOException {
    Parser parser = new Parser(name, layout, targetsOptional, limits);
    LineReader lines = new LineReader(in, limits.maxLineChars(), name);
    try {
      while (lines.next()) {
        parser.line(lines.chars(), lines.length(), lines.number());
      }
    } catch (ZipException | EOFException e) {
      throw DataFiles.gzipError(name + ":" + lines.number(), e);
    }
    return parser.finish();
  }

  /**
   * Reads lines of bytes into a reused buffer, with a length limit and 1-based line numbers, and
   * decodes each line as UTF-8 on its own (so a decoding error names its exact line).
   */
  static final class LineReader {
    private final InputStream in;
    private final int max;
    private final String name;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkLen;
    private byte[] bytes = new byte[256];
    private char[] line = new char[256];
    private int byteLength;
    private int length;
    private int number;
    private boolean eof;
    /** The previous line ended with a CR: an LF right after it belongs to that line end. */
    private boolean afterCr;

    LineReader(InputStream in, int max, String name) {
      this.in = in;
      this.max = max;
      this.name = name;
    }

    /** Reads the next line; false at the end of the input. */
    boolean next() throws IOException {
      if (eof) {
        return false;
      }
      byteLength = 0;
      number++;
      while (true) {
        if (chunkPos == chunkLen) {
          chunkLen = in.read(chunk, 0, chunk.length);
          chunkPos = 0;
          if (chunkLen <= 0) {
            chunkLen = 0;
            eof = true;
            if (byteLength == 0) {
              return false;
            }
            decode();
            return true;
          }
        }
        if (afterCr) {   // the LF of a CRLF whose CR ended the previous line
          afterCr = false;
          if (chunk[chunkPos] == '\n') {
            chunkPos++;
            continue;
          }
        }
        int start = chunkPos;
        int end = start;
        while (end < chunkLen && chunk[end] != '\n' && chunk[end] != '\r') {
          end++;
        }
        append(start, end);
        chunkPos = end;
        if (end < chunkLen) {
          afterCr = chunk[end] == '\r';
          chunkPos++;
          decode();
          return true;
        }
      }
    }

    private void append(int from, int to) {
      int n = to - from;
      if (byteLength + n > max) {
        throw new NablaDataException(name + ":" + number + ": the line is longer than " + max
            + " characters, the limit (is this a CSV file?)");
      }
      if (byteLength + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.min(max, Math.max(bytes.length * 2, byteLength + n)));
      }
      System.arraycopy(chunk, from, bytes, byteLength, n);
      byteLength += n;
    }

    private void decode() {
      if (byteLength > 0 && bytes[byteLength - 1] == '\r') {
        byteLength--;
      }
      if (line.length < byteLength) {
        line = new char[bytes.length];
      }
      boolean ascii = true;
      for (int i = 0; i < byteLength; i++) {
        byte b = bytes[i];
        if (b < 0) {
          ascii = false;
          break;
        }
        line[i] = (char) b;
      }
      if (ascii) {
        length = byteLength;
        return;
      }
      try {
        CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(bytes, 0, byteLength));
        length = chars.remaining();
        chars.get(line, 0, length);
      } catch (CharacterCodingException e) {
        throw new NablaDataException(name + ":" + number + ": not UTF-8 text (is this a CSV file?)", e);
      }
    }

    char[] chars() {
      return line;
    }

    int length() {
      return length;
    }

    int number() {
      return number;
    }
  }

  /** What a field holds. */
  enum Kind { NUMBER, NON_FINITE, MISSING, TEXT }

  /** Turns lines into rows. */
  static final class Parser {
    private static final int FULL = 0;
    private static final int LABEL = 1;
    private static final int FEATURES = 2;

    private final String name;
    private final Layout layout;
    private final boolean targetsOptional;
    private final long maxValues;
    private boolean started;
    private boolean comma;
    private String header;
    private int columns = -1;
    private int mode;
    private int firstRowLine;
    private int rows;
    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private int fields;
    private final Floats xs;
    private final Floats ys;

    Parser(String name, Layout layout, boolean targetsOptional, DataLimits limits) {
      this.name = name;
      this.layout = layout;
      this.targetsOptional = targetsOptional;
      this.maxValues = limits.maxValues();
      this.xs = new Floats(maxValues);
      this.ys = new Floats(maxValues);
    }

    void line(char[] b, int len, int lineNo) {
      int s = 0;
      while (s < len && (b[s] == ' ' || b[s] == '\t' || b[s] == '\r' || b[s] == '\uFEFF')) {
        s++;
      }
      if (s == len || b[s] == '#') {
        return;
      }
      boolean first = !started;
      if (first) {
        started = true;
        for (int i = s; i < len; i++) {
          if (b[i] == ',') {
            comma = true;
            break;
          }
        }
      }
      split(b, s, len);
      if (first) {
        for (int f = 0; f < fields; f++) {
          if (classify(b, starts[f], ends[f]) == Kind.TEXT) {
            String text = new String(b, s, len - s);
            header = text.length() > 200 ? text.substring(0, 200) + "..." : text;
            return;
          }
        }
      }
      row(b, lineNo);
    }

    private void split(char[] b, int s, int len) {
      fields = 0;
      if (comma) {
        int start = s;
        for (int i = s; i <= len; i++) {
          if (i == len || b[i] == ',') {
            int fs = start;
            int fe = i;
            while (fs < fe && isBlank(b[fs])) {
              fs++;
            }
            while (fe > fs && isBlank(b[fe - 1])) {
              fe--;
            }
            if (fe - fs >= 2 && b[fs] == '"' && b[fe - 1] == '"') {
              fs++;
              fe--;
            }
            addField(fs, fe);
            start = i + 1;
          }
        }
      } else {
        int i = s;
        while (i < len) {
          while (i < len && isBlank(b[i])) {
            i++;
          }
          if (i == len) {
            break;
          }
          int fs = i;
          while (i < len && !isBlank(b[i])) {
            i++;
          }
          addField(fs, i);
        }
      }
    }

    private static boolean isBlank(char c) {
      return c == ' ' || c == '\t' || c == '\r';
    }

    private void addField(int s, int e) {
      if (fields == starts.length) {
        starts = java.util.Arrays.copyOf(starts, fields * 2);
        ends = java.util.Arrays.copyOf(ends, fields * 2);
      }
      starts[fields] = s;
      ends[fields] = e;
      fields++;
    }

    private void row(char[] b, int lineNo) {
      String at = name + ":" + lineNo + ": ";
      int f = layout.features();
      int t = layout.targets();
      if (columns < 0) {
        if (fields == f + t) {
          mode = t > 0 ? FULL : FEATURES;
        } else if (layout.classes() > 1 && fields == f + 1) {
          mode = LABEL;
        } else if (targetsOptional && fields == f && f > 0) {
          mode = FEATURES;
        } else {
          throw new NablaDataException(at + Layout.plural(fields, "column") + ", but " + layout.description()
              + " needs " + layout.expectation(targetsOptional));
        }
        columns = fields;
        firstRowLine = lineNo;
      } else if (fields != columns) {
        throw new NablaDataException(at + Layout.plural(fields, "column") + ", but the first row (line "
            + firstRowLine + ") has " + columns);
      }
      long stored = (long) (rows + 1) * (f + (mode == FEATURES ? 0 : t));
      if (stored > maxValues) {
        throw new NablaDataException(at + "the data has more than " + maxValues
            + " values, the limit (" + DataLimits.describe(maxValues) + ")");
      }
      for (int c = 0; c < f; c++) {
        xs.add(value(b, c, at));
      }
      switch (mode) {
        case FULL -> {
          for (int c = f; c < f + t; c++) {
            ys.add(value(b, c, at));
          }
        }
        case LABEL -> {
          double v = value(b, f, at);
          int k = layout.classes();
          if (v != Math.rint(v) || v < 0 || v >= k) {
            throw new NablaDataException(at + "column " + (f + 1) + " is the class label and must be a whole number 0.."
                + (k - 1) + " for " + layout.description() + ", not '" + text(b, f) + "'");
          }
          for (int j = 0; j < k; j++) {
            ys.add(j == (int) v ? 1f : 0f);
          }
        }
        default -> {
        }
      }
      rows++;
    }

    private String text(char[] b, int field) {
      String s = new String(b, starts[field], ends[field] - starts[field]);
      return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private float value(char[] b, int field, String at) {
      int s = starts[field];
      int e = ends[field];
      Kind kind = classify(b, s, e);
      String col = "column " + (field + 1);
      switch (kind) {
        case NUMBER -> {
          double v = parse(b, s, e);
          float fv = (float) v;
          if (Float.isInfinite(fv)) {
            throw new NablaDataException(at + col + " is '" + text(b, field)
                + "', beyond the float range (magnitude at most 3.4e38)");
          }
          return fv;
        }
        case NON_FINITE -> throw new NablaDataException(at + col + " is '" + text(b, field)
            + "': NaN and infinite values are not supported (fill or remove the row)");
        case MISSING -> throw new NablaDataException(at + col + (s == e ? " is empty" : " is '" + text(b, field) + "'")
            + ": missing values are not supported (fill or remove the row)");
        default -> throw new NablaDataException(at + col + " is '" + text(b, field) + "', not a number");
      }
    }

    Dataset finish() {
      if (rows == 0) {
        throw new NablaDataException(name + ": no data rows" + (header != null ? " (only the header line)" : ""));
      }
      int t = mode == FEATURES ? 0 : layout.targets();
      return new Dataset(name, rows, layout.features(), t, xs.toArray(), ys.toArray(), header, mode == LABEL);
    }
  }

  /** Classifies the field {@code b[s, e)}. */
  static Kind classify(char[] b, int s, int e) {
    if (s == e) {
      return Kind.MISSING;
    }
    if (isNumber(b, s, e)) {
      return Kind.NUMBER;
    }
    String word = new String(b, s, e - s).toLowerCase(java.util.Locale.ROOT);
    if (word.startsWith("+") || word.startsWith("-")) {
      word = word.substring(1);
    }
    return switch (word) {
      case "nan", "inf", "infinity" -> Kind.NON_FINITE;
      case "na", "n/a", "null", "none", "?", "" -> Kind.MISSING;
      default -> Kind.TEXT;
    };
  }

  /** {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?}. */
  static boolean isNumber(char[] b, int s, int e) {
    int i = s;
    if (i < e && (b[i] == '+' || b[i] == '-')) {
      i++;
    }
    int digits = 0;
    while (i < e && b[i] >= '0' && b[i] <= '9') {
      i++;
      digits++;
    }
    if (i < e && b[i] == '.') {
      i++;
      while (i < e && b[i] >= '0' && b[i] <= '9') {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < e && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      if (i < e && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      int exp = 0;
      while (i < e && b[i] >= '0' && b[i] <= '9') {
        i++;
        exp++;
      }
      if (exp == 0) {
        return false;
      }
    }
    return i == e;
  }

  /** Parses a field that {@link #isNumber} accepted; plain integers of up to 15 digits take a fast path. */
  static double parse(char[] b, int s, int e) {
    int i = s;
    boolean negative = false;
    if (b[i] == '+' || b[i] == '-') {
      negative = b[i] == '-';
      i++;
    }
    if (e - i <= 15) {
      long v = 0;
      int j = i;
      while (j < e && b[j] >= '0' && b[j] <= '9') {
        v = v * 10 + (b[j] - '0');
        j++;
      }
      if (j == e) {
        return negative ? -(double) v : (double) v;
      }
    }
    return Double.parseDouble(new String(b, s, e - s));
  }

  /** A growable float array capped at a limit. */
  static final class Floats {
    private final long max;
    private float[] a = new float[1024];
    private int n;

    Floats(long max) {
      this.max = max;
    }

    void add(float v) {
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, (int) Math.min(max, (long) a.length * 2));
      }
      a[n++] = v;
    }

    float[] toArray() {
      return n == a.length ? a : java.util.Arrays.copyOf(a, n);
    }
  }
}
