package dev.nabla.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.MemoryLimitException;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The update rules against hand-computed values, clipping, non-finite gradients, and no
 * allocation per step. The model is {@link Linear} with one instance x = 1 and d = 0, so the
 * gradient of W and b is y = W + b.
 */
class OptimizerTest {
  static final double LR = 0.1;

  static Linear model(DType dtype, double w, double b) {
    Linear m = new Linear(1, 1, dtype);
    m.w.setDouble(0, w);
    m.b.setDouble(0, b);
    return m;
  }

  static ModelRun gradients(Linear m) {
    ModelRun run = m.newRun(1);
    run.input("x").setDouble(0, 1);
    run.input("d").setDouble(0, 0);
    run.forward();
    run.backward();
    return run;
  }

  static double step(Optimizer opt, Linear m) {
    return opt.step(gradients(m));
  }

  @Test
  void sgd() {
    Linear m = model(DType.F64, 1, 2);              // g = 3 for both
    step(Optimizer.sgd(m, LR), m);
    assertThat(m.w.getDouble(0)).isEqualTo(1 - LR * 3);
    assertThat(m.b.getDouble(0)).isEqualTo(2 - LR * 3);
  }

  @Test
  void momentum() {
    Linear m = model(DType.F64, 1, 0);
    Optimizer opt = Optimizer.momentum(m, LR, 0.9);
    step(opt, m);                                    // g1 = 1, v = 1, w = 0.9
    assertThat(m.w.getDouble(0)).isCloseTo(0.9, within(1e-15));
    double g2 = m.w.getDouble(0) + m.b.getDouble(0); // b moved too: b = -0.1, so g2 = 0.8
    step(opt, m);
    double v = 0.9 * 1 + g2;
    assertThat(m.w.getDouble(0)).isCloseTo(0.9 - LR * v, within(1e-15));
  }

  @Test
  void adam() {
    Linear m = model(DType.F64, 1, 1);               // g = 2
    Optimizer opt = Optimizer.adam(m, LR, 0.9, 0.999, 1e-8);
    step(opt, m);                                    // first step: about lr * sign(g)
    double w1 = 1 - LR * 2 / (2 + 1e-8);
    assertThat(m.w.getDouble(0)).isCloseTo(w1, within(1e-15));
    double g2 = 2 * w1;                              // W and b moved alike
    step(opt, m);
    double m1 = 0.9 * (0.1 * 2) + 0.1 * g2;
    double v1 = 0.999 * (0.001 * 4) + 0.001 * g2 * g2;
    double w2 = w1 - LR * (m1 / (1 - 0.81)) / (Math.sqrt(v1 / (1 - 0.999 * 0.999)) + 1e-8);
    assertThat(m.w.getDouble(0)).isCloseTo(w2, within(1e-15));
    assertThat(opt.steps()).isEqualTo(2);
  }

  @Test
  void clippingByGlobalNorm() {
    Linear m = model(DType.F64, 2, 1);                // g = 3 for W and b: norm 3 sqrt 2
    double norm = step(Optimizer.sgd(m, 1).clipNorm(1), m);
    assertThat(norm).isCloseTo(3 * Math.sqrt(2), within(1e-12));
    assertThat(m.w.getDouble(0)).isCloseTo(2 - 1 / Math.sqrt(2), within(1e-12));
    Linear small = model(DType.F64, 0.25, 0.25);      // norm below the clip: untouched
    step(Optimizer.sgd(small, 1).clipNorm(10), small);
    assertThat(small.w.getDouble(0)).isEqualTo(-0.25);
  }

  @Test
  void aNonFiniteGradientChangesNothing() {
    Linear m = model(DType.F32, Float.MAX_VALUE, Float.MAX_VALUE);   // y overflows to infinity
    Optimizer opt = Optimizer.adam(m, LR, 0.9, 0.999, 1e-8);
    double norm = step(opt, m);
    assertThat(norm).isInfinite();
    assertThat(m.w.getDouble(0)).isEqualTo(Float.MAX_VALUE);
    assertThat(opt.steps()).isZero();
  }

  @Test
  void defaults() {
    assertThat(Optimizer.defaultLearningRate(Optimizer.Kind.SGD)).isEqualTo(0.1);
    assertThat(Optimizer.defaultLearningRate(Optimizer.Kind.MOMENTUM)).isEqualTo(0.01);
    assertThat(Optimizer.defaultLearningRate(Optimizer.Kind.ADAM)).isEqualTo(0.001);
    assertThat(Optimizer.of(Optimizer.Kind.ADAM, model(DType.F64, 0, 0), 0.001)).hasToString("adam lr 0.001");
  }

  @Test
  void aStepAllocatesNothing() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    threads.getThreadAllocatedBytes(id);            // its first call initialises itself
    for (DType dtype : DType.values()) {
      for (Optimizer.Kind kind : Optimizer.Kind.values()) {
        Linear m = new Linear(16, 4, dtype);
        m.initialize(3);
        ModelRun run = m.newRun(8);
        for (int i = 0; i < 8 * 16; i++) {
          run.input("x").setDouble(i, (i % 5) * 0.1);
        }
        Optimizer opt = Optimizer.of(kind, m, 0.01).clipNorm(0.5);
        run.forward();
        run.backward();
        for (int i = 0; i < 2000; i++) {
          opt.step(run);
        }
        // A steady state that allocates nothing has a round of 1000 updates at 0 bytes; a
        // one-off allocation (the JIT replacing code) may spoil a round, a per-step one every round.
        java.util.List<Long> rounds = new java.util.ArrayList<>();
        for (int round = 0; round < 5 && (rounds.isEmpty() || rounds.getLast() != 0); round++) {
          long before = threads.getThreadAllocatedBytes(id);
          for (int i = 0; i < 1000; i++) {
            opt.step(run);
          }
          rounds.add(threads.getThreadAllocatedBytes(id) - before);
        }
        assertThat(rounds).as(kind + " " + dtype + ": bytes allocated by rounds of 1000 updates").contains(0L);
      }
    }
  }

  @Test
  void floatParamsStayFloat() {
    Linear m = model(DType.F32, 1, 2);
    step(Optimizer.sgd(m, LR), m);
    assertThat(m.w.dtype()).isEqualTo(DType.F32);
    assertThat(m.w.floats()[0]).isEqualTo((float) (1 - LR * 3));
    assertThat(NdArray.zeros(DType.F32, 1).dtype()).isEqualTo(DType.F32);
  }

  @Test
  void stateThatDoesNotFitTheHeapIsRefusedBeforeAllocating() {
    // 64 params of 2^28 values: adam's two double copies are 256 GB. Only params() is asked.
    List<TensorSpec> params = Collections.nCopies(64,
        new TensorSpec("W", new int[] {16384, 16384}));
    Model huge = (Model) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {Model.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "name" -> "Huge";
          case "params" -> params;
          default -> throw new UnsupportedOperationException(method.getName());
        });
    assertThatThrownBy(() -> Optimizer.adam(huge, LR, 0.9, 0.999, 1e-8))
        .isInstanceOf(MemoryLimitException.class)
        .hasMessageStartingWith("the adam optimizer's state for model Huge (34359738368 double values): 256.0 GB needed");
  }
}
