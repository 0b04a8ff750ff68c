package dev.nabla.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The model files under a source directory that match Ant-style include patterns and no exclude
 * pattern ({@code **} any directories, {@code *} any characters of one name, {@code ?} one
 * character), as Maven's own plugins match resources. Paths are relative, with {@code /}.
 */
final class ModelScan {
  private ModelScan() {}

  /** The matching regular files under {@code root}, sorted; none when {@code root} does not exist. */
  static List<String> scan(Path root, List<String> includes, List<String> excludes) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Pattern> in = includes.stream().map(ModelScan::toRegex).toList();
    List<Pattern> out = excludes.stream().map(ModelScan::toRegex).toList();
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(Files::isRegularFile).forEach(f -> {
        String rel = root.relativize(f).toString().replace('\\', '/');
        if (in.stream().anyMatch(p -> p.matcher(rel).matches()) && out.stream().noneMatch(p -> p.matcher(rel).matches())) {
          found.add(rel);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
    found.sort(null);
    return found;
  }

  /** An Ant-style pattern as a regular expression over a relative path with {@code /}. */
  static Pattern toRegex(String pattern) {
    String p = pattern.replace('\\', '/');
    if (p.endsWith("/")) {
      p += "**";                                   // Ant: "dir/" means everything under dir
    }
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (p.startsWith("**/", i)) {
        re.append("(?:.*/)?");
        i += 2;
      } else if (p.startsWith("**", i)) {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
