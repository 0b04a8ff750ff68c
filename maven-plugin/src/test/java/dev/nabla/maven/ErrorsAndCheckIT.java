package dev.nabla.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Model errors as build errors, configured package and precision, and {@code nabla:check}, in real builds. */
class ErrorsAndCheckIT {
  @BeforeAll
  static void staged() {
    MavenBuild.assumeStaged();
  }

  @Test
  void everyModelErrorOfEveryFileFailsTheBuildAtOnceWithPositionAndCaret() throws Exception {
    Path project = MavenBuild.project("errors");
    MavenBuild.Result r = MavenBuild.run(project, "compile");
    assertThat(r.succeeded()).as(r.log()).isFalse();
    Path dir = project.resolve("src/main/nabla/com/example");
    // Maven prints every line of a failure with its "[ERROR] " prefix, so the carets stay aligned.
    assertThat(r.log()).contains("3 errors in the Nabla models")
        .contains("[ERROR] " + dir.resolve("names.nn") + ":5:26: error: undefined name 'q'\n"
            + "[ERROR]     output y = sigmoid(W @ q);\n"
            + "[ERROR]                            ^\n")
        .contains("[ERROR] " + dir.resolve("names.nn") + ":6:19: error: undefined name 'e'\n"
            + "[ERROR]     loss L = bce(y, e);\n"
            + "[ERROR]                     ^\n")
        .contains("[ERROR] " + dir.resolve("shapes.nn") + ":5:24: error: shape mismatch in '@': W is [1, 3] but x is [2]\n"
            + "[ERROR]     output y = sigmoid(W @ x);\n"
            + "[ERROR]                          ^\n");
    assertThat(project.resolve("target/generated-sources/nabla/com/example")).doesNotExist();
  }

  @Test
  void theCheckGoalChecksEveryModelsGradientsInTheConfiguredPackageAndPrecision() throws Exception {
    Path project = MavenBuild.project("check");
    MavenBuild.Result r = MavenBuild.run(project, "test");
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(r.log()).contains("Nabla: gradient check passed for 2 models")
        .containsPattern("xor.nn Xor W1 +worst relative error [0-9.e-]+  ok")
        .containsPattern("iris.nn Iris W +worst relative error [0-9.e-]+  ok");
    Path xor = project.resolve("target/generated-sources/nabla/org/example/nets/Xor.java");
    assertThat(Files.readString(xor)).contains("\npackage org.example.nets;\n").contains("double[] W1");
    assertThat(project.resolve("target/classes/org/example/nets/IrisForward.class")).exists();
  }
}
