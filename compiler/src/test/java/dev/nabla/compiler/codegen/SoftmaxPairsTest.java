package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static dev.nabla.compiler.codegen.ProductFusionTest.count;
import static dev.nabla.compiler.codegen.ProductFusionTest.generate;

import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import org.junit.jupiter.api.Test;

/**
 * Softmax and log-softmax of the same value are one row-kernel call ({@link SoftmaxPairs}),
 * whichever comes first, and only when the kernel can take both; the generated values agree with
 * the reference evaluator. (That the pair kernel gives the two kernels' bits is the runtime's
 * VectorSoftmaxTest.)
 */
class SoftmaxPairsTest {
  private static final String CLASSIFIER = """
      model C {
        input x[6]; target d[4];
        param W[4, 6] = he; param b[4];
        z = W @ x + b;
        output Y = softmax(z);
        loss L = cross_entropy(Y, d);
      }""";

  @Test
  void aClassifiersOutputAndLossShareOneKernelCall() {
    onePairCall(CLASSIFIER);
    agreesWithTheEvaluator(CLASSIFIER, "Y");
  }

  @Test
  void theLogSoftmaxMayComeFirst() {
    String source = """
        model First {
          input x[6]; target d[4];
          param W[4, 6] = he;
          z = W @ x;
          loss L = -sum(d * log_softmax(z));
          output Y = softmax(z);
        }""";
    onePairCall(source);
    agreesWithTheEvaluator(source, "Y");
  }

  @Test
  void otherInputsOrAxesStaySeparate() {
    String source = """
        model Apart {
          input x[3, 4]; target d[3, 4];
          output Y = softmax(x);
          output P = softmax(x, axis=0);
          loss L = -sum(d * log_softmax(x * 2)) - sum(d * log_softmax(x, axis=0));
        }""";
    String forward = generate(source)[1];
    assertThat(forward).doesNotContain("softmaxAndLog");
    assertThat(count(forward, "Softmax\\.softmax\\(")).isEqualTo(1);
    assertThat(count(forward, "Softmax\\.logSoftmax\\(")).isEqualTo(1);
    agreesWithTheEvaluator(source, "Y");
    agreesWithTheEvaluator(source, "P");
  }

  private static void onePairCall(String source) {
    String forward = generate(source)[1];
    assertThat(count(forward, "Softmax\\.softmaxAndLog\\(")).isEqualTo(1);
    assertThat(forward).doesNotContain("Softmax.softmax(", "Softmax.logSoftmax(");
  }

  private static void agreesWithTheEvaluator(String source, String output) {
    Compiled c = Compiled.of(source, 5, 3, -2, 2);
    ModelRun run = c.generatedRun(Precision.DOUBLE);
    assertThat(run.forward()).isCloseTo(c.loss(), within(1e-12));
    double[][] expected = c.evaluator().values(c.model.outputs().get(output));
    NdArray y = run.output(output);
    int size = expected[0].length;
    for (int b = 0; b < expected.length; b++) {
      for (int j = 0; j < size; j++) {
        assertThat(y.getDouble(b * size + j)).as("%s[%d, %d]", output, b, j).isCloseTo(expected[b][j], within(1e-14));
      }
    }
  }
}
