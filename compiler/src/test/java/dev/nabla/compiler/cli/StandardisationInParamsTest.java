package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.io.Npz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 7: the params and their standardisation are one file, so they cannot come from
 * two runs; an older version's separate {@code P.standardize.npz} is used only when it can belong
 * to the params.
 */
class StandardisationInParamsTest {
  static final String IRIS_MODEL = TrainingCli.repo("samples/models/iris.nn");
  static final String IRIS = TrainingCli.repo("samples/data/iris.csv");

  @TempDir Path dir;

  private TrainingCli train(Path params, String... more) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", IRIS_MODEL, "--data", IRIS,
        "--epochs", "3", "--batch", "16", "-o", params.toString()));
    args.addAll(java.util.List.of(more));
    return TrainingCli.run(args.toArray(String[]::new));
  }

  private TrainingCli predict(Path params) {
    return TrainingCli.run("predict", IRIS_MODEL, "--params", params.toString(), "--data", IRIS);
  }

  @Test
  void theStandardisationIsStoredInTheParamsFile() {
    Path params = dir.resolve("p.npz");
    TrainingCli t = train(params, "--standardize");
    assertThat(t.exit()).as(t.toString()).isZero();
    assertThat(Npz.read(params).keySet()).containsExactly("W", "b", "nabla.standardize.mean", "nabla.standardize.std");
    assertThat(dir.resolve("p.standardize.npz")).doesNotExist();
    assertThat(t.out()).contains("wrote  " + params + " (epoch 3) with the standardisation and the curves ");
    TrainingCli p = predict(params);
    assertThat(p.exit()).as(p.toString()).isZero();
    assertThat(p.diagnostics()).startsWith("nabla: standardising the features with the mean and std stored in " + params);

    // without --standardize the file holds the params alone, and predict standardises nothing
    TrainingCli plain = train(params);
    assertThat(plain.exit()).isZero();
    assertThat(Npz.read(params).keySet()).containsExactly("W", "b");
    assertThat(predict(params).diagnostics()).doesNotContain("standardising");
  }

  /** A separate file left by an older version, written after its params (as that version did), is still used. */
  @Test
  void anOlderVersionsSeparateFileIsStillRead() throws IOException {
    Path params = dir.resolve("p.npz");
    assertThat(train(params).exit()).isZero();
    Path sidecar = legacySidecar(params);
    Files.setLastModifiedTime(sidecar, FileTime.fromMillis(Files.getLastModifiedTime(params).toMillis() + 1000));
    TrainingCli p = predict(params);
    assertThat(p.exit()).as(p.toString()).isZero();
    assertThat(p.diagnostics()).startsWith("nabla: standardising the features with " + sidecar
        + " (an older version's separate file)");
  }

  /**
   * A separate file older than the params belongs to another run (the params were rewritten after
   * it, e.g. by a run without --standardize whose removal of it failed): ignored, with a warning;
   * and a new run removes it.
   */
  @Test
  void aStaleSeparateFileIsIgnoredAndRemoved() throws IOException {
    Path params = dir.resolve("p.npz");
    assertThat(train(params).exit()).isZero();
    TrainingCli before = predict(params);
    Path sidecar = legacySidecar(params);
    Files.setLastModifiedTime(sidecar, FileTime.fromMillis(Files.getLastModifiedTime(params).toMillis() - 1000));
    TrainingCli p = predict(params);
    assertThat(p.exit()).as(p.toString()).isZero();
    assertThat(p.diagnostics()).startsWith("nabla: warning: ignoring " + sidecar + ": it is older than " + params
        + ", so it belongs to another training run");
    assertThat(p.out()).isEqualTo(before.out());

    assertThat(train(params, "--standardize").exit()).isZero();
    assertThat(sidecar).doesNotExist();
  }

  /** A standardisation that would change every prediction: mean 100 for every feature. */
  private static Path legacySidecar(Path params) {
    Map<String, NdArray> arrays = new LinkedHashMap<>();
    arrays.put("mean", NdArray.of(new double[] {100, 100, 100, 100}, 4));
    arrays.put("std", NdArray.of(new double[] {1, 1, 1, 1}, 4));
    Path sidecar = dir(params).resolve("p.standardize.npz");
    Npz.write(sidecar, arrays);
    return sidecar;
  }

  private static Path dir(Path params) {
    return params.getParent();
  }
}
