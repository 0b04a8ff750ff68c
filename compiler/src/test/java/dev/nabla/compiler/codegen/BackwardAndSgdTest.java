package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.DType;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ModelRun.backwardAndSgd(lr)} of the generated code, which takes a weight matrix's SGD step
 * inside its gradient's product where nothing later in the backward pass reads the weights
 * ({@link SgdFusion}), gives bit for bit the params and gradients of {@code backward()} followed by
 * the plain step {@code p -= (dtype) lr * g} of every param: every sample model in float (digits
 * in double too) and the large benchmark MLP (its 1024 x 1024 product split across the threads),
 * over two steps. A fused step that read updated weights, or rounded differently, would differ.
 */
class BackwardAndSgdTest {
  private static final double LR = 0.05;

  static Stream<Arguments> models() throws IOException {
    List<Arguments> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("..", "samples", "models"))) {
      files.filter(f -> f.toString().endsWith(".nn")).sorted()
          .forEach(f -> all.add(Arguments.of(f.toString(), Precision.FLOAT, 9)));
    }
    all.add(Arguments.of(Path.of("..", "samples", "models", "digits.nn").toString(), Precision.DOUBLE, 9));
    all.add(Arguments.of(Path.of("..", "benchmarks", "models", "mlp-784-1024-1024-10.nn").toString(), Precision.FLOAT, 4));
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("models")
  void theFusedStepIsTheSeparateStep(String file, Precision precision, int batch) throws IOException {
    Compiled compiled = Compiled.of(Files.readString(Path.of(file)));
    Model fused = ModelLoader.load(compiled.derivation, precision);
    Model separate = ModelLoader.load(compiled.derivation, precision);
    fused.initialize(3);
    separate.initialize(3);
    ModelRun a = fused.newRun(batch);
    ModelRun b = separate.newRun(batch);
    for (int step = 0; step < 2; step++) {
      GeneratedModelTest.fill(a, fused, 11 + step);
      GeneratedModelTest.fill(b, separate, 11 + step);
      a.forward();
      a.backwardAndSgd(LR);
      b.forward();
      b.backward();
      for (TensorSpec p : separate.params()) {
        plainStep(separate.param(p.name()), b.gradient(p.name()));
      }
      for (TensorSpec p : fused.params()) {
        assertThat(values(a.gradient(p.name()))).as("%s step %d: gradient of %s", file, step, p.name())
            .isEqualTo(values(b.gradient(p.name())));
        assertThat(values(fused.param(p.name()))).as("%s step %d: param %s", file, step, p.name())
            .isEqualTo(values(separate.param(p.name())));
      }
    }
  }

  /** Which weights the MLP's backward pass updates in their products: all three (nothing reads them after). */
  @Test
  void theMlpsWeightsAreUpdatedInTheirProducts() {
    String[] code = ProductFusionTest.generate("""
        model M {
          input x[20]; target d[4];
          param W1[16, 20] = he; param b1[16];
          param W2[4, 16] = he; param b2[4];
          output y = softmax(W2 @ relu(W1 @ x + b1) + b2);
          loss L = cross_entropy(y, d);
        }
        """);
    String backward = code[2];
    assertThat(backward).contains("invB, sgd ? model.W1 : null, 0, sgdRate);")
        .contains("invB, sgd ? model.W2 : null, 0, sgdRate);")
        .contains("sgdUpdate.apply(model.b1, grad_b1, sgdRate);")
        .doesNotContain("sgdUpdate.apply(model.W1");
  }

  /** A weight whose gradient is more than its product (digits' weight decay adds 2 lambda W1) is updated after the pass. */
  @Test
  void otherWeightsAreUpdatedAfterThePass() throws IOException {
    String[] code = ProductFusionTest.generate(Files.readString(Path.of("..", "samples", "models", "digits.nn")));
    assertThat(code[2]).doesNotContain("sgd ? model.W1").contains("sgdUpdate.apply(model.W1, ");
  }

  private static void plainStep(NdArray w, NdArray g) {
    if (w.dtype() == DType.F32) {
      float rate = (float) LR;
      float[] wv = w.floats();
      float[] gv = g.floats();
      for (int j = 0; j < wv.length; j++) {
        wv[j] -= rate * gv[j];
      }
    } else {
      double[] wv = w.doubles();
      double[] gv = g.doubles();
      for (int j = 0; j < wv.length; j++) {
        wv[j] -= LR * gv[j];
      }
    }
  }

  private static double[] values(NdArray a) {
    double[] v = new double[a.size()];
    for (int j = 0; j < v.length; j++) {
      v[j] = a.dtype() == DType.F32 ? a.floats()[j] : a.doubles()[j];
    }
    return v;
  }
}
