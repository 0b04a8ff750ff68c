package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A steady-state training step (forward and backward on a batch) allocates nothing: buffers are
 * made once per batch size. Measured with the JVM's per-thread allocation counter.
 */
class AllocationTest {
  @Test
  void steadyStateStepAllocatesNothing() throws Exception {
    assertSteadyStepAllocatesNothing(Files.readString(Path.of("..", "samples", "models", "digits.nn")));
  }

  /** Layers through the runtime's activation kernels (tanh, sigmoid, exp), with odd row lengths. */
  @Test
  void activationKernelsAllocateNothing() {
    assertSteadyStepAllocatesNothing("""
        model Act {
          input x[20];
          target d[3];
          param W1[37, 20] = xavier;
          param W2[19, 37] = xavier;
          param W3[3, 19] = xavier;
          h1 = tanh(W1 @ x);
          h2 = sigmoid(W2 @ h1) + exp(-h1[0]);
          output Y = softmax(W3 @ h2);
          loss L = cross_entropy(Y, d);
        }
        """);
  }

  private static void assertSteadyStepAllocatesNothing(String source) {
    Model model = ModelLoader.load(Compiled.of(source).derivation, Precision.FLOAT);
    model.initialize(1);
    ModelRun run = model.newRun(32);
    GeneratedModelTest.fill(run, model, 3);
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    // Steady state: once the JIT has compiled the kernels for these shapes (the SIMD kernels
    // allocate their vectors until C2 compiles them; other models run earlier in this JVM can
    // send it back to recompile), a round of 100 steps allocates nothing.
    long allocated = Long.MAX_VALUE;
    for (int round = 0; round < 20 && allocated != 0; round++) {
      for (int i = 0; i < 5000; i++) {
        run.forward();
        run.backward();
      }
      long before = threads.getThreadAllocatedBytes(id);
      for (int i = 0; i < 100; i++) {
        run.forward();
        run.backward();
      }
      allocated = threads.getThreadAllocatedBytes(id) - before;
    }
    assertThat(allocated).as("bytes allocated by 100 steps").isZero();
  }
}
