package dev.nabla.compiler.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps docs/language.md honest: every built-in function has an entry, every {@code ```nn}
 * example compiles without a warning, the derivative program shown after one (a {@code ```grad}
 * block) is what {@code nabla grad} prints for it, and the errors shown after a
 * {@code ```nn errors} example (an {@code ```errors} block) are what it reports.
 */
class LanguageReferenceTest {
  static final Path REFERENCE = Path.of("..", "docs", "language.md");

  /** A fenced block: its info string (after the backticks), its text and its line in the page. */
  record Block(String info, String text, int line) {
    @Override
    public String toString() {
      return "language.md:" + line + " (" + info + ")";
    }
  }

  /** An example and the block that follows it directly (a grad or errors block), or null. */
  record Example(Block model, Block expected) {
    @Override
    public String toString() {
      return model.toString();
    }
  }

  @TempDir Path dir;

  static List<Block> blocks() throws IOException {
    List<String> lines = Files.readAllLines(REFERENCE);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("```") && lines.get(i).length() > 3) {
        int start = i;
        StringBuilder text = new StringBuilder();
        for (i++; !lines.get(i).equals("```"); i++) {
          text.append(lines.get(i)).append('\n');
        }
        blocks.add(new Block(lines.get(start).substring(3).strip(), text.toString(), start + 1));
      }
    }
    return blocks;
  }

  static Stream<Example> examples() throws IOException {
    List<Block> blocks = blocks();
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      Block b = blocks.get(i);
      if (b.info().equals("nn") || b.info().equals("nn errors")) {
        Block next = i + 1 < blocks.size() && !blocks.get(i + 1).info().startsWith("nn") ? blocks.get(i + 1) : null;
        examples.add(new Example(b, next));
      }
    }
    return examples.stream();
  }

  record Run(int code, String out, String err) {}

  Run nabla(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  /** The statements of a derivative program: its lines that are not comments. */
  static List<String> statements(String program) {
    return program.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleCompilesAsShown(Example example) throws IOException {
    Path file = Files.writeString(dir.resolve("example.nn"), example.model().text());
    Matcher models = Pattern.compile("(?m)^model (\\w+)").matcher(example.model().text());
    List<String> names = new ArrayList<>();
    while (models.find()) {
      names.add(models.group(1));
    }
    assertThat(names).as("models in " + example).isNotEmpty();
    if (example.model().info().equals("nn errors")) {
      Run r = nabla("grad", file.toString(), "--model", names.getFirst());
      assertThat(r.code()).as(example + "\n" + r).isNotZero();
      assertThat(example.expected()).as("the errors block after " + example).isNotNull();
      assertThat(r.err().replace(file.toString(), "example.nn")).isEqualTo(example.expected().text());
      return;
    }
    for (String name : names) {
      Run r = nabla("grad", "--werror", file.toString(), "--model", name);
      assertThat(r.code()).as(example + " model " + name + "\n" + r.err()).isZero();
      if (example.expected() != null && example.expected().info().equals("grad")) {
        assertThat(statements(r.out())).as(example + ": the printed program").isEqualTo(statements(example.expected().text()));
      }
    }
  }

  @Test
  void everyBuiltinHasAnEntry() throws IOException {
    String reference = Files.readString(REFERENCE);
    List<String> missing = Builtins.names().stream().filter(name -> !reference.contains("`" + name + "(")).toList();
    assertThat(missing).as("built-ins without an entry (`name(...)`) in docs/language.md").isEmpty();
  }

  @Test
  void theExamplesAreFound() throws IOException {
    // a change of the fences must not make the examples silently untested
    assertThat(examples().filter(e -> e.expected() != null && e.expected().info().equals("grad")).count()).isGreaterThanOrEqualTo(2);
    assertThat(examples().filter(e -> e.model().info().equals("nn errors")).count()).isGreaterThanOrEqualTo(1);
  }
}
