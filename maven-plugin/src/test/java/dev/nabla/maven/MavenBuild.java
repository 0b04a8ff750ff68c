package dev.nabla.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a real Maven build of a small project, as a user would, against the private repository
 * that {@code invoker:install} staged under {@code target/it-repo} (never {@code ~/.m2}). Other
 * artifacts (Maven's own plugins) come from the outer build's local repository, read as a file
 * repository (added by a global settings file of its own), then from Maven Central. The outer
 * build's user settings (mirrors, proxies) and offline state carry over. The properties are set
 * by the surefire execution in this module's pom.
 */
final class MavenBuild {
  /** The outcome of one {@code mvn} run: its exit code and everything it printed. */
  record Result(int exitCode, String log) {
    boolean succeeded() {
      return exitCode == 0;
    }
  }

  private MavenBuild() {}

  /**
   * Skips the calling test unless it runs in the {@code integration-tests} execution, which stages
   * the repository and sets the properties (a {@code -Dtest=...} run also selects it in the
   * {@code test} phase, before the plugin is packaged).
   */
  static void assumeStaged() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("nabla.it.repository") != null,
        "runs in the integration-test phase, after the plugin is staged in target/it-repo");
  }

  static String version() {
    return property("nabla.it.version");
  }

  private static Path projects() {
    return Path.of(property("nabla.it.projects"));
  }

  private static String property(String name) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(name + " is not set; run the *IT tests through Maven (mvn verify)");
    }
    return v;
  }

  /**
   * Copies the project {@code src/it/NAME} to a fresh {@code target/it-projects/NAME}, replacing
   * {@code @nabla.version@} and the plugin versions {@code @...PluginVersion@} in its files.
   */
  static Path project(String name) throws IOException {
    Path from = Path.of("src/it", name).toAbsolutePath();
    Path to = projects().resolve(name);
    deleteTree(to);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.writeString(target, filter(Files.readString(f, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        }
      }
    }
    return to;
  }

  /** A fresh, empty {@code target/it-projects/NAME}. */
  static Path emptyProject(String name) throws IOException {
    Path dir = projects().resolve(name);
    deleteTree(dir);
    Files.createDirectories(dir);
    return dir;
  }

  /** The text with the build's versions in place of {@code @nabla.version@} and the like. */
  static String filter(String text) {
    return text.replace("@nabla.version@", version())
        .replace("@compilerPluginVersion@", property("nabla.it.compilerPluginVersion"))
        .replace("@surefirePluginVersion@", property("nabla.it.surefirePluginVersion"))
        .replace("@jarPluginVersion@", property("nabla.it.jarPluginVersion"))
        .replace("@resourcesPluginVersion@", property("nabla.it.resourcesPluginVersion"));
  }

  /** Runs {@code mvn -B ARGS} in {@code dir}; waits at most five minutes. */
  static Result run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    boolean windows = System.getProperty("os.name", "").startsWith("Windows");
    command.add(Path.of(property("nabla.it.mavenHome"), "bin", windows ? "mvn.cmd" : "mvn").toString());
    command.addAll(List.of("-B", "-ntp", "-gs", settings().toString(),
        "-Dmaven.repo.local=" + Path.of(property("nabla.it.repository")).toAbsolutePath()));
    // "offline=true" (surefire cannot pass ${settings.offline}, a Boolean, as it is)
    Path userSettings = Path.of(System.getProperty("nabla.it.userSettings", ""));
    if (!userSettings.toString().isEmpty() && Files.isRegularFile(userSettings)) {
      command.addAll(List.of("-s", userSettings.toString()));
    }
    if (System.getProperty("nabla.it.offline", "").equals("offline=true")) {
      command.add("-o");
    }
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.remove("MAVEN_ARGS");
    Path log = dir.resolve("build.log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("mvn " + String.join(" ", args) + " took more than five minutes in " + dir);
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Global settings that add the outer build's local repository as a file repository before Central. */
  private static synchronized Path settings() throws IOException {
    Path file = projects().resolve("settings.xml");
    if (Files.exists(file)) {
      return file;
    }
    String outer = Path.of(property("nabla.it.outerRepository")).toAbsolutePath().toUri().toString();
    String repository = """
          <id>outer-local</id>
          <url>%s</url>
          <releases><enabled>true</enabled></releases>
          <snapshots><enabled>false</enabled></snapshots>
        """.formatted(outer);
    Files.createDirectories(projects());
    Files.writeString(file, """
        <settings>
          <profiles>
            <profile>
              <id>outer-local</id>
              <repositories><repository>
        %s  </repository></repositories>
              <pluginRepositories><pluginRepository>
        %s  </pluginRepository></pluginRepositories>
            </profile>
          </profiles>
          <activeProfiles><activeProfile>outer-local</activeProfile></activeProfiles>
        </settings>
        """.formatted(repository, repository), StandardCharsets.UTF_8);
    return file;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
