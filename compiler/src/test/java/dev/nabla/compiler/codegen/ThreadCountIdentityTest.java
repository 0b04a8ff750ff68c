package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.kernels.BatchLoops;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.kernels.ParallelSwitch;
import dev.nabla.runtime.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A batch large enough that the batch loops (and the products) are split across the thread pool
 * gives bit-for-bit the loss, outputs and gradients of the same step run on one thread. Every
 * sample model, in float; digits in double too. The LSTM (8 steps of 4 gates through the SIMD
 * tanh and sigmoid kernels) was left out while those kernels' bits depended on the JIT tier
 * (RELIABILITY.md section 8): its first, partly interpreted run differed from the compiled one.
 */
class ThreadCountIdentityTest {
  /**
   * Instances per batch: the loops of 16 or more operations per instance cross the split
   * threshold, so all but the smallest samples' loops are split (checked once by making the
   * pool's second part skip its range: 8 of the 11 cases then fail).
   */
  static final int BATCH = 8209;

  static Stream<Arguments> models() throws IOException {
    List<Arguments> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("..", "samples", "models"))) {
      files.filter(f -> f.toString().endsWith(".nn")).sorted()
          .forEach(f -> all.add(Arguments.of(f.getFileName().toString(), Precision.FLOAT)));
    }
    all.add(Arguments.of("digits.nn", Precision.DOUBLE));
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("models")
  void oneThreadAndThePoolGiveTheSameBits(String file, Precision precision) throws IOException {
    assertThat((long) BATCH * 16).isGreaterThanOrEqualTo(BatchLoops.PARALLEL_MIN_WORK);
    String source = Files.readString(Path.of("..", "samples", "models", file));
    Model model = ModelLoader.load(Compiled.of(source).derivation, precision);
    model.initialize(7);
    ModelRun run = model.newRun(BATCH);
    GeneratedModelTest.fill(run, model, 11);

    // The SIMD exp gives other bits before C2 has compiled a kernel (RELIABILITY.md section 8): a
    // kernel that turns hot between the two runs makes them differ where no split does. A split
    // that changes results does so in every attempt; a tier change happens once.
    for (int attempt = 1; ; attempt++) {
      List<double[]> threaded = step(run, model);
      List<double[]> single = new ArrayList<>();
      ParallelSwitch.singleThreaded(() -> single.addAll(step(run, model)));
      assertThat(threaded).hasSameSizeAs(single);
      if (attempt == ATTEMPTS || same(threaded, single)) {
        for (int i = 0; i < threaded.size(); i++) {
          assertThat(threaded.get(i)).as("result %d of %s (pool of %d threads vs 1)", i, file, ParallelSwitch.threads())
              .containsExactly(single.get(i));
        }
        return;
      }
    }
  }

  /** Steps compared before a difference counts (see the test). */
  private static final int ATTEMPTS = 4;

  private static boolean same(List<double[]> a, List<double[]> b) {
    for (int i = 0; i < a.size(); i++) {
      if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** The loss, every output and every gradient of one forward and backward. */
  static List<double[]> step(ModelRun run, Model model) {
    List<double[]> results = new ArrayList<>();
    results.add(new double[] {run.forward()});
    run.backward();
    for (TensorSpec out : model.outputs()) {
      results.add(values(run.output(out.name())));
    }
    for (TensorSpec p : model.params()) {
      results.add(values(run.gradient(p.name())));
    }
    for (String g : model.gradInputs()) {
      results.add(values(run.gradient(g)));
    }
    return results;
  }

  private static double[] values(NdArray a) {
    double[] v = new double[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.getDouble(i);
    }
    return v;
  }
}
