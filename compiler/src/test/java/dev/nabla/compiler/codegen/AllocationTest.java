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

  /** An LSTM (issue 17): its forward loop over t and backward loop from T - 1 down. */
  @Test
  void recurrenceLoopsAllocateNothing() {
    assertSteadyStepAllocatesNothing("""
        model Lstm {
          dim T = 5; dim H = 12;
          input xs[T, 6];
          target d[3];
          param Wx[4 * H, 6] = xavier;  param Wh[4 * H, H] = xavier;  param b[4 * H];
          param V[3, H] = xavier;  param c2[3];
          for x in xs {
            state h[H] = 0;
            state c[H] = 0;
            z = Wx @ x + Wh @ h + b;
            i = sigmoid(z[0:H]);  f = sigmoid(z[H:2*H]);  g = tanh(z[2*H:3*H]);  o = sigmoid(z[3*H:]);
            c = f * c + i * g;
            h = o * tanh(c);
            collect hs = h;
          }
          output Y = softmax(V @ h + c2 + sum(hs));
          loss L = cross_entropy(Y, d);
        }
        """);
  }

  /**
   * Convolutions (the {@code ConvBatch} objects with their scratch, on each path of the kernel's
   * adjoint), pooling and a dense head, in float and in double.
   */
  @Test
  void convolutionsAllocateNothing() {
    String lenet = """
        model Conv {
          input x[1, 12, 12];
          target d[4];
          param K1[6, 1, 5, 5];
          param c1[6];
          param K2[16, 6, 3, 3];
          param c2[16];
          param W[4, 64] = xavier;
          h1 = maxpool2d(relu(conv2d(x, K1, c1, padding=2)), 2);
          h2 = maxpool2d(relu(conv2d(h1, K2, c2, padding=1)), 3);
          output Y = softmax(W @ flatten(h2));
          loss L = cross_entropy(Y, d);
        }
        """;
    assertSteadyStepAllocatesNothing(lenet, Precision.FLOAT);
    assertSteadyStepAllocatesNothing(lenet, Precision.DOUBLE);
  }

  private static void assertSteadyStepAllocatesNothing(String source) {
    assertSteadyStepAllocatesNothing(source, Precision.FLOAT);
  }

  private static void assertSteadyStepAllocatesNothing(String source, Precision precision) {
    Model model = ModelLoader.load(Compiled.of(source).derivation, precision);
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
