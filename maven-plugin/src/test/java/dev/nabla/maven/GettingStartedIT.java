package dev.nabla.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/getting-started.md, done as a reader would: every box marked
 * {@code <!-- getting-started: PATH ... -->} is written to those paths of two empty projects (the
 * plugin route and the processor route), built with the page's {@code mvn} command and run with
 * its {@code java} command (the local repository being the staged one). The docs and this test
 * cannot drift apart: the test has no copy of the page's text.
 */
class GettingStartedIT {
  private static final Path PAGE = Path.of("../docs/getting-started.md");
  private static final Pattern BOX =
      Pattern.compile("<!-- getting-started: ([^>]*?) -->\\n```[a-z]*\\n(.*?)```\\n", Pattern.DOTALL);

  private static Map<String, String> boxes;

  @BeforeAll
  static void read() throws IOException {
    MavenBuild.assumeStaged();
    boxes = new LinkedHashMap<>();
    Matcher m = BOX.matcher(Files.readString(PAGE, StandardCharsets.UTF_8));
    while (m.find()) {
      for (String key : m.group(1).split(" ")) {
        boxes.put(key, m.group(2));
      }
    }
  }

  @Test
  void thePagesVersionsAreThisBuilds() {
    for (String route : List.of("plugin", "processor")) {
      String pom = boxes.get(route + "/pom.xml");
      assertThat(pom).as(route + " pom").contains("<nabla.version>" + MavenBuild.version() + "</nabla.version>");
      // Maven's plugins at the versions this build uses (so they are in its local repository).
      for (String plugin : List.of("compiler", "resources", "surefire", "jar")) {
        Matcher v = Pattern.compile("<artifactId>maven-" + plugin + "-plugin</artifactId>\\s*<version>([^<]*)</version>")
            .matcher(pom);
        assertThat(v.find()).as(route + " pom pins maven-" + plugin + "-plugin").isTrue();
        assertThat(v.group(1)).as(route + " pom, maven-" + plugin + "-plugin")
            .isEqualTo(MavenBuild.filter("@" + plugin + "PluginVersion@"));
      }
    }
    assertThat(boxes.get("run")).contains("/" + MavenBuild.version() + "/nabla-runtime-" + MavenBuild.version() + ".jar");
  }

  @Test
  void thePluginRouteTrainsPredictsAndPicksUpAnEditedModel() throws Exception {
    Path project = write("plugin");
    build(project);
    assertTrainsAndPredicts(project);

    // The page's error, from the edit it describes.
    Path model = project.resolve("src/main/nabla/com/example/xor/xor.nn");
    String original = Files.readString(model);
    Files.writeString(model, original.replace("W1[4, 2]", "W1[4, 3]"));
    MavenBuild.Result failed = MavenBuild.run(project, mvnArguments());
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.log()).contains(boxes.get("error").replace("/home/me/xor", project.toString()));

    // The page's edit: picked up by the next package, and the program still learns XOR.
    Files.writeString(model, original.replace("W1[4, 2]", "W1[8, 2]").replace("b1[4]", "b1[8]")
        .replace("W2[1, 4]", "W2[1, 8]"));
    MavenBuild.Result edited = MavenBuild.run(project, "package");
    assertThat(edited.succeeded()).as(edited.log()).isTrue();
    assertThat(edited.log()).contains(": 1 generated, 0 up to date");
    assertThat(Files.readString(project.resolve("target/generated-sources/nabla/com/example/xor/Xor.java")))
        .contains("W1[8, 2]");
    assertTrainsAndPredicts(project);
  }

  @Test
  void theProcessorRouteTrainsAndPredicts() throws Exception {
    Path project = write("processor");
    build(project);
    assertThat(project.resolve("target/generated-sources/annotations/com/example/xor/Xor.java")).exists();
    assertTrainsAndPredicts(project);
  }

  /** A fresh project with every box of the route. */
  private static Path write(String route) throws IOException {
    Path project = MavenBuild.emptyProject("getting-started-" + route);
    int files = 0;
    for (Map.Entry<String, String> box : boxes.entrySet()) {
      if (box.getKey().startsWith(route + "/")) {
        Path file = project.resolve(box.getKey().substring(route.length() + 1));
        Files.createDirectories(file.getParent());
        Files.writeString(file, box.getValue(), StandardCharsets.UTF_8);
        files++;
      }
    }
    assertThat(files).as("boxes for " + route).isGreaterThanOrEqualTo(4);
    return project;
  }

  private static String[] mvnArguments() {
    String command = boxes.get("build").strip();
    assertThat(command).startsWith("mvn ");
    return command.substring(4).split(" +");
  }

  private static void build(Path project) throws Exception {
    MavenBuild.Result r = MavenBuild.run(project, mvnArguments());
    assertThat(r.succeeded()).as(r.log()).isTrue();
  }

  /** Runs the page's java command (JAVA_HOME and the local repository being this build's) and checks what it prints. */
  private static void assertTrainsAndPredicts(Path project) throws Exception {
    List<String> command = new ArrayList<>();
    String repository = Path.of(System.getProperty("nabla.it.repository")).toAbsolutePath().toString();
    for (String word : boxes.get("run").strip().split(" +")) {
      command.add(word.replace("$JAVA_HOME", System.getProperty("java.home"))
          .replace("$HOME/.m2/repository", repository));
    }
    Files.deleteIfExists(project.resolve("xor.npz"));
    Process p = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("epoch 300: loss ").contains("accuracy 1.00\n");
    Matcher y = Pattern.compile("xor\\(1, 0\\) = ([0-9.]+)").matcher(out);
    assertThat(y.find()).as(out).isTrue();
    assertThat(Double.parseDouble(y.group(1))).isGreaterThan(0.8);
    assertThat(project.resolve("xor.npz")).exists();
  }
}
