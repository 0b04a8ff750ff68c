package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.kernels.ParallelSwitch;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A recurrence's step hands its consecutive batch loops to the threads as one loop split by
 * instances ({@code RecurrenceCode}'s step loops), and that split gives the bits of one thread.
 * The cell below is LSTM-shaped (a [4H] pre-activation sliced into gates of H, so that values of
 * two sizes live in the step) but with relu, whose bits do not depend on the JIT tier, unlike the
 * SIMD sigmoid and tanh (RELIABILITY.md section 8: {@code ThreadCountIdentityTest} leaves the
 * LSTM sample out for that reason).
 */
class RecurrenceThreadsTest {
  private static final String CELL = """
      model Cell {
        dim T = 5; dim H = 8;
        input xs[T, 3];
        target d[4];
        param Wx[4 * H, 3] = xavier;  param Wh[4 * H, H] = xavier;  param b[4 * H];
        param V[4, H] = xavier;  param c2[4];
        for x in xs {
          state h[H] = 0;
          state c[H] = 0;
          z = Wx @ x + Wh @ h + b;
          i = relu(z[0:H]);  f = relu(z[H:2*H]);  g = relu(z[2*H:3*H]);  o = relu(z[3*H:]);
          c = 0.5 * f * c + i * g;
          h = o * relu(c) * 0.25;
        }
        output Y = softmax(V @ h + c2);
        loss L = cross_entropy(Y, d);
      }
      """;

  /** Large enough that every step's merged loop is split (its work is above the threshold). */
  private static final int BATCH = 4099;

  @Test
  void eachStepRunsConsecutiveLoopsAsOneSplitLoop() {
    List<JavaFile> files = CodeGenerator.generate(Compiled.of(CELL).derivation,
        new CodeGenerator.Options("p", Precision.FLOAT));
    for (JavaFile f : files) {
      String source = f.toString();
      Matcher loop = Pattern.compile("for \\(int t = [^\\n]*\\n(.*?)\\n    }\\n", Pattern.DOTALL).matcher(source);
      while (loop.find()) {
        String body = loop.group(1);
        assertThat(body).as("a step of %s", f.typeSpec().name()).doesNotContainPattern("BatchLoops\\.run\\([^\\n]*\\n\\s*BatchLoops\\.run\\(");
        // one split loop per step: in the forward, step t's rows of the input projection, the
        // product Wh @ h added onto them (Wh packed before the loop: PackedGemm), the gates, the
        // cell, the hidden state and the states' copies; in the backward, dz, Wh.T @ dz and the
        // rows of dz gathered for the weight gradients
        assertThat(Pattern.compile("BatchLoops\\.run\\(").matcher(body).results().count()).as(body).isEqualTo(1);
        assertThat(body).as(body).doesNotContain("Gemm.ab").contains("BatchLoops.run(");
      }
    }
  }

  @Test
  void theSplitStepGivesTheBitsOfOneThread() {
    for (Precision precision : Precision.values()) {
      Model model = ModelLoader.load(Compiled.of(CELL).derivation, precision);
      model.initialize(3);
      ModelRun run = model.newRun(BATCH);
      GeneratedModelTest.fill(run, model, 5);
      List<double[]> threaded = ThreadCountIdentityTest.step(run, model);
      List<double[]> single = new ArrayList<>();
      ParallelSwitch.singleThreaded(() -> single.addAll(ThreadCountIdentityTest.step(run, model)));
      assertThat(threaded).hasSameSizeAs(single);
      for (int i = 0; i < threaded.size(); i++) {
        assertThat(threaded.get(i)).as("result %d in %s (pool of %d threads vs 1)", i, precision, ParallelSwitch.threads())
            .containsExactly(single.get(i));
      }
    }
  }
}
