package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.testing.Compiled;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The passes of a dense layer's step, counted in its generated code: the bias, activation,
 * activation-derivative and bias-gradient work rides in the products ({@link ProductFusion}),
 * and only where the product's value is read by nothing else. The numbers are checked against
 * the evaluator and finite differences by {@link GeneratedModelTest} (relu, tanh and sigmoid
 * layers) and, for the kernels' bits, by the runtime's GemmFusedTest.
 */
class ProductFusionTest {
  private static final String MLP = """
      model Mlp {
        input x[784]; target d[10];
        param W1[256, 784] = he; param b1[256];
        param W2[128, 256] = he; param b2[128];
        param W3[10, 128] = he; param b3[10];
        h1 = ACT(W1 @ x + b1);
        h2 = ACT(W2 @ h1 + b2);
        output Y = softmax(W3 @ h2 + b3);
        loss L = cross_entropy(Y, d);
      }""";

  @Test
  void reluLayersMakeOnePassPerProduct() {
    String[] code = generate(MLP.replace("ACT", "relu"));
    String forward = code[1];
    String backward = code[2];
    // Forward: z and relu(z) written by the product (z is kept for relu's derivative).
    assertThat(forward).contains("Gemm.abT(batch, 256, 784, x, 0, model.W1, 0, t9, 0, model.b1, 0, Gemm.Act.RELU, h1, 0);");
    assertThat(forward).contains("Gemm.abT(batch, 10, 128, h2, 0, model.W3, 0, buf1, 0, model.b3, 0, Gemm.Act.IDENTITY, null, 0);");
    assertThat(count(forward, "Gemm\\.abT\\(")).isEqualTo(3);
    // Left: softmax with log_softmax (one row kernel, SoftmaxPairs) and the two loss loops; no bias or relu loop.
    assertThat(count(forward, "BatchLoops\\.run\\(")).isEqualTo(3);
    assertThat(forward).doesNotContain("Scalars.relu");
    // Backward: the masks in the products, the bias sums in the weight gradients' products.
    assertThat(backward).contains("Gemm.ab(batch, 256, 128, buf3, 0, model.W2, 0, buf5, 0, Gemm.Act.RELU, f.t9, 0);");
    // The batch means' 1/B scaled by the kernel too: no pass of its own over a weight gradient.
    assertThat(backward).contains("Gemm.aTb(256, 784, batch, buf5, 0, f.x, 0, grad_W1, 0, grad_b1, 0, invB, sgd ? model.W1 : null, 0, sgdRate);");
    assertThat(backward).doesNotContain("*= invB");
    assertThat(count(backward, "BatchLoops\\.run\\(")).isEqualTo(2);
    assertThat(backward).doesNotContain("Scalars.step", "grad_b1[j] += ");
  }

  @Test
  void tanhAndSigmoidLayersDeriveFromTheirOutputs() {
    for (String act : List.of("tanh", "sigmoid")) {
      String[] code = generate(MLP.replace("ACT", act));
      String name = act.toUpperCase(java.util.Locale.ROOT);
      // z is not kept: the product writes the activation in place of it.
      assertThat(code[1]).contains("model.W1, 0, h1, 0, model.b1, 0, Gemm.Act." + name + ", h1, 0);");
      assertThat(code[1]).doesNotContain("Activations.apply");
      assertThat(code[2]).contains("Gemm.ab(batch, 256, 128, buf3, 0, model.W2, 0, buf5, 0, Gemm.Act." + name + ", f.h1, 0);");
    }
  }

  @Test
  void aProductReadTwiceOrAnUnusualLayerKeepsItsLoops() {
    // z1 read by relu and by the output: the product still writes z1 with its bias, relu stays a loop.
    String[] code = generate("""
        model Two {
          input x[20]; target d[3];
          param W[3, 20] = he; param b[3];
          z1 = W @ x + b;
          output o = z1 * 2;
          loss L = l2(relu(z1), d);
        }""");
    assertThat(code[1]).contains("Gemm.Act.IDENTITY, null, 0);");
    // The product's value read by two consumers: no fusion at all.
    code = generate("""
        model Shared {
          input x[20]; target d[3];
          param W[3, 20] = he; param b[3];
          p = W @ x;
          output o = relu(p + b) + p;
          loss L = l2(o, d);
        }""");
    assertThat(code[1]).doesNotContain("Gemm.Act");
    assertThat(code[1]).contains("Gemm.abT(batch, 3, 20, x, 0, model.W, 0, ");
    // leaky_relu has no fused form: the bias rides in the product, the activation is a loop.
    code = generate("""
        model Leaky {
          input x[20]; target d[3];
          param W[3, 20] = he; param b[3];
          output o = leaky_relu(W @ x + b);
          loss L = l2(o, d);
        }""");
    assertThat(code[1]).doesNotContain("Gemm.Act.RELU");
    assertThat(code[2]).doesNotContain("Gemm.Act");
  }

  /** The model's three generated classes (model, forward, backward) as source text, in float. */
  static String[] generate(String source) {
    List<JavaFile> files = CodeGenerator.generate(Compiled.of(source).derivation, new CodeGenerator.Options("p", Precision.FLOAT));
    return files.stream().map(JavaFile::toString).toArray(String[]::new);
  }

  /** How many times {@code regex} matches in {@code text}. */
  static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
