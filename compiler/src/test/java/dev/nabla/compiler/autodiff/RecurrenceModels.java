package dev.nabla.compiler.autodiff;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * One model per construct of the recurrence (issue 17), shared by the reference evaluator's
 * check ({@link RecurrenceDerivativeCheckTest}) and the generated code's
 * ({@link RecurrenceGeneratedCheckTest}): the Elman RNN, GRU and LSTM cells, an initial state that
 * is a param, per-step collected outputs with a per-step loss, two stacked layers, two sequences,
 * a reversed loop, a scalar state, a hyper and a literal in the step with a computed initial
 * state, and the states before each step read after the loop. Each is the body of
 * {@code model M { HEAD ... }}.
 */
final class RecurrenceModels {
  private RecurrenceModels() {
  }

  static final String HEAD = """
      dim T = 4; dim H = 3; dim D = 2;
      input xs[T, D] grad; input ys[T, D]; target d[D]; target ds[T, D];
      """;

  /** Each case declares the params it uses: finite differences perturb every element of every param. */
  private static final String ELMAN = "param W[H, D]; param U[H, H]; param b[H]; param V[D, H];\n";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("Elman RNN, final state", ELMAN + "param c[D];\n" + """
            for x in xs {
              state h[H] = 0;
              h = tanh(W @ x + U @ h + b);
            }
            output y = V @ h + c;
            loss L = l2(y, d);
            """),
        Arguments.of("GRU", """
            param Wz[H, D]; param Uz[H, H]; param bz[H]; param Wr[H, D]; param Ur[H, H]; param br[H];
            param Wn[H, D]; param Un[H, H]; param bn[H]; param V[D, H]; param c[D];
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
            param Wx[4 * H, D]; param Wh[4 * H, H]; param bl[4 * H]; param V[D, H]; param c[D];
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
        Arguments.of("a param initial state", ELMAN + "param h0[H];\n" + """
            for x in xs {
              state h[H] = h0;
              h = tanh(W @ x + U @ h + b);
            }
            output y = V @ h;
            loss L = l2(y, d);
            """),
        Arguments.of("collected per-step outputs with a per-step loss", ELMAN + "param c[D]; param s;\n" + """
            for x in xs {
              state h[H] = 0;
              h = tanh(W @ x + U @ h + b);
              collect hs = h;
            }
            output Y = hs @ V.T + c;
            loss L = sum((Y - ds) ^ 2) + s * sum(h);
            """),
        Arguments.of("two stacked layers", ELMAN + "param W2[H, H]; param U2[H, H]; param h0[H];\n" + """
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
        Arguments.of("two sequences in one loop", ELMAN + """
            for x in xs, y in ys {
              state h[H] = 0;
              h = tanh(W @ x + U @ h + W @ (y * x) + b);
              collect p = V @ h * y;
            }
            output Y = p;
            loss L = sum(p * ds) + sum(h);
            """),
        Arguments.of("a reversed loop (the backward half of a bidirectional RNN)", ELMAN + "param h0[H];\n" + """
            for x in reverse(xs) {
              state h[H] = 0;
              h = tanh(W @ x + U @ h + b);
              collect hs = h;
            }
            output Y = hs;
            loss L = sum((hs @ V.T - ds) ^ 2) + sum(h * h0);
            """),
        Arguments.of("a scalar state, a value computed before the loop, a state read after its update",
            "param W[H, D]; param U[H, H]; param V[D, H]; param s;\n" + """
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
        Arguments.of("a hyper and a literal in the step, a state that starts at a computed value",
            "param W[H, D]; param U[H, H]; param V[D, H]; param h0[H];\n" + """
            hyper k = 0.5;
            for x in xs {
              state h[H] = tanh(h0 * 2);
              h = tanh(W @ x * k + U @ h + 0.25);
            }
            output y = V @ h;
            loss L = l2(y, d);
            """),
        Arguments.of("previous(h): the states before each step, read after the loop", ELMAN + "param h0[H];\n" + """
            for x in xs {
              state h[H] = h0;
              h = tanh(W @ x + U @ h + b);
              collect hs = h;
            }
            output Y = previous(h);
            loss L = sum((previous(h) - hs) ^ 2) + sum(previous(h) @ V.T * ds);
            """));
  }
}
