package dev.nabla.compiler.codegen;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * {@link GeneratedModelTest}'s checks (finite differences of the generated double code, the
 * reference evaluator, float against double, the batch mean) on {@code @} with an operand of
 * rank 3 or more, in every combination of ranks, shared and per-instance operands, broadcast
 * stacks and transposed operands.
 */
class StackProductModelsTest extends GeneratedModelTest {
  static Stream<Arguments> models() {
    return Stream.of(
        model("[h,m,k] @ [h,k,n], both per instance", "input A[2, 3, 4]; input B[2, 4, 5];", "(A * P) @ B", "[2, 3, 5]",
            "param P[2, 3, 4] = uniform(-1, 1);"),
        model("[h,m,k] @ [h,k,n], shared right", "input A[2, 3, 4];", "A @ P", "[2, 3, 5]",
            "param P[2, 4, 5] = uniform(-1, 1);"),
        model("[h,m,k] @ [k,n] (the right broadcast over the stack)", "input A[2, 3, 4];", "A @ P", "[2, 3, 5]",
            "param P[4, 5] = uniform(-1, 1);"),
        model("[m,k] @ [h,k,n] (the left broadcast over the stack)", "input A[3, 4];", "A @ P", "[2, 3, 5]",
            "param P[2, 4, 5] = uniform(-1, 1);"),
        model("[m,k] per instance @ [h,k,n] per instance", "input A[3, 4]; input B[2, 4, 5];", "(A * P) @ B", "[2, 3, 5]",
            "param P[3, 4] = uniform(-1, 1);"),
        model("[h,1,m,k] @ [g,k,n] (stacks broadcast both ways)", "input A[2, 1, 3, 4];", "A @ P", "[2, 3, 3, 5]",
            "param P[3, 4, 5] = uniform(-1, 1);"),
        model("[k] @ [h,k,n] (a vector on the left)", "input A[2, 4, 5];", "P @ A", "[2, 5]",
            "param P[4] = uniform(-1, 1);"),
        model("[h,m,k] @ [k] (a vector on the right)", "input A[2, 3, 4];", "A @ P", "[2, 3]",
            "param P[4] = uniform(-1, 1);"),
        model("[h,m,k] @ [k,n].T (a transposed matrix)", "input A[2, 3, 4];", "A @ P.T", "[2, 3, 5]",
            "param P[5, 4] = uniform(-1, 1);"),
        model("[m,k].T @ [h,m,n] (a transposed per-instance matrix)", "input A[4, 3]; input B[2, 4, 5];", "(A * P).T @ B",
            "[2, 3, 5]", "param P[4, 3] = uniform(-1, 1);"),
        model("[b,h,m,k] @ [b,h,k,n] (rank 4, both params)", "input A[2, 2, 3, 5];", "(P @ Q) * A", "[2, 2, 3, 5]",
            "param P[2, 2, 3, 4] = uniform(-1, 1); param Q[2, 2, 4, 5] = uniform(-1, 1);"),
        model("attention scores [h,T,d] @ [h,d,T], softmax, @ [h,T,d]", "input X[3, 4];",
            "softmax((X @ Wq) @ (Wk @ X.T) / 2) @ (X @ Wv)", "[2, 3, 2]",
            "param Wq[2, 4, 2] = uniform(-1, 1); param Wk[2, 2, 4] = uniform(-1, 1); param Wv[2, 4, 2] = uniform(-1, 1);"),
        model("heads summed: sum([h,T,d] @ [h,d,e], axis=0), its adjoint a broadcast read in place", "input X[2, 3, 4];",
            "sum(X @ P, axis=0)", "[3, 5]", "param P[2, 4, 5] = uniform(-1, 1);"),
        model("[h,m,k] @ [h,n,k].T (a transposed stack read in place)", "input A[2, 3, 4]; input B[2, 5, 4];",
            "(A * P) @ B.T + A @ transpose(Q, [0, 2, 1])", "[2, 3, 5]",
            "param P[2, 3, 4] = uniform(-1, 1); param Q[2, 5, 4] = uniform(-1, 1);"),
        model("[b,h,k,m].T @ [h,k,n] (a transposed rank-4 stack, broadcast against a rank-3 one)",
            "input A[2, 2, 4, 3];", "(A * P).T @ Q", "[2, 2, 3, 5]",
            "param P[2, 2, 4, 3] = uniform(-1, 1); param Q[2, 4, 5] = uniform(-1, 1);"),
        model("a broadcast operand read in place", "input X[3, 4];",
            "expand(X, 2, 3, 4) @ P", "[2, 3, 5]", "param P[2, 4, 5] = uniform(-1, 1);"));
  }

  /** A model whose loss weighs every element of {@code product} (of shape {@code shape}) by a target. */
  private static Arguments model(String name, String inputs, String product, String shape, String params) {
    return Arguments.of(name, """
        model S {
          %s target D%s;
          %s
          output Y = %s;
          loss L = sum(Y * D) + sum(Y * Y) / 10;
        }""".formatted(inputs, shape, params, product));
  }
}
