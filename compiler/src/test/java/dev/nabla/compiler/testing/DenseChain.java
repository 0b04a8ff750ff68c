package dev.nabla.compiler.testing;

/** Test models: chains of dense layers, as deep as a test needs. */
public final class DenseChain {
  private DenseChain() {}

  /**
   * A chain of {@code layers} dense layers sharing one W and b: 3,000 make about 20,000 forward
   * operations and, with the derivative, more than the 50,000 limit.
   */
  public static String of(int layers) {
    StringBuilder s = new StringBuilder("model Deep { input x[4]; target d[4]; param W[4, 4]; param b[4]; output Y = x; z0 = x;\n");
    for (int i = 1; i <= layers; i++) {
      s.append("z").append(i).append(" = tanh(W @ z").append(i - 1).append(" + b) * 0.9;\n");
    }
    return s.append("loss L = l2(z").append(layers).append(", d); }\n").toString();
  }
}
