package dev.nabla.compiler.autodiff;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Version 2's tensors of any rank: NumPy broadcasting of every elementwise operator in every
 * pattern (leading dims missing, dims of 1 on either side, both sides spread, rank 4) and the
 * axis reductions on every axis of rank-3 values (negative axes too), checked as
 * {@link DerivativeCheckTest} checks version 1: the reference evaluator's symbolic gradient and
 * the generated double code against central finite differences, and against each other.
 */
class TensorDerivativeCheckTest extends DerivativeChecks {
  static final String DECLARATIONS =
      """
      input X[2, 3, 4]; input Y[2, 3, 4]; input r[4]; input C[3, 1]; input T[2, 1, 4];
      param P[2, 3, 4] = normal(0, 1); param w[4]; param V[3, 4] = normal(0, 1);
      param K[3, 1] = normal(0, 1); param H[2, 1, 1] = normal(0, 1); param s;
      param Z[1, 3, 1] = normal(0, 1); param G[2, 2, 1, 4] = normal(0, 1);
      """;

  static Stream<Arguments> cases() {
    double lo = -1;
    double hi = 1;
    double plo = 0.5;
    double phi = 2;
    return Stream.of(
        // ---- broadcasting: [2, 3, 4] with ...
        Arguments.of("same rank 3", "sum((P + X) * Y) + sum(P * P * X)", lo, hi),
        Arguments.of("[4] (leading dims missing)", "sum((X + w) * Y) + sum((w * X) * Y) + sum((w - P) * X)", lo, hi),
        Arguments.of("[3, 4]", "sum((X * V + V) * Y) + sum((V / (P * P + 1)) * X)", lo, hi),
        Arguments.of("[3, 1] (a column, copied along the last axis)", "sum((X * K) * Y) + sum((K - X) * Y)", lo, hi),
        Arguments.of("[2, 1, 1]", "sum((X + H) * Y) + sum(H * P * X)", lo, hi),
        Arguments.of("[1, 3, 1]", "sum((Z * X) * Y)", lo, hi),
        Arguments.of("[2, 1, 4] input with [3, 1] param: both spread", "sum((T * K) * X) + sum((K + T) * Y)", lo, hi),
        Arguments.of("[3, 1] with [4]: a matrix from a column and a row", "sum((K * w) * V) + sum((K + w) * V)", lo, hi),
        Arguments.of("rank 4 with rank 3 and [4]", "sum((G * P) * X) + sum((G + w) * G) + sum(G * T)", lo, hi),
        Arguments.of("scalar with rank 3", "sum((s * X + s) * Y)", lo, hi),
        Arguments.of("division by a broadcast", "sum(X / (K * K + 1)) + sum(P / (w * w + 1))", lo, hi),
        Arguments.of("max and min broadcast", "sum(max(X, K) * Y) + sum(min(P, w) * X)", lo, hi),
        Arguments.of("pow broadcast", "sum(pow(P * P + 1, w) * X)", lo, hi),
        Arguments.of("chained elementwise over broadcasts", "sum(tanh(X * w + K) * sigmoid(P - H) * Y)", lo, hi),
        Arguments.of("expand to rank 3", "sum(expand(w, 2, 3, 4) * X) + sum(expand(K, 2, 3, 4) * Y)", lo, hi),
        Arguments.of("expand along an inner axis", "sum(expand(sum(P, axis=1), 2, 3, 4, axis=1) * X)", lo, hi),
        // ---- reductions along every axis of a rank-3 value
        Arguments.of("sum axis 0", "sum(sum(P * X, axis=0) * V)", lo, hi),
        Arguments.of("sum axis 1", "sum(sum(P * X, axis=1) * sum(Y, axis=1))", lo, hi),
        Arguments.of("sum axis 2", "sum(sum(P * X, axis=2) * sum(Y, axis=2))", lo, hi),
        Arguments.of("sum axis -1 and -3", "sum(sum(P * X, axis=-1) * sum(V, axis=1)) + sum(sum(P, axis=-3) * V)", lo, hi),
        Arguments.of("sum of a vector along axis 0", "sum(w * r, axis=0) * s", lo, hi),
        Arguments.of("sum along an axis of a broadcast", "sum(sum(X * w, axis=1) * sum(Y, axis=1))", lo, hi),
        Arguments.of("logsumexp axis 0", "sum(logsumexp(P * X, axis=0) * V)", lo, hi),
        Arguments.of("logsumexp axis 1", "sum(logsumexp(P * X, axis=1) * sum(Y, axis=1))", lo, hi),
        Arguments.of("logsumexp axis -1", "sum(logsumexp(P * X, axis=-1) * sum(V, axis=-1))", lo, hi),
        Arguments.of("logsumexp all of rank 3", "logsumexp(P * X) * s", lo, hi),
        Arguments.of("log of sum of exp along axis 1", "sum(log(sum(exp(P * X), axis=1)) * sum(Y, axis=1))", lo, hi),
        Arguments.of("max axis 0", "sum(max(P * X, axis=0) * V)", lo, hi),
        Arguments.of("max axis 1", "sum(max(P * X, axis=1) * sum(Y, axis=1))", lo, hi),
        Arguments.of("max axis 2", "sum(max(P + X, axis=2) * sum(Y, axis=2))", lo, hi),
        Arguments.of("min axis -1 and -2", "sum(min(P * X, axis=-1) * sum(V, axis=1)) + sum(min(P, axis=-2) * sum(Y, axis=1))", lo, hi),
        Arguments.of("max and min of a matrix along each axis", "sum(max(V * V, axis=0) * w) + sum(min(V, axis=1) * sum(K, axis=1))", lo, hi),
        Arguments.of("a mean along the last axis spread back (layer norm's centring)", "sum((X - expand(mean(X * P, axis=-1), 2, 3, 4, axis=2)) ^ 2 * Y)", lo, hi),
        Arguments.of("max and min of a vector along axis 0", "max(w * r, axis=0) + min(w * r, axis=-1) * s", lo, hi),
        Arguments.of("mean axis 0, 1, -1", "sum(mean(P * X, axis=0) * V) + sum(mean(P, axis=1) * sum(Y, axis=1)) + sum(mean(P * Y, axis=-1) * sum(V, axis=1))", lo, hi),
        Arguments.of("argmax_mask along an axis (piecewise constant)", "sum(argmax_mask(X, axis=1) * P)", lo, hi),
        Arguments.of("sum of rank 3 and rank 4", "sum(P * X) * s + sum(G * G) * s", lo, hi),
        Arguments.of("mean of rank 3", "mean(P * X) * s", lo, hi),
        Arguments.of("norm2 of rank 3 and 4", "norm2(P) * s + norm2(G)", lo, hi),
        Arguments.of("max and min of rank 3", "max(P * X) + min(P * Y)", lo, hi),
        Arguments.of("divergences of rank 3", "l2(P, X) + kl(exp(P) / sum(exp(P)), exp(X) / sum(exp(X)))", lo, hi),
        Arguments.of("bce of sigmoid at rank 3", "bce(sigmoid(P), sigmoid(X))", lo, hi),
        Arguments.of("cross_entropy at rank 3", "cross_entropy(exp(P) / sum(exp(P)), exp(X) / sum(exp(X)))", lo, hi),
        Arguments.of("log at rank 3 with broadcast", "sum(log(P * P + K * K + 0.5) * X)", plo, phi),
        // ---- comparisons and where, every operand broadcast
        Arguments.of("where: [3, 1] condition, rank-3 and [4] branches", "sum(where(K > 0, X * P, w) * Y)", lo, hi),
        Arguments.of("where: all three operands spread", "sum(where(T > 0, K, w) * X) + sum(where(Z, H * P, s) * Y)", lo, hi),
        Arguments.of("where: a scalar condition", "sum(where(s > 0, P, V) * X)", lo, hi),
        Arguments.of("where guards a log at rank 3", "sum(where(P > 0, log(P), P * w) * X)", lo, hi),
        Arguments.of("comparisons at rank 3, broadcast", "sum(((X < w) + (K >= X) + (P == P) + (H != P) + (V <= P) + (P > Z)) * P * Y)", lo, hi));
  }

  /** Models that scripts/torch-crosscheck.sh compares with PyTorch (test resources, crosscheck/). */
  static Stream<String> crossCheckModels() {
    return Stream.of("broadcast.nn", "rank4.nn", "conv.nn", "pool.nn", "conv-pairs.nn");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crossCheckModels")
  void theModelsCrossCheckedWithPyTorchPassTheFiniteDifferenceCheck(String file) throws IOException {
    try (InputStream in = TensorDerivativeCheckTest.class.getResourceAsStream("/crosscheck/" + file)) {
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      generated(file, source, -1, 1);
    }
  }

  @Override
  String source(String loss) {
    return "model T {\n" + DECLARATIONS + "loss L = " + loss + ";\noutput L;\n}\n";
  }
}
