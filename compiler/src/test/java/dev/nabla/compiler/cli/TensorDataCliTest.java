package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.io.Npz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs and params of rank 3 and 4 through the real command line: the data file's columns are
 * the input's elements in row-major order, train, predict and check run as for vectors.
 */
class TensorDataCliTest {
  static final String IRIS = TrainingCli.repo("samples/data/iris.csv");

  /** Iris's 4 features as an input [2, 2, 1], weighed by a param [3, 2, 2, 1] broadcast against it. */
  static final String MODEL =
      """
      model Iris4 {
        input x[2, 2, 1];
        target d[3];
        param W[3, 2, 2, 1];
        param b[3];
        z = sum(sum(sum(W * x, axis=-1), axis=-1), axis=-1) + b;
        output Y = softmax(z);
        output F = W * x;
        loss L = cross_entropy(Y, d);
      }
      """;

  @TempDir Path dir;

  @Test
  void aRankFourModelTrainsPredictsAndChecksFromFlatColumns() throws IOException {
    Path model = dir.resolve("iris4.nn");
    Files.writeString(model, MODEL);
    Path params = dir.resolve("iris4.npz");
    TrainingCli t = TrainingCli.run("train", model.toString(), "--data", IRIS, "--standardize",
        "--epochs", "30", "--batch", "16", "--lr", "0.02", "-o", params.toString());
    assertThat(t.exit()).as(t.toString()).isZero();
    assertThat(t.lines()).contains("model  Iris4: 15 params, classifier (accuracy of output Y)");
    assertThat(t.lastLine()).matches("test accuracy (0\\.9\\d\\d\\d|1\\.0000)");
    NdArray w = Npz.read(params).get("W");
    assertThat(w.shape()).containsExactly(3, 2, 2, 1);

    TrainingCli p = TrainingCli.run("predict", model.toString(), "--params", params.toString(), "--data", IRIS);
    assertThat(p.exit()).as(p.toString()).isZero();
    List<String> csv = p.lines();
    assertThat(csv.getFirst()).isEqualTo("Y_0,Y_1,Y_2,F_0,F_1,F_2,F_3,F_4,F_5,F_6,F_7,F_8,F_9,F_10,F_11,class");
    // Y = softmax(z) with z[c] = b[c] + the 4 elements of F = W * x in row c (row-major)
    NdArray b = Npz.read(params).get("b");
    String[] first = csv.get(1).split(",");
    double[] z = new double[3];
    double total = 0;
    for (int c = 0; c < 3; c++) {
      z[c] = b.getDouble(c);
      for (int k = 0; k < 4; k++) {
        z[c] += Double.parseDouble(first[3 + c * 4 + k]);
      }
      total += Math.exp(z[c]);
    }
    for (int c = 0; c < 3; c++) {
      assertThat(Double.parseDouble(first[c])).isCloseTo(Math.exp(z[c]) / total, org.assertj.core.data.Offset.offset(1e-5));
    }
    assertThat(first[15]).isEqualTo("0");

    TrainingCli c = TrainingCli.run("check", model.toString());
    assertThat(c.exit()).as(c.toString()).isZero();
    assertThat(c.lastLine()).isEqualTo("gradient check passed");
  }
}
