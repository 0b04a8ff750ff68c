package dev.nabla.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.compiler.cli.Main;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.io.Npz;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nabla train FILE.nn --data DATA --spark local[2]} with the module on the class path (as
 * {@code ./nabla} runs it): the model compiled in memory reaches the executors as a jar; with
 * full-batch steps the progress, the files and the last line are those of {@code nabla train}.
 */
class SparkTrainCommandTest {
  private static final Path MODEL = Path.of("..", "samples", "models", "iris.nn");
  private static final Path DATA = Path.of("..", "samples", "data", "iris.csv");

  @Test
  void sparkTrainingPrintsAndWritesWhatSingleMachineTrainingDoes(@TempDir Path dir) throws Exception {
    String[] common = {"train", MODEL.toString(), "--data", DATA.toString(), "--standardize", "--epochs", "4",
        "--batch", "500", "--optimizer", "momentum", "--lr", "0.5", "--seed", "3"};
    String[] single = run(common, "-o", dir.resolve("single.npz").toString());
    String[] spark = run(common, "-o", dir.resolve("spark.npz").toString(), "--spark", "local[2]");

    List<String> s = lines(single[0]);
    List<String> d = lines(spark[0]);
    assertThat(d.stream().filter(l -> l.startsWith("spark  ")).toList()).singleElement().asString()
        .matches("spark  local\\[2\\]( \\(the running application\\))?: 2 cores, application .*");
    List<String> withoutSpark = d.stream().filter(l -> !l.startsWith("spark  ")).toList();
    assertThat(withoutSpark).hasSameSizeAs(s);
    for (int i = 0; i < s.size(); i++) {
      assertThat(withoutSpark.get(i)).isEqualTo(s.get(i).replace("single", "spark"));
    }
    assertThat(d.getLast()).startsWith("test accuracy ");
    assertThat(dir.resolve("spark.png")).isNotEmptyFile();
    assertThat(Npz.read(dir.resolve("spark.npz"))).containsKeys("nabla.standardize.mean", "nabla.standardize.std");
    assertSameParams(dir.resolve("single.npz"), dir.resolve("spark.npz"));
  }

  @Test
  void aBadMasterIsAMessageNotAStackTrace(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "train", MODEL.toString(), "--data",
        DATA.toString(), "--epochs", "1", "-o", dir.resolve("p.npz").toString(), "--spark", "nowhere[2]");
    // Spark refuses the URL; or, when another test's application runs in this JVM, the session refuses to join it
    assertThat(code).isEqualTo(1);
    assertThat(err.toString().replaceAll("(?m)^nabla: using .*\\R", ""))   // without the kernels' line
        .startsWith("nabla: cannot start Spark at nowhere[2]: ").doesNotContain("\tat ");
    assertThat(out.toString()).doesNotContain("epoch 1/1");
    assertThat(dir.resolve("p.npz")).doesNotExist();
  }

  @Test
  void dataTheExecutorsReadTrainsAsDataReadHere(@TempDir Path dir) throws Exception {
    String here = DATA.toString();
    String uri = DATA.toAbsolutePath().normalize().toUri().toString();
    assertThat(uri).startsWith("file:///");
    String[] common = {"train", MODEL.toString(), "--epochs", "3", "--batch", "500", "--optimizer", "sgd",
        "--lr", "0.1", "--seed", "5", "--spark", "local[2]"};
    String[] driver = run(common, "--data", here, "--test", here, "-o", dir.resolve("driver.npz").toString());
    String[] executors = run(common, "--data", uri, "--test", uri, "-o", dir.resolve("executors.npz").toString());

    List<String> e = lines(executors[0]);
    assertThat(e).contains("data   " + uri + ": 150 rows, read by the executors; test data " + uri
        + ", read by the executors");
    List<String> d = lines(driver[0]);
    assertThat(e.stream().filter(l -> l.startsWith("epoch ")).count())
        .isEqualTo(d.stream().filter(l -> l.startsWith("epoch ")).count()).isEqualTo(3);
    assertThat(e.getLast()).startsWith("test accuracy ");
    assertThat(Double.parseDouble(e.getLast().substring("test accuracy ".length())))
        .isCloseTo(Double.parseDouble(d.getLast().substring("test accuracy ".length())), within(1e-4));
    assertThat(dir.resolve("executors.png")).isNotEmptyFile();
    assertSameParams(dir.resolve("driver.npz"), dir.resolve("executors.npz"));
  }

  @Test
  void aMissingUriIsAMessageAndWhatExecutorDataCannotDoIsAUsageError(@TempDir Path dir) throws Exception {
    String missing = dir.resolve("nothing.csv").toUri().toString();
    String params = dir.resolve("p.npz").toString();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "train", MODEL.toString(), "--data",
        missing, "--epochs", "1", "-o", params, "--spark", "local[2]");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString().replaceAll("(?m)^nabla: using .*\\R", ""))
        .startsWith("nabla: cannot read the training data " + missing + ": ").doesNotContain("\tat ");
    assertThat(out.toString()).doesNotContain("epoch 1/1");
    assertThat(dir.resolve("p.npz")).doesNotExist();

    for (String[] usage : List.of(new String[] {"--standardize", "--spark", "local[2]"}, new String[] {},
        new String[] {"--test-split", "0.2", "--spark", "local[2]"})) {
      StringWriter e = new StringWriter();
      String[] args = {"train", MODEL.toString(), "--data", DATA.toAbsolutePath().toUri().toString(), "-o", params};
      String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(usage))
          .toArray(String[]::new);
      assertThat(Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(e, true), all))
          .as(e.toString()).isEqualTo(2);
      assertThat(e.toString()).containsAnyOf("--standardize is not supported", "it needs --spark MASTER",
          "--test-split needs data on this machine").doesNotContain("\tat ");
    }
    assertThat(dir.resolve("p.npz")).doesNotExist();
  }

  private static void assertSameParams(Path first, Path second) throws Exception {
    Map<String, NdArray> a = Npz.read(first);
    Map<String, NdArray> b = Npz.read(second);
    assertThat(b.keySet()).isEqualTo(a.keySet());
    for (String name : a.keySet()) {
      for (int i = 0; i < a.get(name).size(); i++) {
        assertThat(b.get(name).getDouble(i)).as(name).isCloseTo(a.get(name).getDouble(i), within(1e-5));
      }
    }
  }

  private static String[] run(String[] common, String... more) {
    String[] args = new String[common.length + more.length];
    System.arraycopy(common, 0, args, 0, common.length);
    System.arraycopy(more, 0, args, common.length, more.length);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    assertThat(code).as(out + "\n" + err).isZero();
    return new String[] {out.toString(), err.toString()};
  }

  private static List<String> lines(String text) {
    return text.lines().toList();
  }
}
