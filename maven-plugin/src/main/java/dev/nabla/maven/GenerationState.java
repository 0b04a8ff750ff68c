package dev.nabla.maven;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What the last {@code generate} wrote: for every model file (relative to the source directory),
 * the fingerprint of its text and options it was generated from and the sources it produced
 * (relative to the output directory). A model whose fingerprint is unchanged and whose sources all
 * exist is not generated again; the sources of a model that is gone are deleted. Kept under
 * {@code target/}, so {@code mvn clean} forgets it together with the sources.
 */
final class GenerationState {
  /** One model file's record. */
  record Entry(String fingerprint, List<String> outputs) {}

  private final Map<String, Entry> entries;

  private GenerationState(Map<String, Entry> entries) {
    this.entries = entries;
  }

  static GenerationState empty() {
    return new GenerationState(new TreeMap<>());
  }

  /** Reads the state file; an absent or unreadable one is an empty state (everything is regenerated). */
  static GenerationState load(Path file) {
    Map<String, Entry> entries = new TreeMap<>();
    if (!Files.isRegularFile(file)) {
      return new GenerationState(entries);
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      return new GenerationState(entries);
    }
    for (String key : p.stringPropertyNames()) {
      if (key.endsWith(".fingerprint")) {
        String model = key.substring(0, key.length() - ".fingerprint".length());
        String outputs = p.getProperty(model + ".outputs", "");
        entries.put(model, new Entry(p.getProperty(key),
            outputs.isEmpty() ? List.of() : Arrays.asList(outputs.split(","))));
      }
    }
    return new GenerationState(entries);
  }

  Map<String, Entry> entries() {
    return entries;
  }

  Entry get(String model) {
    return entries.get(model);
  }

  void put(String model, Entry entry) {
    entries.put(model, entry);
  }

  void remove(String model) {
    entries.remove(model);
  }

  /** Writes the state through a temporary file, so that a killed build leaves the old state or the new one. */
  void save(Path file) throws IOException {
    Properties p = new Properties();
    for (Map.Entry<String, Entry> e : new LinkedHashMap<>(entries).entrySet()) {
      p.setProperty(e.getKey() + ".fingerprint", e.getValue().fingerprint());
      p.setProperty(e.getKey() + ".outputs", String.join(",", e.getValue().outputs()));
    }
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        p.store(out, "nabla-maven-plugin: models and the sources generated from them");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
