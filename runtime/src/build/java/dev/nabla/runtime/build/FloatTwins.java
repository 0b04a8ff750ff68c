package dev.nabla.runtime.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the float kernels from the double ones, so that each kernel has one source a human
 * edits (the way EJML generates its 32-bit code from its 64-bit code). Every {@code NameF64.java}
 * under the source root gets a twin {@code NameF32.java}, in the same package under the output
 * root, with:
 *
 * <ul>
 *   <li>the keyword {@code double} replaced by {@code float}, except where it is written
 *       {@code @Wide double} (a value that stays double in both, such as a float row's sum);</li>
 *   <li>{@code Double} at the start of an identifier replaced by {@code Float} ({@code Double},
 *       {@code DoubleVector}) and {@code F64} inside an identifier by {@code F32};</li>
 *   <li>a floating literal's {@code d} suffix replaced by {@code f} ({@code 0d} is {@code 0f});
 *       an unsuffixed literal stays a double literal, as Java reads it in both;</li>
 *   <li>in comments, the words {@code double}/{@code doubles} and the names above the same way,
 *       so that the generated Javadoc describes the float code.</li>
 * </ul>
 *
 * String and character literals are left alone. Run by the runtime module's build in
 * {@code generate-sources} (see {@code runtime/pom.xml}) with the JDK's source launcher:
 * {@code java FloatTwins.java SOURCE_ROOT OUTPUT_ROOT}. A file is only rewritten when its content
 * changes, and twins whose double source is gone are deleted, so incremental builds stay quiet.
 */
public final class FloatTwins {
  /** The first line of every generated file. */
  static final String GENERATED = "// GENERATED at build time by runtime/src/build/java/dev/nabla/runtime/build/FloatTwins.java";

  private static final Pattern WORD = Pattern.compile("@Wide\\s+double\\b|\\bdoubles\\b|\\bdouble\\b|\\bDouble|F64");

  private FloatTwins() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: java FloatTwins.java SOURCE_ROOT OUTPUT_ROOT");
      System.exit(2);
    }
    Path sourceRoot = Path.of(args[0]);
    Path outputRoot = Path.of(args[1]);
    generate(sourceRoot, outputRoot); // silent on success, like the rest of a quiet build
  }

  /** Writes the twin of every {@code *F64.java} under {@code sourceRoot}; returns how many changed. */
  static int generate(Path sourceRoot, Path outputRoot) throws IOException {
    Set<Path> wanted = new TreeSet<>();
    int written = 0;
    for (Path source : sources(sourceRoot)) {
      Path relative = sourceRoot.relativize(source);
      String name = relative.getFileName().toString();
      Path target = outputRoot.resolve(relative).resolveSibling(name.replace("F64.java", "F32.java"));
      if (Files.exists(source.resolveSibling(target.getFileName()))) {
        throw new IllegalStateException(source.resolveSibling(target.getFileName())
            + " is written by hand, but it is generated from " + name + ": delete it");
      }
      wanted.add(target);
      String text = twin(Files.readString(source, StandardCharsets.UTF_8), name);
      if (!Files.exists(target) || !Files.readString(target, StandardCharsets.UTF_8).equals(text)) {
        Files.createDirectories(target.getParent());
        Files.writeString(target, text, StandardCharsets.UTF_8);
        written++;
      }
    }
    if (Files.isDirectory(outputRoot)) {
      try (Stream<Path> old = Files.walk(outputRoot)) {
        for (Path p : old.filter(p -> p.toString().endsWith("F32.java") && !wanted.contains(p)).toList()) {
          Files.delete(p);
        }
      }
    }
    return written;
  }

  private static List<Path> sources(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().endsWith("F64.java")).sorted().toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The float twin of the double source {@code text} (from the file {@code sourceName}). */
  static String twin(String text, String sourceName) {
    StringBuilder out = new StringBuilder(text.length() + 200);
    out.append(GENERATED).append(" from ").append(sourceName).append(".\n")
        .append("// Do not edit: change ").append(sourceName).append(" and build.\n");
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '/' && i + 1 < n && (text.charAt(i + 1) == '/' || text.charAt(i + 1) == '*')) {
        int end = text.charAt(i + 1) == '/' ? lineEnd(text, i) : commentEnd(text, i);
        out.append(words(text.substring(i, end)));
        i = end;
      } else if (c == '"' || c == '\'') {
        int end = literalEnd(text, i);
        out.append(text, i, end);
        i = end;
      } else if (c == '@' && text.startsWith("@Wide", i)) {
        // "@Wide double" keeps its double; the annotation itself stays, to show why.
        Matcher wide = Pattern.compile("@Wide\\s+double\\b").matcher(text).region(i, n);
        int end = wide.lookingAt() ? wide.end() : i + "@Wide".length();
        out.append(text, i, end);
        i = end;
      } else if (Character.isJavaIdentifierStart(c)) {
        int end = i + 1;
        while (end < n && Character.isJavaIdentifierPart(text.charAt(end))) {
          end++;
        }
        out.append(identifier(text.substring(i, end)));
        i = end;
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(text.charAt(i + 1)))) {
        int end = i + 1;
        while (end < n && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '.'
            || text.charAt(end) == '_'
            || ((text.charAt(end) == '+' || text.charAt(end) == '-')
                && (text.charAt(end - 1) == 'e' || text.charAt(end - 1) == 'E')))) {
          end++;
        }
        out.append(number(text.substring(i, end)));
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static String identifier(String id) {
    if (id.equals("double")) {
      return "float";
    }
    if (id.startsWith("Double")) {
      id = "Float" + id.substring("Double".length());
    }
    return id.replace("F64", "F32");
  }

  private static String number(String literal) {
    boolean hex = literal.startsWith("0x") || literal.startsWith("0X");
    char last = literal.charAt(literal.length() - 1);
    if (!hex && (last == 'd' || last == 'D')) {
      return literal.substring(0, literal.length() - 1) + "f";
    }
    return literal;
  }

  /** A comment's words, converted like the code's identifiers. */
  private static String words(String comment) {
    Matcher m = WORD.matcher(comment);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String w = m.group();
      String replacement = switch (w) {
        case "double" -> "float";
        case "doubles" -> "floats";
        case "Double" -> "Float";
        case "F64" -> "F32";
        default -> w; // "@Wide double"
      };
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static int lineEnd(String text, int from) {
    int end = text.indexOf('\n', from);
    return end < 0 ? text.length() : end;
  }

  private static int commentEnd(String text, int from) {
    int end = text.indexOf("*/", from + 2);
    if (end < 0) {
      throw new IllegalArgumentException("unterminated comment at offset " + from);
    }
    return end + 2;
  }

  private static int literalEnd(String text, int from) {
    char quote = text.charAt(from);
    if (quote == '"' && text.startsWith("\"\"\"", from)) {
      int end = text.indexOf("\"\"\"", from + 3);
      if (end < 0) {
        throw new IllegalArgumentException("unterminated text block at offset " + from);
      }
      return end + 3;
    }
    int i = from + 1;
    while (i < text.length() && text.charAt(i) != quote) {
      if (text.charAt(i) == '\\') {
        i++;
      }
      i++;
    }
    if (i >= text.length()) {
      throw new IllegalArgumentException("unterminated literal at offset " + from);
    }
    return i + 1;
  }
}
