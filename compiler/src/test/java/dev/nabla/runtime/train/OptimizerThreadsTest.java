package dev.nabla.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.compiler.codegen.ModelLoader;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.DType;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import dev.nabla.runtime.kernels.ParallelSwitch;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The optimizer's gradient norm and updates, split across the thread pool (params large enough:
 * W has 133,120 values, 17 chunks of the norm's sum), give the same bits as on one thread, for
 * every rule and both precisions, with clipping on; the norm is the plain sum's within rounding;
 * and a split step allocates nothing.
 */
class OptimizerThreadsTest {
  private static final String SOURCE = """
      model Wide {
        input x[512];
        target d[10];
        param W[260, 512] = he;
        param b[260] = zeros;
        param V[10, 260] = he;
        param c[10] = zeros;
        output y = V @ relu(W @ x + b) + c;
        loss L = l2(y, d);
      }
      """;

  @Test
  void oneThreadAndThePoolGiveTheSameBits() {
    assertThat(ParallelSwitch.threads()).as("a pool to split across").isGreaterThan(1);
    for (Precision precision : Precision.values()) {
      Model threaded = model(precision);
      Model single = model(precision);
      for (Optimizer.Kind kind : Optimizer.Kind.values()) {
        threaded.initialize(5);
        single.initialize(5);
        Optimizer a = Optimizer.of(kind, threaded, 0.01).clipNorm(1);
        Optimizer b = Optimizer.of(kind, single, 0.01).clipNorm(1);
        for (int step = 0; step < 3; step++) {
          NdArray[] grads = gradients(threaded, step);
          double normThreaded = a.step(grads);
          double[] normSingle = new double[1];
          ParallelSwitch.singleThreaded(() -> normSingle[0] = b.step(grads));
          assertThat(normThreaded).as("%s %s step %d: norm", kind, precision, step).isEqualTo(normSingle[0]);
          assertThat(normThreaded).isCloseTo(Math.sqrt(plainSumOfSquares(grads)), within(1e-12 * normThreaded));
          assertThat(normThreaded).as("clipping is on").isGreaterThan(1);
          for (TensorSpec p : threaded.params()) {
            assertThat(values(threaded.param(p.name())))
                .as("%s %s step %d: param %s", kind, precision, step, p.name())
                .isEqualTo(values(single.param(p.name())));
          }
        }
      }
    }
  }

  @Test
  void aSplitStepAllocatesNothing() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    threads.getThreadAllocatedBytes(id);
    for (Precision precision : Precision.values()) {
      Model m = model(precision);
      NdArray[] grads = gradients(m, 0);
      Optimizer opt = Optimizer.of(Optimizer.Kind.ADAM, m, 1e-6).clipNorm(1);
      for (int i = 0; i < 200; i++) {
        opt.step(grads);
      }
      // a round at 0 bytes shows a steady state; a one-off (the JIT) may spoil a round
      long bytes = -1;
      for (int round = 0; round < 5 && bytes != 0; round++) {
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 20; i++) {
          opt.step(grads);
        }
        bytes = threads.getThreadAllocatedBytes(id) - before;
      }
      assertThat(bytes).as(precision + ": bytes allocated by 20 split steps").isZero();
    }
  }

  private static final Compiled COMPILED = Compiled.of(SOURCE);

  private static Model model(Precision precision) {
    Model m = ModelLoader.load(COMPILED.derivation, precision);
    m.initialize(5);
    return m;
  }

  /** Random gradients with the params' shapes, the same for a given step. */
  private static NdArray[] gradients(Model m, int step) {
    List<TensorSpec> specs = m.params();
    NdArray[] grads = new NdArray[specs.size()];
    SplittableRandom random = new SplittableRandom(step);
    for (int i = 0; i < grads.length; i++) {
      grads[i] = NdArray.zeros(m.dtype(), specs.get(i).shape());
      for (int j = 0; j < grads[i].size(); j++) {
        grads[i].setDouble(j, random.nextDouble(-0.01, 0.01));
      }
    }
    return grads;
  }

  private static double plainSumOfSquares(NdArray[] grads) {
    double sq = 0;
    for (NdArray g : grads) {
      for (int j = 0; j < g.size(); j++) {
        sq += g.getDouble(j) * g.getDouble(j);
      }
    }
    return sq;
  }

  private static double[] values(NdArray a) {
    double[] v = new double[a.size()];
    for (int j = 0; j < v.length; j++) {
      v[j] = a.dtype() == DType.F32 ? a.floats()[j] : a.doubles()[j];
    }
    return v;
  }
}
