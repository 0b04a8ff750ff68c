package dev.nabla.compiler.print;

/** Models whose derivative programs are pinned by golden tests. */
final class Models {
  private Models() {}

  /** The first example of the language specification, verbatim. */
  static final String DIGITS =
      """
      # Two-layer perceptron for 8x8 digit images (64 pixels, 10 classes).
      model Digits {
        input  x[64];                 # one instance
        target d[10];                 # its desired output (one-hot)

        param  W1[32, 64] = he;       # weights of layer 1
        param  b1[32]     = zeros;
        param  W2[10, 32] = xavier;
        param  b2[10]     = zeros;
        hyper  lambda = 1e-4;         # weight-decay strength, settable at run time

        z1 = W1 @ x + b1;
        y1 = relu(z1);
        z2 = W2 @ y1 + b2;
        output Y = softmax(z2);

        loss L = cross_entropy(Y, d) + lambda * norm2(W1);
      }
      """;

  static final String SOFTMAX_CE =
      """
      model Softmax {
        input x[4]; target d[3];
        param W[3, 4]; param b[3];
        z = W @ x + b;
        output Y = softmax(z);
        loss L = cross_entropy(Y, d);
      }
      """;

  static final String SIGMOID_BCE =
      """
      model Logistic {
        input x[4]; target d;
        param w[4]; param b;
        z = w @ x + b;
        output p = sigmoid(z);
        loss L = bce(p, d);
      }
      """;

  /** An Elman RNN over 4 steps (issue 17), its sequence's gradient asked for too. */
  static final String ELMAN =
      """
      model Elman {
        dim T = 4; dim H = 3;
        input xs[T, 2] grad; target d[2];
        param W[H, 2]; param U[H, H]; param b[H]; param V[2, H];
        for x in xs {
          state h[H] = 0;
          h = tanh(W @ x + U @ h + b);
        }
        output y = V @ h;
        loss L = l2(y, d);
      }
      """;
}
