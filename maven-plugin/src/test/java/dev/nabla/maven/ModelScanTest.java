package dev.nabla.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files the goals see: Ant-style includes and excludes, as Maven's own plugins match them. */
class ModelScanTest {
  @Test
  void doubleStarMatchesAnyDirectoriesIncludingNone(@TempDir Path root) throws IOException {
    for (String f : List.of("a.nn", "x/b.nn", "x/y/c.nn", "x/notes.txt", "x/y/old/d.nn")) {
      Files.createDirectories(root.resolve(f).getParent());
      Files.writeString(root.resolve(f), "");
    }
    assertThat(ModelScan.scan(root, List.of("**/*.nn"), List.of()))
        .containsExactly("a.nn", "x/b.nn", "x/y/c.nn", "x/y/old/d.nn");
    assertThat(ModelScan.scan(root, List.of("**/*.nn"), List.of("**/old/**"))).containsExactly("a.nn", "x/b.nn", "x/y/c.nn");
    assertThat(ModelScan.scan(root, List.of("x/*.nn", "?.nn"), List.of())).containsExactly("a.nn", "x/b.nn");
    assertThat(ModelScan.scan(root, List.of("x/"), List.of("**/*.txt"))).containsExactly("x/b.nn", "x/y/c.nn", "x/y/old/d.nn");
    assertThat(ModelScan.scan(root.resolve("missing"), List.of("**/*.nn"), List.of())).isEmpty();
  }

  @Test
  void dotsAndOtherRegexCharactersAreLiteral() {
    assertThat(ModelScan.toRegex("a.nn").matcher("a.nn").matches()).isTrue();
    assertThat(ModelScan.toRegex("a.nn").matcher("abnn").matches()).isFalse();
    assertThat(ModelScan.toRegex("(x)+*.nn").matcher("(x)+y.nn").matches()).isTrue();
  }
}
