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
    String source = Files.readString(Path.of("..", "samples", "models", "digits.nn"));
    Model model = ModelLoader.load(Compiled.of(source).derivation, Precision.FLOAT);
    model.initialize(1);
    ModelRun run = model.newRun(32);
    GeneratedModelTest.fill(run, model, 3);
    for (int i = 0; i < 20000; i++) { // long enough for C2 to compile the SIMD kernels
      run.forward();
      run.backward();
    }
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < 100; i++) {
      run.forward();
      run.backward();
    }
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    assertThat(allocated).as("bytes allocated by 100 steps").isZero();
  }
}
