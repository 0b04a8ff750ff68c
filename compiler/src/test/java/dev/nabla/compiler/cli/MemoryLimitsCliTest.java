package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.io.Npz;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sizes past a Java array or the heap (issue 12, items 11 and 12): each command says so before
 * allocating, with exit code 1; never an int that wrapped (exit 70) or an OutOfMemoryError. The
 * sizes are far past any test machine's heap, so nothing large is ever allocated.
 */
class MemoryLimitsCliTest {
  @TempDir Path dir;

  static void refused(Cli.Result r, String... fragments) {
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).as(r.toString()).contains(fragments).doesNotContain("\tat ").doesNotContain("internal error");
  }

  @Test
  void benchOfABatchWhoseBuffersPassAJavaArray() {
    refused(Cli.run("bench", Cli.digits(dir), "--batch", "67108865"),
        "model Digits: a batch of 67108865 needs an array of 67108865 x ", "more than a Java array holds",
        "the largest batch that fits is ");
  }

  @Test
  void checkOfABatchPastTheHeap() {
    // The report's check --batch 100000000; two billion instances of a few values each (about 100 GB
    // as double) are past any test machine's heap, yet every single buffer fits in a Java array.
    Path tiny = Cli.write(dir, "tiny.nn", """
        model Tiny {
          input x;
          target d;
          param w;
          output y = w * x;
          loss L = (y - d) * (y - d);
        }
        """);
    refused(Cli.run("check", tiny, "--batch", "2000000000"),
        "model Tiny: a batch of 2000000000 needs ", "GB of double buffers, but the JVM's heap has only ", "-Xmx");
    refused(Cli.run("check", Cli.digits(dir), "--batch", "100000000"),
        "model Digits: a batch of 100000000 needs an array of 100000000 x 64 = 6400000000 elements");
  }

  @Test
  void checkOfConvolutionsWhoseScratchPassesTheHeap() {
    // Six 7x7 convolutions of a 2048x2048 image: the buffers of a batch of 1 take a few hundred
    // MB, but each convolution's im2col scratch (49 x 4M elements per matrix, 8 of them for the
    // kernel's adjoint) is GBs, about 100 GB in all: counted by the run's check, not an
    // OutOfMemoryError while the passes are made.
    StringBuilder nn = new StringBuilder("model Wide {\n  input x[1, 2048, 2048];\n  target d;\n");
    String previous = "x";
    for (int i = 1; i <= 6; i++) {
      nn.append("  param K").append(i).append("[1, 1, 7, 7];\n");
      nn.append("  h").append(i).append(" = conv2d(").append(previous).append(", K").append(i).append(", padding=3);\n");
      previous = "h" + i;
    }
    nn.append("  output y = sum(h6);\n  loss L = (y - d) * (y - d);\n}\n");
    refused(Cli.run("check", Cli.write(dir, "wide.nn", nn.toString()), "--batch", "1"),
        "model Wide: a batch of 1 needs ", "GB of double buffers, but the JVM's heap has only ", "no batch fits");
  }

  @Test
  void evalOfABatchWhoseInputPassesAJavaArray() {
    // 40,000 instances of a 65,536-value input: the batch size comes from the small input x.
    Path model = Cli.write(dir, "wide.nn", """
        model Wide {
          input x[1];
          input z[65536];
          target d;
          param w[65536];
          output y = sum(w * z) + sum(x);
          loss L = (y - d) * (y - d);
        }
        """);
    Path params = dir.resolve("P.npz");
    assertThat(Cli.run("init", model, "--seed", "1", "-o", params).code()).isZero();
    Path batch = dir.resolve("B.npz");
    Npz.write(batch, Map.of("x", NdArray.zeros(DType.F32, 40000, 1)));
    refused(Cli.run("eval", model, "--params", params, "--batch", batch),
        "model Wide: a batch of 40000 needs an array of 40000 x 65536 = 2621440000 elements");
  }

  @Test
  void initOfParamsPastTheHeap() {
    // 64 params of 2^28 doubles: 128 GB.
    StringBuilder nn = new StringBuilder("model Big {\n  input x[16384];\n  target d;\n");
    StringBuilder sum = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      nn.append("  param W").append(i).append("[16384, 16384];\n");
      sum.append(i == 0 ? "" : " + ").append("sum(W").append(i).append(" @ x)");
    }
    nn.append("  output y = ").append(sum).append(";\n  loss L = (y - d) * (y - d);\n}\n");
    refused(Cli.run("init", Cli.write(dir, "big.nn", nn.toString()), "--seed", "1", "--precision", "double",
        "-o", dir.resolve("P.npz")),
        "model Big's params (17179869184 double values): 128.0 GB needed, but the JVM's heap has only ");
    assertThat(dir.resolve("P.npz")).doesNotExist();
  }

  @Test
  void paramsFileWithAnEntryTheModelDoesNotHaveIsRefusedByName() {
    Path params = dir.resolve("P.npz");
    Path digits = Cli.digits(dir);
    assertThat(Cli.run("init", digits, "--seed", "1", "-o", params).code()).isZero();
    Map<String, NdArray> withJunk = new java.util.LinkedHashMap<>(Npz.read(params));
    withJunk.put("junk", NdArray.zeros(DType.F32, 3));
    Npz.write(params, withJunk);
    refused(Cli.run("eval", digits, "--params", params, "--batch", params),
        "P.npz: 'junk' is not a param of model Digits or its standardisation (it has W1, b1, W2, b2,"
            + " nabla.standardize.mean, nabla.standardize.std); nothing was read");
  }
}
