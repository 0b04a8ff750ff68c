package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.io.Npz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that run the generated code: {@code check}, {@code init} and {@code eval}. */
class ModelCommandsTest {
  static final int B = 5;

  @TempDir Path dir;
  Path digits;

  @BeforeEach
  void setUp() {
    digits = Cli.digits(dir);
  }

  @Test
  void checkPassesOnTheDigitsModel() {
    Cli.Result r = Cli.run("check", digits, "--seed", "3");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.diagnostics()).isEmpty();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(5);
    for (int i = 0; i < 4; i++) {
      assertThat(lines.get(i)).startsWith(List.of("W1", "b1", "W2", "b2").get(i) + " ")
          .contains("worst relative error").endsWith("ok");
    }
    assertThat(lines.getLast()).isEqualTo("gradient check passed");
  }

  @Test
  void initWritesEveryParamWithItsShapeReproducibly() throws IOException {
    Path p1 = dir.resolve("P.npz");
    Path p2 = dir.resolve("P2.npz");
    Cli.Result r = Cli.run("init", digits, "--seed", "1", "-o", p1);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(Cli.run("init", digits, "--seed", "1", "-o", p2).code()).isZero();
    assertThat(Files.readAllBytes(p1)).isEqualTo(Files.readAllBytes(p2));

    Map<String, NdArray> params = Npz.read(p1);
    assertThat(params.keySet()).containsExactly("W1", "b1", "W2", "b2");
    assertThat(params.get("W1").shape()).containsExactly(32, 64);
    assertThat(params.get("b1").shape()).containsExactly(32);
    assertThat(params.get("W2").shape()).containsExactly(10, 32);
    assertThat(params.get("b2").shape()).containsExactly(10);
    assertThat(params.get("W1").dtype()).isEqualTo(DType.F32);
    assertThat(params.get("b1").toDoubles()).containsOnly(0.0);          // zeros
    assertThat(std(params.get("W1").toDoubles())).isCloseTo(Math.sqrt(2.0 / 64), within(0.03)); // he

    assertThat(Cli.run("init", digits, "--seed", "2", "-o", p2).code()).isZero();
    assertThat(Npz.read(p2).get("W1")).isNotEqualTo(params.get("W1"));
  }

  @Test
  void evalReadsInitsParamsAndWritesLossOutputsAndGradients() {
    Path params = dir.resolve("P.npz");
    assertThat(Cli.run("init", digits, "--seed", "1", "-o", params).code()).isZero();
    Path batch = writeBatch(dir.resolve("B.npz"), true, 64);
    Path out = dir.resolve("O.npz");

    Cli.Result r = Cli.run("eval", digits, "--params", params, "--batch", batch, "--out", out);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.diagnostics()).isEmpty();

    Map<String, NdArray> o = Npz.read(out);
    assertThat(o.keySet()).containsExactly("loss", "Y", "grad_W1", "grad_b1", "grad_W2", "grad_b2");
    assertThat(o.get("loss").shape()).isEmpty();
    assertThat(o.get("Y").shape()).containsExactly(B, 10);
    assertThat(o.get("grad_W1").shape()).containsExactly(32, 64);
    assertThat(o.get("grad_b1").shape()).containsExactly(32);
    assertThat(o.get("grad_W2").shape()).containsExactly(10, 32);
    assertThat(o.get("grad_b2").shape()).containsExactly(10);
    double loss = o.get("loss").getDouble(0);
    assertThat(r.out().strip()).startsWith("loss ");
    assertThat(Double.parseDouble(r.out().strip().substring(5))).isCloseTo(loss, within(1e-6));

    // the numbers are the model's: Y is a softmax per instance, the loss is the batch-mean cross
    // entropy plus the weight decay, and grad_b2 = mean over the batch of Y - d
    Map<String, NdArray> in = Npz.read(batch);
    double[] y = o.get("Y").toDoubles();
    double[] d = in.get("d").toDoubles();
    double ce = 0;
    double[] gradB2 = new double[10];
    for (int t = 0; t < B; t++) {
      double rowSum = 0;
      for (int j = 0; j < 10; j++) {
        double v = y[t * 10 + j];
        rowSum += v;
        ce -= d[t * 10 + j] * Math.log(v) / B;
        gradB2[j] += (v - d[t * 10 + j]) / B;
      }
      assertThat(rowSum).isCloseTo(1, within(1e-5));
    }
    double decay = 1e-4 * sumOfSquares(Npz.read(params).get("W1").toDoubles());
    assertThat(loss).isCloseTo(ce + decay, within(1e-4 * Math.max(1, loss)));
    double[] g = o.get("grad_b2").toDoubles();
    for (int j = 0; j < 10; j++) {
      assertThat(g[j]).as("grad_b2[" + j + "]").isCloseTo(gradB2[j], within(1e-5));
    }
  }

  @Test
  void evalInDoubleWithAHyper() {
    Path params = dir.resolve("P.npz");
    assertThat(Cli.run("init", digits, "--seed", "4", "-o", params).code()).isZero();
    Path batch = writeBatch(dir.resolve("B.npz"), true, 64);
    Path out = dir.resolve("O.npz");
    Cli.Result r = Cli.run("eval", digits, "--params", params, "--batch", batch, "--out", out,
        "--precision", "double", "--hyper", "lambda=0");
    assertThat(r.code()).as(r.toString()).isZero();
    Map<String, NdArray> o = Npz.read(out);
    assertThat(o.get("Y").dtype()).isEqualTo(DType.F64);
    // without weight decay the loss is the plain batch-mean cross entropy
    double[] y = o.get("Y").toDoubles();
    double[] d = Npz.read(batch).get("d").toDoubles();
    double ce = 0;
    for (int i = 0; i < y.length; i++) {
      ce -= d[i] * Math.log(y[i]) / B;
    }
    assertThat(o.get("loss").getDouble(0)).isCloseTo(ce, within(1e-12));

    assertThat(Cli.run("eval", digits, "--params", params, "--batch", batch, "--hyper", "mu=1").code()).isEqualTo(2);
    assertThat(Cli.run("eval", digits, "--params", params, "--batch", batch, "--hyper", "lambda=x").code()).isEqualTo(2);
  }

  @Test
  void evalWithABatchMissingAnEntryNamesTheFileAndTheEntry() {
    Path params = dir.resolve("P.npz");
    assertThat(Cli.run("init", digits, "--seed", "1", "-o", params).code()).isZero();
    Path batch = writeBatch(dir.resolve("B.npz"), false, 64);
    Path out = dir.resolve("O.npz");
    Cli.Result r = Cli.run("eval", digits, "--params", params, "--batch", batch, "--out", out);
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("B.npz").contains("'d'").contains("missing").doesNotContain("\tat ");
    assertThat(out).doesNotExist();
  }

  @Test
  void evalWithAWronglyShapedInputNamesIt() {
    Path params = dir.resolve("P.npz");
    assertThat(Cli.run("init", digits, "--seed", "1", "-o", params).code()).isZero();
    Path batch = writeBatch(dir.resolve("B.npz"), true, 63);
    Cli.Result r = Cli.run("eval", digits, "--params", params, "--batch", batch);
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("B.npz").contains("'x'").contains("[5, 63]").doesNotContain("\tat ");
  }

  @Test
  void evalWithMissingOrWrongParamsIsADataError() {
    Path batch = writeBatch(dir.resolve("B.npz"), true, 64);
    Cli.Result missing = Cli.run("eval", digits, "--params", dir.resolve("nope.npz"), "--batch", batch);
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("nope.npz").contains("no such file").doesNotContain("\tat ");

    // a batch is not a params file
    Cli.Result wrong = Cli.run("eval", digits, "--params", batch, "--batch", batch);
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.err()).contains("B.npz").contains("W1").doesNotContain("\tat ");
  }

  @Test
  void initIntoAnUnwritablePlaceIsAClearError() {
    Cli.Result r = Cli.run("init", digits, "--seed", "1", "-o", digits.resolve("P.npz"));
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("nabla: cannot write " + digits.resolve("P.npz") + ": " + digits + " is not a directory\n");
    assertThat(Cli.run("init", digits, "-o", dir.resolve("no/such/P.npz")).code()).isZero();   // created
  }

  @Test
  void aModelWithErrorsIsReportedByEveryCommand() {
    Path bad = Cli.write(dir, "bad.nn", Cli.resource("digits.nn").replace("W2 @ y1", "W2 @ z9"));
    for (List<Object> args : List.<List<Object>>of(
        List.of("check", bad),
        List.of("init", bad, "--seed", "1", "-o", dir.resolve("P.npz")),
        List.of("eval", bad, "--params", dir.resolve("P.npz"), "--batch", dir.resolve("B.npz")))) {
      Cli.Result r = Cli.run(args.toArray());
      assertThat(r.code()).as(args + "\n" + r).isEqualTo(1);
      assertThat(r.err()).contains("bad.nn:14:13: error: undefined name 'z9'").contains("1 error");
    }
    assertThat(dir.resolve("P.npz")).doesNotExist();
  }

  /** A batch of B instances: x uniform in [-1, 1] ([B, width]) and, if wanted, one-hot d ([B, 10]). */
  static Path writeBatch(Path file, boolean withTarget, int width) {
    SplittableRandom random = new SplittableRandom(7);
    double[] x = new double[B * width];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextDouble(-1, 1);
    }
    double[] d = new double[B * 10];
    for (int t = 0; t < B; t++) {
      d[t * 10 + random.nextInt(10)] = 1;
    }
    Map<String, NdArray> batch = new LinkedHashMap<>();
    batch.put("x", NdArray.of(x, B, width));
    if (withTarget) {
      batch.put("d", NdArray.of(d, B, 10));
    }
    Npz.write(file, batch);
    return file;
  }

  static double sumOfSquares(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return s;
  }

  static double std(double[] v) {
    double mean = 0;
    for (double x : v) {
      mean += x / v.length;
    }
    double var = 0;
    for (double x : v) {
      var += (x - mean) * (x - mean) / v.length;
    }
    return Math.sqrt(var);
  }
}
