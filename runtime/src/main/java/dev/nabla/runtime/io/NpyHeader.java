package dev.nabla.runtime.io;

import dev.nabla.runtime.NablaDataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dictionary in a {@code .npy} header, e.g.
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }}.
 *
 * <p>{@link #parse} accepts exactly the Python literal subset NumPy writes: a dict with the three
 * keys {@code descr} (a string), {@code fortran_order} ({@code True}/{@code False}) and
 * {@code shape} (a tuple of non-negative integers, an old-style {@code L} suffix allowed), in any
 * order, with an optional trailing comma and surrounding whitespace. Anything else (a list
 * {@code descr} of a structured dtype, extra or missing keys, expressions) is rejected with a
 * {@link NablaDataException} whose message starts with {@code where}.
 *
 * @param descr the dtype string, e.g. {@code "<f4"}
 * @param fortranOrder true for column-major data (which this runtime does not read)
 * @param shape the dimensions; may hold values up to {@link Long#MAX_VALUE} before validation
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {

  /** The header text NumPy writes for this dict (before padding), byte-for-byte like {@code np.save}. */
  String format() {
    StringBuilder sb = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': ")
        .append(fortranOrder ? "True" : "False").append(", 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(shape[i]);
    }
    if (shape.length == 1) {
      sb.append(',');
    }
    return sb.append("), }").toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NpyHeader h && descr.equals(h.descr) && fortranOrder == h.fortranOrder
        && Arrays.equals(shape, h.shape);
  }

  @Override
  public int hashCode() {
    return (descr.hashCode() * 31 + Boolean.hashCode(fortranOrder)) * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return format();
  }

  /** Parses a header dict; {@code where} (e.g. {@code "data.npz: entry 'W'"}) prefixes error messages. */
  static NpyHeader parse(String text, String where) {
    Parser p = new Parser(text, where);
    Map<String, Object> dict = p.dict();
    p.skipSpace();
    if (!p.atEnd()) {
      throw p.error("unexpected text after the header dict");
    }
    if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
      throw new NablaDataException(where + ": the .npy header must have exactly the keys 'descr', "
          + "'fortran_order' and 'shape', but has " + dict.keySet());
    }
    if (!(dict.get("descr") instanceof String descr)) {
      throw new NablaDataException(where + ": unsupported dtype " + show(dict.get("descr"))
          + " (structured and object arrays cannot be read; save plain float arrays)");
    }
    if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
      throw new NablaDataException(where + ": 'fortran_order' must be True or False, not "
          + show(dict.get("fortran_order")));
    }
    if (!(dict.get("shape") instanceof long[] shape)) {
      throw new NablaDataException(where + ": 'shape' must be a tuple of integers, not "
          + show(dict.get("shape")));
    }
    return new NpyHeader(descr, fortran, shape);
  }

  private static String show(Object v) {
    if (v instanceof long[] a) {
      return Arrays.toString(a);
    }
    if (v instanceof List<?> l) {
      return "a list " + l;
    }
    return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
  }

  /** A recursive-descent parser for the Python literal subset of {@code .npy} headers. */
  private static final class Parser {
    private static final int MAX_DEPTH = 8;
    private final String s;
    private final String where;
    private int pos;
    private int depth;

    Parser(String s, String where) {
      this.s = s;
      this.where = where;
    }

    NablaDataException error(String what) {
      String near = s.substring(pos, Math.min(s.length(), pos + 20));
      return new NablaDataException(where + ": the .npy header is not a valid dict: " + what
          + " at character " + pos + (near.isBlank() ? "" : " near \"" + near.strip() + "\""));
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    void skipSpace() {
      while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t'
          || s.charAt(pos) == '\n' || s.charAt(pos) == '\r')) {
        pos++;
      }
    }

    boolean eat(char c) {
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }

    void expect(char c) {
      if (!eat(c)) {
        throw error("expected '" + c + "'");
      }
    }

    Map<String, Object> dict() {
      expect('{');
      Map<String, Object> out = new LinkedHashMap<>();
      while (!eat('}')) {
        skipSpace();
        String key = string();
        expect(':');
        Object value = value();
        if (out.put(key, value) != null) {
          throw error("duplicate key '" + key + "'");
        }
        if (!eat(',')) {
          expect('}');
          break;
        }
      }
      return out;
    }

    Object value() {
      skipSpace();
      if (atEnd()) {
        throw error("missing value");
      }
      char c = s.charAt(pos);
      if (c == '\'' || c == '"') {
        return string();
      }
      if (c == '(') {
        return tuple();
      }
      if (c == '[') {
        return list();
      }
      if (s.startsWith("True", pos)) {
        pos += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("False", pos)) {
        pos += 5;
        return Boolean.FALSE;
      }
      if (Character.isDigit(c) || c == '-') {
        return integer();
      }
      throw error("unexpected '" + c + "'");
    }

    String string() {
      skipSpace();
      if (atEnd() || (s.charAt(pos) != '\'' && s.charAt(pos) != '"')) {
        throw error("expected a quoted string");
      }
      char quote = s.charAt(pos++);
      int start = pos;
      while (pos < s.length() && s.charAt(pos) != quote) {
        if (s.charAt(pos) == '\\' || s.charAt(pos) == '\n') {
          throw error("unsupported character in a string");
        }
        pos++;
      }
      if (atEnd()) {
        throw error("unterminated string");
      }
      return s.substring(start, pos++);
    }

    long[] tuple() {
      expect('(');
      List<Long> dims = new ArrayList<>();
      boolean sawComma = false;
      while (!eat(')')) {
        skipSpace();
        if (atEnd() || !(Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '-')) {
          throw error("a shape must hold integers");
        }
        dims.add(integer());
        sawComma = eat(',');
        if (!sawComma) {
          expect(')');
          break;
        }
      }
      if (dims.size() == 1 && !sawComma) {
        throw error("'(n)' is not a tuple; a 1-d shape is written '(n,)'");
      }
      long[] out = new long[dims.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = dims.get(i);
      }
      return out;
    }

    List<Object> list() {
      if (++depth > MAX_DEPTH) {
        throw error("nested too deeply");
      }
      expect('[');
      List<Object> out = new ArrayList<>();
      while (!eat(']')) {
        skipSpace();
        out.add(atEnd() ? null : s.charAt(pos) == '(' ? listTuple() : value());
        if (!eat(',')) {
          expect(']');
          break;
        }
      }
      depth--;
      return out;
    }

    /** A tuple inside a structured-dtype list: parsed only to report the dtype as unsupported. */
    List<Object> listTuple() {
      if (++depth > MAX_DEPTH) {
        throw error("nested too deeply");
      }
      expect('(');
      List<Object> out = new ArrayList<>();
      while (!eat(')')) {
        skipSpace();
        out.add(!atEnd() && s.charAt(pos) == '(' ? listTuple() : value());
        if (!eat(',')) {
          expect(')');
          break;
        }
      }
      depth--;
      return out;
    }

    long integer() {
      skipSpace();
      int start = pos;
      if (pos < s.length() && s.charAt(pos) == '-') {
        pos++;
      }
      while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) {
        pos++;
      }
      String digits = s.substring(start, pos);
      if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
        pos++;
      }
      if (digits.isEmpty() || digits.equals("-")) {
        throw error("expected an integer");
      }
      if (digits.startsWith("-")) {
        throw new NablaDataException(where + ": the .npy header has a negative dimension " + digits);
      }
      try {
        return Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw new NablaDataException(where + ": the .npy header has an absurd dimension " + digits);
      }
    }
  }
}
