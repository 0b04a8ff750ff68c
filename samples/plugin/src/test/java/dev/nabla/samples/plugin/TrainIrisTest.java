package dev.nabla.samples.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin route's sample, and the package overview that quotes it. */
class TrainIrisTest {
  @Test
  void trainsSavesReloadsAndPredictsTheFlower(@TempDir Path dir) {
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    double accuracy;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      accuracy = TrainIris.run(Path.of("../data/iris.csv"), dir.resolve("iris.npz"));
    } finally {
      System.setOut(out);
    }
    assertTrue(accuracy >= 0.9, "test accuracy " + accuracy);
    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("epoch 100: loss "), text);
    assertTrue(text.endsWith("species 2\n"), text);
    assertTrue(Files.exists(dir.resolve("iris.npz")));
  }

  @Test
  void thePackageOverviewShowsThisSampleWordForWord() throws IOException {
    String sample = Files.readString(Path.of("src/main/java/dev/nabla/samples/plugin/TrainIris.java"));
    String example = between(sample, "    // example: start\n", "    // example: end\n");
    String overview = Files.readString(Path.of("../../runtime/src/main/java/dev/nabla/runtime/package-info.java"));
    String shown = between(overview, " * <pre>{@code\n", " * }</pre>\n").replaceAll("(?m)^ \\* ?", "");
    StringBuilder unindented = new StringBuilder();
    for (String line : example.split("\n", -1)) {
      unindented.append(line.startsWith("    ") ? line.substring(4) : line).append('\n');
    }
    assertEquals(unindented.toString().stripTrailing(), shown.stripTrailing());
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    int to = text.indexOf(end, from + 1);
    assertTrue(from >= 0 && to > from, "no " + start.strip() + " ... " + end.strip());
    return text.substring(from + start.length(), to);
  }
}
