package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.io.Npz;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nabla train} and {@code nabla predict} end to end through the real command line. */
class TrainPredictTest {
  static final String IRIS_MODEL = TrainingCli.repo("samples/models/iris.nn");
  static final String IRIS = TrainingCli.repo("samples/data/iris.csv");

  @TempDir Path dir;

  TrainingCli trainIris(Path params, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("train", IRIS_MODEL, "--data", IRIS, "--standardize",
        "--epochs", "40", "--batch", "16", "--lr", "0.02", "-o", params.toString()));
    args.addAll(List.of(more));
    return TrainingCli.run(args.toArray(String[]::new));
  }

  @Test
  void trainWritesParamsStandardisationAndCurvesThenPredictUsesThem() throws IOException {
    Path params = dir.resolve("out/iris.npz");
    TrainingCli t = trainIris(params);
    assertThat(t.exit()).as(t.toString()).isZero();
    assertThat(t.diagnostics()).isEmpty();
    List<String> lines = t.lines();
    assertThat(lines.getFirst()).isEqualTo("data   " + IRIS
        + ": 150 rows, 4 features, class labels 0..2 as one-hot targets; skipped the header line '150,4,setosa,versicolor,virginica'");
    assertThat(lines).contains("split  120 rows for training, 30 for testing (--test-split 0.2, seed 1)",
        "model  Iris: 15 params, classifier (accuracy of output Y)",
        "train  adam lr 0.02, batch 16, 40 epochs, seed 1");
    assertThat(lines.stream().filter(l -> l.startsWith("epoch ")).toList()).hasSize(40)
        .allMatch(l -> l.matches("epoch +\\d+/40  loss \\d\\.\\d{4}  train acc \\d\\.\\d{4}  test loss \\d\\.\\d{4}  test acc \\d\\.\\d{4}"));
    assertThat(t.lastLine()).matches("test accuracy (0\\.9[3-9]\\d\\d|1\\.0000)");

    Map<String, NdArray> saved = Npz.read(params);
    assertThat(saved.keySet()).containsExactly("W", "b", "nabla.standardize.mean", "nabla.standardize.std");
    assertThat(saved.get("W").shape()).containsExactly(3, 4);
    byte[] png = Files.readAllBytes(dir.resolve("out/iris.png"));
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    assertThat(dir.resolve("out/iris.standardize.npz")).doesNotExist();
    assertThat(lines.get(lines.size() - 2)).startsWith("wrote  " + params + " (epoch ");

    Path predictions = dir.resolve("pred/iris.csv");
    TrainingCli p = TrainingCli.run("predict", IRIS_MODEL, "--params", params.toString(), "--data", IRIS,
        "-o", predictions.toString());
    assertThat(p.exit()).as(p.toString()).isZero();
    List<String> csv = Files.readAllLines(predictions);
    assertThat(csv.getFirst()).isEqualTo("Y_0,Y_1,Y_2,class");
    assertThat(csv).hasSize(151);
    assertThat(csv.get(1)).matches("[^,]+,[^,]+,[^,]+,0");     // the first iris is a setosa
    assertThat(p.out().strip()).matches("accuracy 0\\.9\\d{3}");
    assertThat(p.err()).contains("standardising the features with the mean and std stored in " + params);
  }

  @Test
  void predictWithoutOutputWritesCsvToStdoutAndTheAccuracyToStderr() throws IOException {
    Path params = dir.resolve("iris.npz");
    assertThat(trainIris(params).exit()).isZero();
    Path features = dir.resolve("features.csv");
    Files.writeString(features, "5.1,3.5,1.4,0.2\n6.3,3.3,6.0,2.5\n");
    TrainingCli p = TrainingCli.run("predict", IRIS_MODEL, "--params", params.toString(), "--data", features.toString());
    assertThat(p.exit()).as(p.toString()).isZero();
    assertThat(p.lines()).hasSize(3);
    assertThat(p.lines().get(1)).endsWith(",0");
    assertThat(p.lines().get(2)).endsWith(",2");
    assertThat(p.err()).doesNotContain("accuracy");

    TrainingCli withTargets = TrainingCli.run("predict", IRIS_MODEL, "--params", params.toString(), "--data", IRIS);
    assertThat(withTargets.lines()).hasSize(151);
    assertThat(withTargets.err()).containsPattern("accuracy 0\\.9\\d{3}");
  }

  @Test
  void oneSeedGivesIdenticalParamsAndOutput() throws IOException {
    TrainingCli a = trainIris(dir.resolve("a.npz"), "--seed", "7");
    TrainingCli b = trainIris(dir.resolve("b.npz"), "--seed", "7");
    TrainingCli c = trainIris(dir.resolve("c.npz"), "--seed", "8");
    assertThat(Files.readAllBytes(dir.resolve("a.npz"))).isEqualTo(Files.readAllBytes(dir.resolve("b.npz")));
    assertThat(Files.readAllBytes(dir.resolve("a.npz"))).isNotEqualTo(Files.readAllBytes(dir.resolve("c.npz")));
    assertThat(a.out().replace("a.npz", "X").replace("a.standardize", "X").replace("a.png", "X"))
        .isEqualTo(b.out().replace("b.npz", "X").replace("b.standardize", "X").replace("b.png", "X"));
    assertThat(c.lastLine()).startsWith("test accuracy");
  }

  @Test
  void aBadRowIsReportedWithFileAndLineAndNothingIsWritten() throws IOException {
    Path data = dir.resolve("broken.csv");
    Files.writeString(data, "a,b,c,d,label\n5.1,3.5,1.4,0.2,0\n4.9,3.0,x,0.2,0\n");
    Path params = dir.resolve("p.npz");
    TrainingCli r = TrainingCli.run("train", IRIS_MODEL, "--data", data.toString(), "-o", params.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.diagnostics()).isEqualTo("nabla: " + data + ":3: column 3 is 'x', not a number\n");
    assertThat(params).doesNotExist();
  }

  @Test
  void dataOfTheWrongWidthSaysWhatTheModelNeeds() {
    TrainingCli r = TrainingCli.run("train", TrainingCli.repo("samples/models/digits.nn"), "--data", IRIS,
        "-o", dir.resolve("p.npz").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.diagnostics()).isEqualTo("nabla: " + IRIS + ":2: 5 columns, but model Digits (input x[64]; target d[10]) needs "
        + "64 features then 10 target values (74 columns), or 64 features then a class label 0..9 (65 columns)\n");
  }

  @Test
  void badOptionsAreUsageErrors() {
    String p = dir.resolve("p.npz").toString();
    for (String[] bad : new String[][] {
        {"--optimizer", "rmsprop"}, {"--test-split", "1.5"}, {"--test-split", "0.1", "--test", IRIS},
        {"--epochs", "0"}, {"--lr", "-1"}, {"--task", "ranking"}}) {
      List<String> args = new java.util.ArrayList<>(List.of("train", IRIS_MODEL, "--data", IRIS, "-o", p));
      args.addAll(List.of(bad));
      TrainingCli r = TrainingCli.run(args.toArray(String[]::new));
      assertThat(r.exit()).as(String.join(" ", bad) + "\n" + r).isEqualTo(2);
    }
  }

  @Test
  void aDivergingLossStopsWithEpochStepAndAdviceAndKeepsTheOldParams() throws IOException {
    Path params = dir.resolve("diabetes.npz");
    Files.write(params, new byte[] {1, 2, 3});
    TrainingCli r = TrainingCli.run("train", TrainingCli.repo("samples/models/regression.nn"),
        "--data", TrainingCli.repo("samples/data/diabetes_data_raw.csv.gz"),
        "--target-file", TrainingCli.repo("samples/data/diabetes_target.csv.gz"),
        "--optimizer", "sgd", "--lr", "1", "-o", params.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.diagnostics()).matches("(?s)nabla: training stopped: the (loss|gradient norm) became (NaN|Infinity) in epoch 1, "
        + "step \\d+ of 12; nothing was written\\. Try a smaller learning rate \\(--lr 0\\.1; it was 1\\.0\\), "
        + "--standardize or --clip 1\\.\n");
    assertThat(Files.readAllBytes(params)).containsExactly(1, 2, 3);
  }

  @Test
  void aSeparateTestFileAndNoTestPart() throws IOException {
    Path params = dir.resolve("iris.npz");
    TrainingCli r = trainIris(params, "--test", IRIS);
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("test   " + IRIS + ": 150 rows");
    TrainingCli none = trainIris(params, "--test-split", "0");
    assertThat(none.lastLine()).matches("train accuracy \\d\\.\\d{4}");
  }

  @Test
  void anIdxDirectoryTrainsOnItsTrainPairAndTestsOnT10k() throws IOException {
    // 4 "images" of 2x2: class 0 is dark on the left, class 1 dark on the right
    byte[] left = {(byte) 255, 0, (byte) 255, 0};
    byte[] right = {0, (byte) 255, 0, (byte) 255};
    for (String prefix : new String[] {"train", "t10k"}) {
      ByteArrayOutputStream pixels = new ByteArrayOutputStream();
      byte[] labels = new byte[40];
      for (int i = 0; i < 40; i++) {
        pixels.write(i % 2 == 0 ? left : right);
        labels[i] = (byte) (i % 2);
      }
      Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), idx(new int[] {40, 2, 2}, pixels.toByteArray()));
      Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), idx(new int[] {40}, labels));
    }
    Path model = dir.resolve("tiny.nn");
    Files.writeString(model, """
        model Tiny { input x[4]; target d[2]; param W[2, 4] = xavier; param b[2];
          output Y = softmax(W @ x + b); loss L = cross_entropy(Y, d); }
        """);
    TrainingCli r = TrainingCli.run("train", model.toString(), "--data", dir.toString(), "--epochs", "20", "--lr", "0.1",
        "-o", dir.resolve("tiny.npz").toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("test   " + dir.resolve("t10k-images-idx3-ubyte") + " + ");
    assertThat(r.lastLine()).isEqualTo("test accuracy 1.0000");
  }

  static byte[] idx(int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {0, 0, 8, (byte) dims.length});
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(data);
    return bytes.toByteArray();
  }

  /**
   * Ctrl-C (here SIGTERM, which runs the same shutdown hook) stops training after the running
   * step; the params of the best finished epoch and the last line are still written.
   */
  @Test
  void interruptingWritesTheBestParams() throws Exception {
    Path params = dir.resolve("digits.npz");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train",
        TrainingCli.repo("samples/models/digits.nn"), "--data", TrainingCli.repo("samples/data/digits.csv.gz"),
        "--epochs", "100000", "-o", params.toString())
        .redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null) {
      out.append(line).append('\n');
      if (line.startsWith("epoch      2/100000")) {
        p.toHandle().destroy();                        // SIGTERM: the JVM runs its shutdown hooks
      }
    }
    int code = p.waitFor();
    String text = out.toString();
    assertThat(code).as(text).isIn(130, 143);
    assertThat(text).containsPattern("interrupted in epoch \\d+ after \\d+ steps; keeping the params of epoch \\d+");
    assertThat(text.strip().lines().toList().getLast()).matches("test accuracy \\d\\.\\d{4}");
    assertThat(Npz.read(params).keySet()).containsExactly("W1", "b1", "W2", "b2");
  }

  /**
   * A model without targets (its loss compares each step's prediction with the next input, as a
   * language model's does) is measured by its loss on the test part: a finite number, not NaN.
   */
  @Test
  void aModelWithoutTargetsReportsItsTestLoss() throws IOException {
    Path model = dir.resolve("next.nn");
    Files.writeString(model, """
        model Next {
          input w[3, 2];
          param W[2, 2] = xavier;
          output P = softmax(w[0:2] @ W, axis=-1);
          loss L = cross_entropy(P, w[1:]);
        }
        """);
    Path data = dir.resolve("next.csv");
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      rows.append(i % 2 == 0 ? "1,0,0,1,1,0\n" : "0,1,1,0,0,1\n");
    }
    Files.writeString(data, rows);
    TrainingCli t = TrainingCli.run("train", model.toString(), "--data", data.toString(), "--epochs", "3",
        "--lr", "0.1", "-o", dir.resolve("next.npz").toString());
    assertThat(t.exit()).as(t.toString()).isZero();
    assertThat(t.lines()).contains("model  Next: 4 params, measured by its loss (no output has the targets' width)");
    assertThat(t.lines().stream().filter(l -> l.startsWith("epoch ")).toList()).hasSize(3)
        .allMatch(l -> l.matches("epoch \\d/3  loss \\d\\.\\d{4}  test loss \\d\\.\\d{4}"));
    assertThat(t.lastLine()).matches("test loss \\d\\.\\d{4}");
  }
}
