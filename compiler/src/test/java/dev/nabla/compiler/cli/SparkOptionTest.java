package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nabla train --spark} where the nabla-spark module is not on the class path (as in the
 * plain CLI jar): a usage error saying how to get it, before any data is read or file written.
 * The training itself is tested in the spark module (SparkTrainCommandTest).
 */
class SparkOptionTest {
  @Test
  void withoutTheSparkModuleTheOptionSaysHowToGetIt(@TempDir Path dir) {
    Path params = dir.resolve("p.npz");
    Cli.Result r = Cli.run("train", Path.of("..", "samples", "models", "iris.nn"), "--data", dir.resolve("missing.csv"),
        "--spark", "local[2]", "-o", params);
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("--spark needs the nabla-spark module and Spark on the class path;"
        + " ./nabla adds them when it sees --spark (see docs/spark.md)");
    assertThat(r.out()).isEmpty();
    assertThat(params).doesNotExist();
  }
}
