package dev.nabla.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code nabla:generate} in a real build: the source root, packages from directories, and an edit-rebuild cycle. */
class GenerateIT {
  @BeforeAll
  static void staged() {
    MavenBuild.assumeStaged();
  }

  @Test
  void anEditedModelIsPickedUpByTheNextPackageAndARemovedOneIsDeleted() throws Exception {
    Path project = MavenBuild.project("models");
    Path generated = project.resolve("target/generated-sources/nabla/com/example/ml");
    Path xorSource = generated.resolve("Xor.java");
    Path xorClass = project.resolve("target/classes/com/example/ml/Xor.class");
    Path gateSource = generated.resolve("extra/Gate.java");

    // 1. A first build generates both models, each in the package of its directory, and compiles
    //    them with App, which uses them.
    MavenBuild.Result first = MavenBuild.run(project, "package");
    assertThat(first.succeeded()).as(first.log()).isTrue();
    assertThat(first.log()).contains("Nabla: 2 model files in ").contains(": 2 generated, 0 up to date");
    assertThat(Files.readString(xorSource)).contains("\npackage com.example.ml;\n").contains("xor.nn");
    assertThat(Files.readString(gateSource)).contains("\npackage com.example.ml.extra;\n");
    assertThat(project.resolve("target/classes/com/example/App.class")).exists();
    assertThat(project.resolve("target/models-it-1.0.jar")).exists();
    assertThat(xorClass).exists();

    // 2. Nothing changed: nothing is generated or rewritten.
    FileTime written = Files.getLastModifiedTime(xorSource);
    MavenBuild.Result again = MavenBuild.run(project, "package");
    assertThat(again.succeeded()).as(again.log()).isTrue();
    assertThat(again.log()).contains(": 0 generated, 2 up to date");
    assertThat(Files.getLastModifiedTime(xorSource)).isEqualTo(written);

    // 3. An edited model (a wider hidden layer) is generated again and compiled by the same
    //    `mvn package`, even within the second of the last build.
    byte[] oldClass = Files.readAllBytes(xorClass);
    Path xor = project.resolve("src/main/nabla/com/example/ml/xor.nn");
    Files.writeString(xor, Files.readString(xor).replace("W1[2, 2]", "W1[3, 2]").replace("b1[2]", "b1[3]")
        .replace("W2[1, 2]", "W2[1, 3]"));
    MavenBuild.Result edited = MavenBuild.run(project, "package");
    assertThat(edited.succeeded()).as(edited.log()).isTrue();
    assertThat(edited.log()).contains(": 1 generated, 1 up to date");
    assertThat(Files.readString(xorSource)).contains("[3, 2]");
    assertThat(Files.readAllBytes(xorClass)).isNotEqualTo(oldClass);

    // 4. A deleted model's sources go, and so do its classes.
    Files.delete(project.resolve("src/main/nabla/com/example/ml/extra/gate.nn"));
    MavenBuild.Result removed = MavenBuild.run(project, "package");
    assertThat(removed.succeeded()).as(removed.log()).isTrue();
    assertThat(removed.log()).contains("Nabla: 1 model file in ").contains("sources of 1 removed model file deleted");
    assertThat(gateSource).doesNotExist();
    assertThat(project.resolve("target/classes/com/example/ml/extra/Gate.class")).doesNotExist();
  }
}
