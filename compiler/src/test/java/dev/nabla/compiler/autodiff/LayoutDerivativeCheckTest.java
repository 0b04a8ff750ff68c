package dev.nabla.compiler.autodiff;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The layout operations at any rank (issue 15: transpose and permutations, reshape and flatten,
 * indexing and slicing on every axis, concat and stack along every axis, pad): every op and axis
 * combination through {@link DerivativeChecks}, the reference evaluator's
 * symbolic gradient and the generated double code against finite differences. Values of rank 3
 * and 4 are made with stack and reshape from the declared rank-2 ones.
 */
class LayoutDerivativeCheckTest {
  private static final String DECLARATIONS =
      """
      input X[2, 3]; input Z[3, 4]; input u[4]; input V[2, 3, 4];
      param P[2, 3]; param Q[3, 4]; param K[4, 3]; param w[4]; param s; param R[2, 3, 4];
      """;

  static Stream<Arguments> cases() {
    return Stream.of(
        // ---- .T and transpose(a, perm)
        Arguments.of(".T of rank 3", "sum(reshape(Q, [2, 3, 2]).T * reshape(Z, [2, 2, 3]))"),
        Arguments.of("transpose [2, 0, 1]", "sum(transpose(reshape(Q, [3, 2, 2]), [2, 0, 1]) * reshape(Z, [2, 3, 2]))"),
        Arguments.of("transpose [1, 0, 2]", "sum(transpose(stack(P, P * X), [1, 0, 2]) * stack(X, X * X, axis=1))"),
        Arguments.of("transpose negative axes", "sum(transpose(stack(P, X), [-1, 0, -2]) * reshape(Z, [3, 2, 2]))"),
        Arguments.of("transpose rank 4", "sum(transpose(reshape(Q, [1, 2, 3, 2]), [3, 1, 0, 2]) * reshape(Z, [2, 2, 1, 3]))"),
        Arguments.of("transpose without perm", "sum(transpose(reshape(Q, [2, 3, 2])) * reshape(Z, [2, 3, 2]))"),
        Arguments.of("transpose of a matrix", "sum(transpose(P, [1, 0]) * X.T) + sum(transpose(K) * Z)"),
        Arguments.of("transpose of transpose", "sum(transpose(transpose(reshape(Q, [2, 3, 2]), [1, 2, 0]), [2, 0, 1]) * reshape(Z, [2, 3, 2]))"),
        // ---- reshape and flatten (read in place where the input has an array)
        Arguments.of("reshape", "sum(reshape(Q, [6, 2]) * reshape(Z, [6, 2]))"),
        Arguments.of("reshape -1", "sum(reshape(P, [-1]) * reshape(X, [6])) + sum(reshape(Q, [2, -1, 3]) * reshape(Z, [2, 2, 3]))"),
        Arguments.of("reshape to a scalar", "reshape(Q[0:1, 2:3], []) * s + reshape(w[1], [1, 1])[0, 0] * s"),
        Arguments.of("reshape of a computed value", "sum(reshape(Q * Z, [4, 3]) * K)"),
        Arguments.of("reshape then product", "sum((w @ reshape(Q.T, [4, 3])) * u[0:3]) + sum((K @ reshape(P, [3, 2])) * reshape(Z[0:2], [4, 2]))"),
        Arguments.of("flatten", "sum(flatten(Q) * flatten(Z)) + flatten(K.T) @ flatten(Z.T)"),
        // ---- indexing and slicing
        Arguments.of("index a row", "sum(Q[1] * u)"),
        Arguments.of("index negative", "sum(Q[-1] * u) + sum(Q[:, -2] * X[0])"),
        Arguments.of("index two axes", "Q[2, 3] * s + Q[-3, -4] * Q[1, 1]"),
        Arguments.of("index the middle axis of rank 3", "sum(reshape(Q, [2, 3, 2])[:, 1] * X[:, 0:2])"),
        Arguments.of("slice rows", "sum(Q[1:3] * Z[0:2])"),
        Arguments.of("slice columns", "sum(Q[:, 0:3] * Z[:, 1:4])"),
        Arguments.of("slice negative bounds", "sum(Q[:, -2:] * Z[-3:, :2])"),
        Arguments.of("slice both axes", "sum(Q[1:, 1:3] * Z[:2, 2:])"),
        Arguments.of("slice and index at rank 3", "sum(reshape(Q, [3, 2, 2])[1:, 0, -1:] * X[:, 1:2])"),
        Arguments.of("vector index and slice syntax", "sum(w[1:3] * u[2:]) + w[-1] * s + w[:2] @ w[-2:]"),
        // ---- concat and stack along every axis
        Arguments.of("concat axis 0", "sum(concat(P, Q[0:1, 0:3], X * P, axis=0) * concat(X, X[0:1], X))"),
        Arguments.of("concat axis 1", "sum(concat(P, P * X, axis=1) * concat(X, X, axis=-1))"),
        Arguments.of("concat axis 2 of rank 3", "sum(concat(reshape(Q, [2, 2, 3]), stack(P, X), axis=2) * concat(stack(X, X), stack(X, X), axis=-1))"),
        Arguments.of("concat axis 1 of rank 3", "sum(concat(reshape(Q, [2, 2, 3]), stack(P, P), axis=1) * reshape(concat(Z, Z), [2, 4, 3]))"),
        Arguments.of("stack axis 0", "sum(stack(P, X * P) * stack(X, X))"),
        Arguments.of("stack axis 1", "sum(stack(w, u * w, w, axis=1) * reshape(Z, [4, 3]))"),
        Arguments.of("stack axis -1 of matrices", "sum(stack(P, P * P, axis=-1) * stack(X, X, axis=2))"),
        Arguments.of("stack of scalars", "sum(stack(s, s * s, w[0]) * u[0:3])"),
        // ---- declared values of rank 3
        Arguments.of("index and slice rank 3", "sum(R[1] * V[0]) + sum(R[:, -1, 1:3] * V[0, :2, 2:]) + R[1, 2, 3] * s"),
        Arguments.of(".T and transpose rank 3", "sum(R.T * V.T) + sum(transpose(R, [1, 2, 0]) * transpose(V, [1, 2, 0]))"),
        Arguments.of("concat rank 3 axis -2", "sum(concat(R, V * R, axis=-2) * concat(V, V, axis=1))"),
        Arguments.of("stack rank 3 axis 3", "sum(stack(R, V, axis=3) * stack(V, R * R, axis=-1))"),
        Arguments.of("flatten and reshape rank 3", "flatten(R) @ flatten(V) + sum(reshape(R, [4, -1]) * reshape(V, [4, 6]))"),
        Arguments.of("subscripts under broadcasting", "sum((R[:, 0] + P[0, 0:1]) * V[:, 1]) + sum((R[1] * w) * Z)"),
        // ---- pad, the printed adjoint of slicing
        Arguments.of("pad a matrix", "sum(pad(P, [1, 0], [0, 1]) * Z)"),
        Arguments.of("pad with lists of one", "sum(pad(w, [1], [2]) * concat(u, u[0:3]))"));
  }

  private static String source(String loss) {
    return "model T {\n" + DECLARATIONS + "loss L = " + loss + ";\noutput L;\n}\n";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void symbolicGradientMatchesFiniteDifferences(String name, String loss) {
    DerivativeChecks.symbolic(name, source(loss), -1, 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void generatedCodePassesTheFiniteDifferenceCheck(String name, String loss) {
    DerivativeChecks.generated(name, source(loss), -1, 1);
  }
}
