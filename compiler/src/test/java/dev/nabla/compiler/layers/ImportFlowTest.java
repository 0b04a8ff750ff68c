package dev.nabla.compiler.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Imports follow the phases (issue 13): {@code ast} (the syntax tree and its source text) and
 * {@code names} (how model names become Java names) import no other package of the compiler;
 * {@code diag} builds on {@code ast} only; the checker does not reach up into the code generator,
 * the printers or the pipeline that runs it.
 */
class ImportFlowTest {
  private static final Path MAIN = Path.of("src/main/java/dev/nabla/compiler");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.nabla\\.compiler\\.([a-z]+)\\.", Pattern.MULTILINE);

  /** The compiler packages the sources of {@code pkg} import. */
  static Set<String> imports(String pkg) {
    Set<String> found = new TreeSet<>();
    try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            found.add(m.group(1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  @Test
  void theLowestPackagesImportNothingAboveThem() {
    assertThat(imports("ast")).isEmpty();
    assertThat(imports("names")).isEmpty();
    assertThat(imports("diag")).containsOnly("ast");
  }

  @Test
  void theCheckerDoesNotReachIntoLaterPhases() {
    assertThat(imports("check")).doesNotContainAnyElementsOf(List.of("codegen", "print", "pipeline", "cli", "processor"));
  }
}
