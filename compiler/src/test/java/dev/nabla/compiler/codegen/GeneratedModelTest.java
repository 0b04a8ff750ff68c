package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.eval.Evaluator;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated code of models combining the operators: its double-precision gradients pass the
 * finite-difference check and equal the reference evaluator's; float agrees with double; and a
 * batch's gradients are the mean of its instances'.
 */
class GeneratedModelTest {
  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("mlp relu softmax cross_entropy", """
            model Mlp {
              input x[5]; target d[3];
              param W1[4, 5] = he; param b1[4] = uniform(-0.1, 0.1);
              param W2[3, 4] = xavier; param b2[3] = uniform(-0.1, 0.1);
              z1 = W1 @ x + b1; y1 = relu(z1);
              z2 = W2 @ y1 + b2;
              output Y = softmax(z2);
              loss L = cross_entropy(Y, d);
            }"""),
        Arguments.of("mlp tanh and sigmoid layers (fused products)", """
            model Deep {
              input x[5]; target d[3];
              param W1[6, 5] = xavier; param b1[6] = uniform(-0.1, 0.1);
              param W2[4, 6] = xavier; param b2[4] = uniform(-0.1, 0.1);
              param W3[3, 4] = xavier; param b3[3] = uniform(-0.1, 0.1);
              h1 = tanh(W1 @ x + b1);
              h2 = sigmoid(W2 @ h1 + b2);
              output Y = softmax(W3 @ h2 + b3);
              loss L = cross_entropy(Y, d);
            }"""),
        Arguments.of("sigmoid bce", """
            model Logistic {
              input x[4]; target d[1];
              param w[1, 4] = normal(0, 0.5); param b[1];
              output p = sigmoid(w @ x + b);
              loss L = bce(p, d);
            }"""),
        Arguments.of("l2 regression", """
            model Regression {
              input x[3]; target d[2];
              param W[2, 3] = normal(0, 0.5); param b[2] = ones;
              output y = W @ x + b;
              loss L = l2(y, d);
            }"""),
        Arguments.of("hinge", """
            model Svm {
              input x[4]; target d[3];
              param W[3, 4] = normal(0, 1);
              output s = W @ x;
              loss L = hinge(s, d);
            }"""),
        Arguments.of("maxpool", """
            model Pool {
              input x[4]; target d[2];
              param W[6, 4] = normal(0, 1);
              h = maxpool(tanh(W @ x), 3);
              output Y = softmax(h);
              loss L = cross_entropy(Y, d);
            }"""),
        Arguments.of("multiplicative gate", """
            model Gate {
              input x[3]; target d[2];
              param Wg[2, 3] = normal(0, 1); param Wc[2, 3] = normal(0, 1);
              output y = sigmoid(Wg @ x) * tanh(Wc @ x);
              loss L = l2(y, d);
            }"""),
        Arguments.of("gelu through erf, clip to a param, version 2 functions", """
            model Gelu {
              input x[3]; target d[2];
              param W[2, 3] = normal(0, 0.5); param lo[2] = uniform(-0.5, -0.1);
              z = W @ x;
              g = 0.5 * z * (1 + erf(z * 0.7071067811865476));
              output y = clip(g, lo, 0.8) + 0.1 * asinh(z) + 0.1 * atan(z) + 0.1 * tanh(sinh(z));
              loss L = l2(y, d) + 0.01 * sum(log1p(expm1(z * 0.1) + 1));
            }"""),
        Arguments.of("residual and grad input", """
            model Residual {
              input x[3] grad; target d[3];
              param W[3, 3] = normal(0, 0.5);
              output y = x + tanh(W @ x);
              loss L = l2(y, d);
            }"""),
        Arguments.of("weight decay", """
            model Decay {
              input x[3]; target d[2];
              param W[2, 3] = normal(0, 1); param b[2];
              hyper lambda = 0.01;
              output Y = softmax(W @ x + b);
              loss L = cross_entropy(Y, d) + lambda * norm2(W);
            }"""),
        Arguments.of("label smoothing", """
            model Smooth {
              input x[3]; target d[4];
              param W[4, 3] = normal(0, 1);
              hyper eps = 0.05;
              output Y = softmax(W @ x);
              loss L = cross_entropy(Y, smooth(d, eps));
            }"""),
        Arguments.of("matrix forms and reductions", """
            model Forms {
              input x[3]; input X[2, 3]; target d[2];
              param A[3, 2] = normal(0, 1); param v[3] = normal(0, 1); param M[2, 2] = normal(0, 1);
              u = x @ A;
              P = X @ A;
              w = M.T @ u + sum(P, axis=0) + sum(X * v, axis=1) + dot(v, x) + max(P);
              output o = w;
              loss L = l2(w, d) + mean(abs(A @ M)) + sum(exp(v) / (1 + v * v));
            }"""),
        Arguments.of("stable forms: log_sigmoid, logsumexp, softplus", """
            model Stable {
              input x[3]; input X[2, 3]; target d[2];
              param W[2, 3] = normal(0, 1); param V[3, 3] = normal(0, 1);
              z = W @ x;
              output p = sigmoid(z);
              loss L = -sum(d * log(p)) + log(sum(exp(V @ x))) + sum(log(sum(exp(X * W), axis=0)))
                + sum(logsumexp(W * X, axis=1)) + sum(log(1 + exp(z))) + logsumexp(V);
            }"""));
  }

  /** Random inputs; a vector target of width > 1 is one-hot, a width-1 target in (0, 1). */
  static void fill(ModelRun run, Model model, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (TensorSpec in : model.inputs()) {
      NdArray a = run.input(in.name());
      for (int i = 0; i < a.size(); i++) {
        a.setDouble(i, random.nextDouble(-1, 1));
      }
    }
    for (TensorSpec t : model.targets()) {
      NdArray a = run.input(t.name());
      int width = a.size() / run.batchSize();
      for (int b = 0; b < run.batchSize(); b++) {
        if (width > 1) {
          int hot = random.nextInt(width);
          for (int j = 0; j < width; j++) {
            a.setDouble(b * width + j, j == hot ? 1 : 0);
          }
        } else {
          a.setDouble(b, random.nextDouble());
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void doubleGradientsPassTheFiniteDifferenceCheck(String name, String source) {
    Compiled c = Compiled.of(source);
    Model model = ModelLoader.load(c.derivation, Precision.DOUBLE);
    model.initialize(3);
    ModelRun run = model.newRun(4);
    fill(run, model, 5);
    List<GradientCheck.Result> results = GradientCheck.check(model, run);
    for (GradientCheck.Result r : results) {
      assertThat(r.worstRelativeError()).as(r.toString()).isLessThanOrEqualTo(1e-6);
    }
    assertThat(results).hasSize(model.params().size() + model.gradInputs().size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void generatedCodeAgreesWithTheReferenceEvaluator(String name, String source) {
    Compiled c = Compiled.of(source);
    Model model = ModelLoader.load(c.derivation, Precision.DOUBLE);
    model.initialize(11);
    int batch = 5;
    ModelRun run = model.newRun(batch);
    fill(run, model, 13);
    double loss = run.forward();
    run.backward();

    Map<String, double[]> shared = new HashMap<>();
    for (TensorSpec p : model.params()) {
      shared.put(p.name(), model.param(p.name()).toDoubles());
    }
    for (String h : model.hyperNames()) {
      shared.put(h, new double[] {model.hyper(h)});
    }
    Map<String, double[][]> perInstance = new HashMap<>();
    for (TensorSpec in : concat(model.inputs(), model.targets())) {
      double[] all = run.input(in.name()).toDoubles();
      int size = all.length / batch;
      double[][] rows = new double[batch][];
      for (int b = 0; b < batch; b++) {
        rows[b] = java.util.Arrays.copyOfRange(all, b * size, (b + 1) * size);
      }
      perInstance.put(in.name(), rows);
    }
    Evaluator reference = new Evaluator(batch, perInstance, shared);
    assertThat(loss).isCloseTo(reference.batchMeanOf(c.model.loss()), org.assertj.core.data.Offset.offset(1e-9));
    for (TensorSpec p : model.params()) {
      Node g = c.derivation.program().gradients().get(p.name());
      assertThat(Compiled.worstError(run.gradient(p.name()).toDoubles(), reference.value(g, 0)))
          .as("d" + p.name()).isLessThan(1e-9);
    }
    for (Map.Entry<String, Node> o : c.model.outputs().entrySet()) {
      double[] generated = run.output(o.getKey()).toDoubles();
      int size = o.getValue().shape().size();
      for (int b = 0; b < batch; b++) {
        double[] expected = reference.value(o.getValue(), b);
        double[] actual = java.util.Arrays.copyOfRange(generated, b * size, (b + 1) * size);
        assertThat(Compiled.worstError(actual, expected)).as("output " + o.getKey()).isLessThan(1e-9);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void floatAgreesWithDouble(String name, String source) {
    Compiled c = Compiled.of(source);
    Model f = ModelLoader.load(c.derivation, Precision.FLOAT);
    Model d = ModelLoader.load(c.derivation, Precision.DOUBLE);
    d.initialize(21);
    f.initialize(21);
    ModelRun fr = f.newRun(6);
    ModelRun dr = d.newRun(6);
    fill(dr, d, 23);
    fill(fr, f, 23);
    double fl = fr.forward();
    double dl = dr.forward();
    fr.backward();
    dr.backward();
    assertThat(Math.abs(fl - dl) / Math.max(1e-3, Math.abs(dl))).isLessThan(1e-4);
    for (TensorSpec p : d.params()) {
      assertThat(Compiled.worstError(fr.gradient(p.name()).toDoubles(), dr.gradient(p.name()).toDoubles()))
          .as("d" + p.name()).isLessThan(1e-4);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void batchGradientIsTheMeanOfInstanceGradients(String name, String source) {
    Compiled c = Compiled.of(source);
    Model model = ModelLoader.load(c.derivation, Precision.DOUBLE);
    model.initialize(31);
    int batch = 7;
    ModelRun all = model.newRun(batch);
    fill(all, model, 37);
    all.forward();
    all.backward();
    ModelRun one = model.newRun(1);
    Map<String, double[]> sum = new HashMap<>();
    for (int b = 0; b < batch; b++) {
      for (TensorSpec in : concat(model.inputs(), model.targets())) {
        double[] rows = all.input(in.name()).toDoubles();
        int size = rows.length / batch;
        NdArray target = one.input(in.name());
        for (int j = 0; j < size; j++) {
          target.setDouble(j, rows[b * size + j]);
        }
      }
      one.forward();
      one.backward();
      for (TensorSpec p : model.params()) {
        double[] g = one.gradient(p.name()).toDoubles();
        double[] s = sum.computeIfAbsent(p.name(), k -> new double[g.length]);
        for (int i = 0; i < g.length; i++) {
          s[i] += g[i] / batch;
        }
      }
    }
    for (TensorSpec p : model.params()) {
      assertThat(Compiled.worstError(all.gradient(p.name()).toDoubles(), sum.get(p.name())))
          .as("d" + p.name()).isLessThan(1e-12);
    }
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
