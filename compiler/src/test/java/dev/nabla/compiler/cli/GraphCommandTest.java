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
  void aMissingOutputDirectoryIsAClearError() {
    Cli.Result r = Cli.run("graph", digits, "-o", dir.resolve("no/such/dir/g.dot"));
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("cannot write").contains("g.dot").doesNotContain("\tat ");
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
