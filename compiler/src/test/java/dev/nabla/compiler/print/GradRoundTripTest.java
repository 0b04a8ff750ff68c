package dev.nabla.compiler.print;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.eval.Evaluator;
import dev.nabla.compiler.pipeline.Frontend;
import dev.nabla.compiler.testing.Compiled;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code nabla grad} text is valid {@code .nn}: its statements, appended to the model they came
 * from, check, and compute the same numbers as the derivative program they print.
 */
class GradRoundTripTest {
  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of(Models.DIGITS),
        Arguments.of(Models.SOFTMAX_CE),
        Arguments.of(Models.SIGMOID_BCE),
        Arguments.of("""
            model Mixed {
              input x[4] grad; target d[2];
              param W[3, 4]; param V[2, 3]; param c[6]; param s;
              h = tanh(W @ x) * sigmoid(W @ x) + s;
              p = maxpool(concat(h, h * 2), 3);
              k = sum(outer(h, x), axis=1) + slice(c, 1, 4) + repeat(slice(h, 0, 1), 3) * h[0] / (1 + abs(s));
              output y = softmax(V @ k + p);
              loss L = kl(d, y) + l2(y, d) + 0.1 * norm2(V) + max(x) * min(c);
            }"""),
        Arguments.of("""
            model Version2Functions {
              input x[3]; target d[3];
              param W[3, 3]; param lo[3];
              z = W @ x;
              h = tan(z * 0.3) + sinh(z) * cosh(z) + asin(z * 0.2) + acos(z * 0.2) + atan(z)
                + asinh(z) + acosh(z * z + 2) + atanh(z * 0.2) + erf(z) + log1p(z * 0.2)
                + expm1(z) + floor(z) + ceil(z) + round(z);
              output y = clip(h, lo, 2);
              loss L = l2(y, d);
            }"""),
        // version 2: dims (file and model level, in shapes, an index, a window size, as a
        // number), comparisons (printed so that they parse back: looser than + -) and where
        Arguments.of("""
            dim T = 4;
            model Select {
              dim K = T / 2 + 1;
              input x[T] grad; input X[K, T] grad; target d[K];
              param W[K, T]; param b[K]; param s;
              z = W @ x + b * T;
              m = (z > s) + (z <= 0.5) * (x[T - 1] != 0) - (z == b) + (b < s) * (s >= 1);
              h = where(z > 0, z, exp(z) - 1) + where(X >= 0.2, X, s * X) @ x * m;
              output y = softmax(where(b > s, h, -h) + maxpool(repeat(h, K), K));
              loss L = cross_entropy(y, d) + sum(where(X < 0, X ^ 2, 0)) + (s > 0) * s;
            }"""),
        // the rules of issue 12 items 1 and 26: pow's masks, constants to the front, zero vectors
        Arguments.of("""
            model Folded {
              input x[3] grad; input v[12] grad; param W[2, 3]; param e;
              hyper n = 4; hyper lambda = 0.1;
              output y = W @ x;
              loss L = 0.5 / n * sum(x^2) + lambda * norm2(W) + sum(v) + v[0] * 0 + sum(y)
                + sum(pow(abs(x) + 0.5, e)) + sum(pow(2, x) + pow(x, 2));
            }"""),
        // the layout ops at any rank (issue 15): the printed adjoints are pads, reshapes,
        // permutations and subscripts
        Arguments.of("""
            model Layout {
              input X[2, 3] grad; input u[4];
              param P[2, 3]; param Q[3, 4]; param w[4];
              T = stack(P * X, P, axis=1);
              F = reshape(transpose(T, [2, 0, 1]), [3, -1]);
              G = concat(F[:, 1:3], Q[:, -2:], axis=1) + flatten(Q[0:1])[-1];
              H = stack(w, u * w, axis=-1);
              output G;
              loss L = sum(G * G) + sum(T.T[:, :, 0] * X) + sum(H[1:3] * Q[1:3, 0:2])
                + sum(pad(P, [0, 1], [1, 0]) * Q) + Q[2, 1] * w[-1] + sum(w[1:] * u[:3]);
            }"""),
        // the stable forms of issue 12 item 2, and logsumexp's column spread
        Arguments.of("""
            model Stable {
              input z[3] grad; input X[2, 3] grad; param W[3, 3];
              output y = sigmoid(W @ z);
              loss L = -sum(log(y)) + log(sum(exp(z))) + sum(log(sum(exp(X), axis=1)))
                + sum(log(sum(exp(X), axis=0))) + sum(log(1 + exp(W))) + sum(log_sigmoid(X)) + logsumexp(X);
            }"""),
        // version 2's tensors: NumPy broadcasts (whose adjoints sum over the copies, relabelled to
        // shapes with 1s), reductions along inner and negative axes, max/min/mean along an axis
        Arguments.of("""
            model Tensors {
              input X[2, 3, 4] grad; target D[2, 3, 4];
              param w[4]; param K[3, 1]; param H[2, 1, 1]; param Z[1, 3, 1]; param V[3, 4];
              Y = tanh(X * w + K) * H + Z * V;
              output O = sum(Y, axis=1) + mean(Y, axis=-2) + max(Y, axis=1) - min(Y * X, axis=1);
              loss L = l2(Y, D) + sum(logsumexp(Y, axis=0)) + sum(O) + sum(max(Y, axis=-1))
                + sum(log(sum(exp(Y), axis=2)));
            }"""),
        // softmax, log_softmax and their stable forms along an axis; max of every element of a
        // matrix and a rank-3 value (whose mask is not argmax_mask(Z), which is along the last axis)
        Arguments.of("""
            model Axes {
              input X[2, 3, 4] grad; target D[2, 3, 4];
              param W[3, 4];
              output Z = X * W;
              loss L = sum(softmax(Z, axis=0) * D) + sum(log_softmax(Z, axis=1) * D) + sum(softmax(Z) * D)
                + max(Z) + max(W) + cross_entropy(softmax(Z, axis=1), softmax(D, axis=1))
                + sum(log(softmax(Z, axis=-3)) * D);
            }"""),
        // convolutions: the adjoints print as conv2d_input_grad / conv2d_kernel_grad calls
        Arguments.of("""
            model Convolutions {
              input X[2, 6, 5] grad; input S[3, 9] grad;
              param K[3, 2, 3, 2]; param b[3]; param J[2, 3, 3]; param c[2];
              h = tanh(conv2d(X, K, b, stride=2, padding=1, dilation=2));
              g = conv1d(S, J, c, stride=2, padding=1);
              p = sum(maxpool2d(h, 2, stride=1, padding=1) ^ 2) + sum(avgpool2d(h, 2, stride=1) ^ 2);
              q = maxpool1d(g, 2) + avgpool1d(g, 2);
              output y = sum(h * h) + sum(sin(g)) + sum(conv1d(S, J, dilation=3)) + p + sum(q * q)
                + sum(maxpool2d(X, 3, stride=2, padding=1));
              loss L = y;
            }"""),
        // pairs (rows, columns) of stride, padding, dilation and window print back as pairs
        Arguments.of("""
            model RectangularConvolutions {
              input X[2, 7, 6] grad;
              param K[3, 2, 3, 2]; param b[3];
              h = tanh(conv2d(X, K, b, stride=(2, 1), padding=(1, 0), dilation=(1, 2)));
              output y = sum(maxpool2d(h, (2, 1), stride=(1, 2), padding=(1, 0)) ^ 2) + sum(avgpool2d(h, (1, 2)) ^ 2);
              loss L = y;
            }"""),
        // products of stacks (issue 15): attention's scores and mix, whose adjoints are stack
        // products again, of operands transposed at rank 3 and reshaped back from their broadcasts
        Arguments.of("""
            model Attention {
              input x[2, 4, 3] grad; target D[2, 4, 3];
              param Wq[3, 3]; param Wk[3, 3]; param Wv[3, 3]; param B[1, 3, 3];
              q = x @ Wq; k = x @ Wk; v = x @ Wv;
              A = softmax(q @ k.T / 4);
              output Y = A @ v + x @ B;
              loss L = l2(Y, D) + sum(softmax(q @ transpose(k, [0, 2, 1]), axis=1));
            }"""),
        // loops (issue 17): the backward loop prints as a reversed for block over the sequences,
        // the saved states (previous(h)) and the adjoints of collected values
        Arguments.of(Models.ELMAN),
        Arguments.of("""
            model Lstm {
              dim T = 5; dim H = 3;
              input xs[T, 2]; target d[2];
              param Wx[4 * H, 2]; param Wh[4 * H, H]; param b[4 * H]; param V[2, H]; param c2[2];
              for x in xs {
                state h[H] = 0;
                state c[H] = 0;
                z = Wx @ x + Wh @ h + b;
                i = sigmoid(z[0:H]);  f = sigmoid(z[H:2*H]);  g = tanh(z[2*H:3*H]);  o = sigmoid(z[3*H:]);
                c = f * c + i * g;
                h = o * tanh(c);
                collect hs = h;
              }
              output Y = softmax(V @ h + c2);
              loss L = cross_entropy(Y, d) + 0.01 * sum(hs * hs);
            }"""),
        Arguments.of("""
            model StackedGru {
              dim T = 4; dim H = 2;
              input xs[T, 3] grad; target D[T, H];
              param Wz[H, 3]; param Uz[H, H]; param Wn[H, 3]; param Un[H, H]; param h0[H];
              param W2[H, H]; param U2[H, H];
              for x in xs {
                state h[H] = h0;
                z = sigmoid(Wz @ x + Uz @ h);
                n = tanh(Wn @ x + z * (Un @ h));
                h = (1 - z) * n + z * h;
                collect hs = h;
              }
              for e in reverse(hs) {
                state g[H] = 0;
                g = tanh(W2 @ e + U2 @ g);
                collect gs = g;
              }
              output Y = gs;
              loss L = sum((gs - D) ^ 2) + sum(h * g);
            }"""),
        Arguments.of("""
            model TwoSequencesAndSwappedStates {
              dim T = 3;
              input xs[T, 2]; input ys[T, 2] grad; target d;
              param W[2, 2]; param s;
              for x in xs, y in ys {
                state a[2] = 0;
                state q[2] = 1;
                state total = s;
                keep = a;
                a = q * tanh(W @ x);
                q = keep + y;
                total = total * s + sum(a * y);
              }
              output out = total + sum(q);
              loss L = (out - d) ^ 2;
            }"""));
  }

  @ParameterizedTest
  @MethodSource("models")
  void printedProgramParsesBackToTheSameNumbers(String source) {
    Compiled c = Compiled.of(source, 1, 5, -1, 1);
    String text = GradText.render(ProgramLayout.of(c.derivation.program(), null));
    StringBuilder statements = new StringBuilder();
    text.lines().filter(l -> !l.startsWith("#")).forEach(l -> statements.append("  ").append(l).append('\n'));
    int close = source.lastIndexOf('}');
    String extended = source.substring(0, close) + statements + "}\n";

    Frontend.Result back = Frontend.run(new Source("back.nn", extended));
    // The printed lines reach neither loss nor output: warnings about them are expected.
    assertThat(back.diagnostics().errors()).as(extended).extracting(DiagnosticRenderer::render).isEmpty();
    CheckedModel m = back.models().getFirst();
    Evaluator reference = c.evaluator();
    Evaluator parsed = c.evaluator(); // the parsed-back model has the same leaves, by name
    for (ProgramLayout.Line line : ProgramLayout.of(c.derivation.program(), null).lines()) {
      if (line.kind() != ProgramLayout.Kind.GRADIENT) {
        continue;
      }
      String name = line.value() == null ? null : c.model.labels().get(line.value());
      double[] expected = reference.value(c.derivation.program().gradients().get(name), 0);
      double[] actual = parsed.value(m.values().get(line.name()), 0);
      assertThat(Compiled.worstError(actual, expected)).as(line.name() + " in\n" + text).isLessThan(1e-12);
    }
  }
}
