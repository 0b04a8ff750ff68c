package dev.nabla.compiler.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.testing.Compiled;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backpropagation through time (issue 17): the reference evaluator's simplified symbolic
 * gradient of models with loops against finite differences, as {@link DerivativeChecks#symbolic}
 * (three seeds, error <= 1e-6, simplification changes no gradient), and the per-instance gradient
 * of the sequence {@code xs}. Generated code for loops is checked where code generation handles
 * them.
 */
class RecurrenceDerivativeCheckTest {
  private static final String HEAD = """
      dim T = 4; dim H = 3; dim D = 2;
      input xs[T, D] grad; input ys[T, D]; target d[D]; target ds[T, D];
      param W[H, D]; param U[H, H]; param b[H]; param V[D, H]; param c[D]; param h0[H];
      param Wz[H, D]; param Uz[H, H]; param bz[H]; param Wr[H, D]; param Ur[H, H]; param br[H];
      param Wn[H, D]; param Un[H, H]; param bn[H];
      param Wx[4 * H, D]; param Wh[4 * H, H]; param bl[4 * H];
      param W2[H, H]; param U2[H, H]; param s;
      """;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("Elman RNN, final state", """
            for x in xs {
              state h[H] = 0;
              h = tanh(W @ x + U @ h + b);
            }
            output y = V @ h + c;
            loss L = l2(y, d);
            """),
        Arguments.of("GRU", """
            for x in xs {
              state h[H] = 0;
              z = sigmoid(Wz @ x + Uz @ h + bz);
              r = sigmoid(Wr @ x + Ur @ h + br);
              n = tanh(Wn @ x + r * (Un @ h) + bn);
              h = (1 - z) * n + z * h;
            }
            output y = softmax(V @ h + c);
            loss L = cross_entropy(y, softmax(d));
            """),
        Arguments.of("LSTM, states h and c", """
            for x in xs {
              state h[H] = 0;
              state cell[H] = 0;
              z = Wx @ x + Wh @ h + bl;
              i = sigmoid(z[0:H]);  f = sigmoid(z[H:2*H]);  g = tanh(z[2*H:3*H]);  o = sigmoid(z[3*H:]);
              cell = f * cell + i * g;
              h = o * tanh(cell);
            }
            output y = V @ h + c;
            loss L = l2(y, d);
            """),
        Arguments.of("a param initial state", """
            for x in xs {
              state h[H] = h0;
              h = tanh(W @ x + U @ h + b);
            }
            output y = V @ h;
            loss L = l2(y, d);
            """),
        Arguments.of("collected per-step outputs with a per-step loss", """
            for x in xs {
              state h[H] = 0;
              h = tanh(W @ x + U @ h + b);
              collect hs = h;
            }
            output Y = hs @ V.T + c;
            loss L = sum((Y - ds) ^ 2) + s * sum(h);
            """),
        Arguments.of("two stacked layers", """
            for x in xs {
              state h[H] = 0;
              h = tanh(W @ x + U @ h + b);
              collect hs = h;
            }
            for e in hs {
              state h2[H] = h0;
              h2 = tanh(W2 @ e + U2 @ h2);
              collect outs = V @ h2;
            }
            output y = outs;
            loss L = sum((outs - ds) ^ 2) + sum(h2 * h);
            """),
        Arguments.of("two sequences in one loop", """
            for x in xs, y in ys {
              state h[H] = 0;
              h = tanh(W @ x + U @ h + W @ (y * x) + b);
              collect p = V @ h * y;
            }
            output Y = p;
            loss L = sum(p * ds) + sum(h);
            """),
        Arguments.of("a reversed loop (the backward half of a bidirectional RNN)", """
            for x in reverse(xs) {
              state h[H] = 0;
              h = tanh(W @ x + U @ h + b);
              collect hs = h;
            }
            output Y = hs;
            loss L = sum((hs @ V.T - ds) ^ 2) + sum(h * h0);
            """),
        Arguments.of("a scalar state, a value computed before the loop, a state read after its update", """
            Ws = W * s;
            for x in xs {
              state total = 1;
              state h[H] = 0;
              h = tanh(Ws @ x + U @ h);
              total = total * (1 + sum(h) * 0.1) + sum(x * x);
              collect both = h * total;
            }
            output y = total;
            loss L = total + sum(both @ V.T * ds);
            """),
        Arguments.of("previous(h): the states before each step, read after the loop", """
            for x in xs {
              state h[H] = h0;
              h = tanh(W @ x + U @ h + b);
              collect hs = h;
            }
            output Y = previous(h);
            loss L = sum((previous(h) - hs) ^ 2) + sum(previous(h) @ V.T * ds);
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void symbolicGradientMatchesFiniteDifferences(String name, String body) {
    String source = "model M {\n" + HEAD + body + "}\n";
    for (long seed = 1; seed <= 3; seed++) {
      Compiled c = Compiled.of(source, 3, seed, -1, 1);
      for (String param : c.derivation.program().gradients().keySet()) {
        if (param.equals("xs")) {
          continue;
        }
        double error = Compiled.worstError(c.gradient(param), c.numericGradient(param));
        assertThat(error).as("%s: d%s (seed %d)", name, param, seed).isLessThanOrEqualTo(1e-6);
        double raw = Compiled.worstError(c.rawGradient(param), c.gradient(param));
        assertThat(raw).as("%s: simplification changed d%s", name, param).isLessThanOrEqualTo(1e-12);
      }
      // the sequence's gradient, per instance: B times that of the batch-mean loss
      for (int t = 0; t < c.batch; t++) {
        double[] numeric = c.numericInputGradient("xs", t);
        for (int i = 0; i < numeric.length; i++) {
          numeric[i] *= c.batch;
        }
        double error = Compiled.worstError(c.inputGradient("xs", t), numeric);
        assertThat(error).as("%s: dxs of instance %d (seed %d)", name, t, seed).isLessThanOrEqualTo(1e-6);
      }
    }
  }
}
