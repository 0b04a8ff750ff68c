package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nabla graph}: DOT on standard output or in a file; SVG through Graphviz when installed. */
class GraphCommandTest {
  @TempDir Path dir;
  Path digits;

  @BeforeEach
  void setUp() {
    digits = Cli.digits(dir);
  }

  @Test
  void printsADigraph() {
    Cli.Result r = Cli.run("graph", digits);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("digraph \"Digits\" {").contains("->")
        .contains("input x [64]").contains("param W1 [32, 64]").contains("Y = softmax(z2)");
    assertThat(r.out().strip()).endsWith("}");
  }

  @Test
  void theDerivativeGraphHasLocalDerivativesOnItsEdges() {
    Cli.Result r = Cli.run("graph", digits, "--grad");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("digraph").contains("label=\"outer(g, x)\"").contains("step(z1)");
  }

  @Test
  void writesTheDotToAFile() throws IOException {
    Path out = dir.resolve("digits.dot");
    Cli.Result r = Cli.run("graph", digits, "-o", out);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(Files.readString(out)).isEqualTo(Cli.run("graph", digits).out());
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("digits.nn", "digits.dot");
    }
  }

  @Test
  void aMissingOutputDirectoryIsCreatedAsByEveryCommand() {
    Cli.Result r = Cli.run("graph", digits, "-o", dir.resolve("no/such/dir/g.dot"));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(dir.resolve("no/such/dir/g.dot")).isRegularFile();
  }

  /** Issue 12, item 22: a file where a directory should be is named, not "null". */
  @Test
  void anOutputUnderARegularFileIsAClearError() {
    Cli.Result r = Cli.run("graph", digits, "-o", digits.resolve("g.dot"));
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("nabla: cannot write " + digits.resolve("g.dot") + ": " + digits
        + " is not a directory\n");
  }

  /** Issue 12, item 21: {@code -o x.svg} without {@code --format} writes SVG, not DOT. */
  @Test
  void theFormatFollowsTheOutputFilesExtension() throws IOException {
    Path out = dir.resolve("digits.svg");
    Cli.Result r = Cli.run("graph", digits, "-o", out);
    if (onPath("dot")) {
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(Files.readString(out)).contains("<svg").doesNotContain("digraph");
    } else {
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.err()).contains("Graphviz");
      assertThat(out).doesNotExist();
    }
    Cli.Result dot = Cli.run("graph", digits, "--format", "dot", "-o", out);
    assertThat(dot.code()).isZero();
    assertThat(Files.readString(out)).startsWith("digraph");   // an explicit --format wins
  }

  @Test
  void svgThroughGraphvizOrTheInstallHint() throws IOException {
    Path out = dir.resolve("digits.svg");
    Cli.Result r = Cli.run("graph", digits, "--format", "svg", "-o", out);
    if (onPath("dot")) {
      assertThat(r.code()).as(r.toString()).isZero();
      String svg = Files.readString(out);
      assertThat(svg).contains("<svg").contains("</svg>").contains("softmax");
      Cli.Result stdout = Cli.run("graph", digits, "--grad", "--format", "svg");
      assertThat(stdout.code()).isZero();
      assertThat(stdout.out()).contains("<svg");
    } else {
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.err()).contains("Graphviz").contains("apt-get install graphviz").contains("--format dot");
      assertThat(out).doesNotExist();
    }
  }

  /** Whether an executable of that name is on the PATH, as ProcessBuilder would find it. */
  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String entry : path.split(File.pathSeparator)) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, program)) && !Files.isDirectory(Path.of(entry, program))) {
        return true;
      }
    }
    return false;
  }
}
