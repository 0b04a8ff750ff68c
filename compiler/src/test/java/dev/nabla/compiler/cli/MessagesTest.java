package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.io.Npz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, items 16, 18, 22 and 23: what the commands say, and that it says what is really wrong. */
class MessagesTest {
  static final String IRIS_MODEL = TrainingCli.repo("samples/models/iris.nn");
  static final String IRIS = TrainingCli.repo("samples/data/iris.csv");

  @TempDir Path dir;
  Path digits;

  @BeforeEach
  void setUp() {
    digits = Cli.digits(dir);
  }

  /** Item 22: a non-finite loss before any update is not blamed on the learning rate. */
  @Test
  void aNanLossInTheFirstStepBlamesTheDataNotTheLearningRate() throws IOException {
    Path data = Files.writeString(dir.resolve("huge.csv"), "3e38,3e38,3e38,3e38,0\n".repeat(10));
    TrainingCli r = TrainingCli.run("train", IRIS_MODEL, "--data", data.toString(), "-o", dir.resolve("p.npz").toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.diagnostics()).contains("in epoch 1, step 1 of 1; nothing was written. That is before any update, so the"
        + " learning rate is not the cause: the data or the initial params give a non-finite ")
        .doesNotContain("Try a smaller learning rate");
  }

  /** Item 22: R² of constant targets is undefined, and the last line says so. */
  @Test
  void constantTargetsHaveNoR2() throws IOException {
    Path model = Files.writeString(dir.resolve("r.nn"),
        "model R { input x[2]; target d[1]; param W[1, 2]; param b[1]; output y = W @ x + b; loss L = l2(y, d); }\n");
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      rows.append(i).append(',').append(i % 3).append(",5\n");
    }
    Path data = Files.writeString(dir.resolve("const.csv"), rows);
    TrainingCli r = TrainingCli.run("train", model.toString(), "--data", data.toString(), "--task", "regression",
        "--epochs", "2", "-o", dir.resolve("r.npz").toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.lastLine()).matches("test R2 nan \\(undefined: the targets are constant, so there is no variance to"
        + " explain; loss \\S+\\)");
  }

  /** Item 22: an empty batch is called empty. */
  @Test
  void anEmptyBatchIsCalledEmpty() {
    Path params = dir.resolve("P.npz");
    assertThat(Cli.run("init", digits, "-o", params).code()).isZero();
    Map<String, NdArray> batch = new LinkedHashMap<>();
    batch.put("x", NdArray.of(new double[0], 0, 64));
    batch.put("d", NdArray.of(new double[0], 0, 10));
    Path file = dir.resolve("B.npz");
    Npz.write(file, batch);
    Cli.Result r = Cli.run("eval", digits, "--params", params, "--batch", file);
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.diagnostics()).isEqualTo("nabla: " + file + ": the batch is empty: 'x' is [0, 64], with 0 instances on"
        + " its first axis\n");
  }

  /** Item 22: a hyper must be finite, as {@code --lr} must. */
  @Test
  void aHyperMustBeFinite() {
    for (String value : new String[] {"NaN", "Infinity", "-Infinity", "1e400", "x"}) {
      Cli.Result r = Cli.run("eval", digits, "--params", "P.npz", "--batch", "B.npz", "--hyper", "lambda=" + value);
      assertThat(r.code()).as(value + "\n" + r).isEqualTo(2);
      assertThat(r.err()).contains("--hyper lambda needs a finite number, not '" + value + "'");
    }
  }

  /** Item 22: {@code check --batch 0} is refused, not silently run with 1. */
  @Test
  void checkNeedsAPositiveBatch() {
    Cli.Result r = Cli.run("check", digits, "--batch", "0");
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).startsWith("nabla check: --batch must be at least 1, not 0\n");
  }

  /** Item 22: params holding NaN cannot predict (they gave class 0 for every row). */
  @Test
  void predictRefusesNanParams() throws IOException {
    Path params = dir.resolve("P.npz");
    assertThat(Cli.run("init", digits, "-o", params).code()).isZero();
    Map<String, NdArray> values = Npz.read(params);
    values.get("W2").setDouble(5, Double.NaN);
    Npz.write(params, values);
    Path data = Files.writeString(dir.resolve("D.csv"), "0,".repeat(63) + "1\n");
    Cli.Result r = Cli.run("predict", digits, "--params", params, "--data", data);
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.diagnostics()).isEqualTo("nabla: " + params + ": param 'W2' holds NaN at flat index 5; these params"
        + " cannot be used (retrain, or check the file)\n");
  }

  /** Item 22: model files and CSV files with CR-only line ends (old Mac) read as lines. */
  @Test
  void crOnlyLineEndsAreLineEnds() throws IOException {
    Path cr = Files.writeString(dir.resolve("cr.nn"), Cli.resource("digits.nn").replace('\n', '\r'));
    Cli.Result ok = Cli.run("compile", cr, "--check");
    assertThat(ok.code()).as(ok.toString()).isZero();
    Path bad = Files.writeString(dir.resolve("bad.nn"), Cli.resource("digits.nn").replace("W2 @ y1", "W2 @ z9")
        .replace('\n', '\r'));
    assertThat(Cli.run("compile", bad, "--check").err()).contains("bad.nn:14:13: error: undefined name 'z9'");

    Path csv = Files.writeString(dir.resolve("iris-cr.csv"), Files.readString(Path.of(IRIS)).replace('\n', '\r'));
    TrainingCli t = TrainingCli.run("train", IRIS_MODEL, "--data", csv.toString(), "--epochs", "1",
        "-o", dir.resolve("p.npz").toString());
    assertThat(t.exit()).as(t.toString()).isZero();
    assertThat(t.lines().getFirst()).contains(": 150 rows, 4 features");
  }

  /** Item 18: control characters from CSV headers, model files and file names are shown escaped. */
  @Test
  void controlCharactersAreEscapedInEverythingPrinted() throws IOException {
    Path data = Files.writeString(dir.resolve("evil.csv"), "a\u001b]0;owned\u0007,b,c,d,label\n"
        + Files.readString(Path.of(IRIS)).lines().skip(1).map(l -> l + "\n").reduce("", String::concat));
    TrainingCli t = TrainingCli.run("train", IRIS_MODEL, "--data", data.toString(), "--epochs", "1",
        "-o", dir.resolve("p.npz").toString());
    assertThat(t.exit()).as(t.toString()).isZero();
    assertThat(t.out()).contains("skipped the header line 'a\\x1b]0;owned\\x07,b,c,d,label'").doesNotContain("\u001b");

    Path model = Files.writeString(dir.resolve("evil.nn"), "model M { input x[2]; \u001b[2J }\n");
    Cli.Result m = Cli.run("compile", model, "--check");
    assertThat(m.code()).isEqualTo(1);
    assertThat(m.err()).contains("\\x1b").doesNotContain("\u001b");

    Cli.Result name = Cli.run("grad", dir.resolve("no\u001b[31mfile\r.nn"));
    assertThat(name.err()).contains("no\\x1b[31mfile\\r.nn").doesNotContain("\u001b").doesNotContain("\r");
  }

  /** Item 16: a long check shows progress on stderr (here every entry, as the interval is 0). */
  @Test
  void checkShowsProgress() {
    long saved = CheckCommand.progressInterval;
    CheckCommand.progressInterval = 0;
    try {
      Cli.Result r = Cli.run("check", digits);
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.diagnostics()).contains("nabla: checking W1: 1 of 2,410 entries (0%, ")
          .contains("nabla: checking b2: 2,409 of 2,410 entries (99%, ");
      assertThat(r.out()).endsWith("gradient check passed\n");
    } finally {
      CheckCommand.progressInterval = saved;
    }
    assertThat(Cli.run("check", digits).diagnostics()).isEmpty();   // a quick check prints no progress
  }

  /** Item 23: the commands that compute say which kernels they use, once, first; the others do not. */
  @Test
  void theKernelLineComesFromTheCommandLine() {
    Cli.Result check = Cli.run("check", digits);
    assertThat(check.err()).startsWith("nabla: using ");
    assertThat(check.err().lines().filter(l -> l.startsWith("nabla: using "))).hasSize(1);
    assertThat(Cli.run("grad", digits).err()).isEmpty();
    assertThat(Cli.run("init", digits, "-o", dir.resolve("p.npz")).err()).isEmpty();
  }
}
