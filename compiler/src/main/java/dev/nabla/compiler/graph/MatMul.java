package dev.nabla.compiler.graph;

import java.util.List;

/**
 * The matrix product {@code A @ B} in its four forms: {@code [m,k] @ [k] -> [m]},
 * {@code [m,k] @ [k,n] -> [m,n]}, {@code [k] @ [k,n] -> [n]} and {@code [k] @ [k] -> []}.
 *
 * <p>Derivatives (the lecture's affine rules fall out of the first form: with z = W y,
 * dL/dy = W^T dL/dz and dL/dW = outer(dL/dz, y)):
 *
 * <ul>
 *   <li>{@code [m,k] @ [k]}: dA = outer(dC, b), db = A.T @ dC
 *   <li>{@code [m,k] @ [k,n]}: dA = dC @ B.T, dB = A.T @ dC
 *   <li>{@code [k] @ [k,n]}: da = B @ dC, dB = outer(a, dC)
 *   <li>{@code [k] @ [k]}: da = dC * b, db = dC * a
 * </ul>
 */
public record MatMul() implements Op {
  @Override
  public Shape shape(List<Shape> inputs) {
    Shape out = resultShape(inputs.get(0), inputs.get(1));
    if (out == null) {
      throw Op.badShapes("@", inputs);
    }
    return out;
  }

  /** The shape of {@code a @ b}, or null when the shapes do not multiply (the checker's test). */
  public static Shape resultShape(Shape a, Shape b) {
    if (a.rank() == 2 && b.rank() == 1 && a.dim(1) == b.dim(0)) {
      return Shape.of(a.dim(0));
    }
    if (a.rank() == 2 && b.rank() == 2 && a.dim(1) == b.dim(0)) {
      return Shape.of(a.dim(0), b.dim(1));
    }
    if (a.rank() == 1 && b.rank() == 2 && a.dim(0) == b.dim(0)) {
      return Shape.of(b.dim(1));
    }
    if (a.rank() == 1 && b.rank() == 1 && a.dim(0) == b.dim(0)) {
      return Shape.SCALAR;
    }
    return null;
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    Shape as = inputShapes.get(0);
    Shape bs = inputShapes.get(1);
    // Treat a vector on the left as [1, k] and on the right as [k, 1].
    int m = as.rank() == 2 ? as.dim(0) : 1;
    int k = as.rank() == 2 ? as.dim(1) : as.dim(0);
    int n = bs.rank() == 2 ? bs.dim(1) : 1;
    double[] a = inputs.get(0);
    double[] b = inputs.get(1);
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        double aip = a[i * k + p];
        for (int j = 0; j < n; j++) {
          c[i * n + j] += aip * b[p * n + j];
        }
      }
    }
    return c;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    Node a = y.input(0);
    Node b = y.input(1);
    int ra = a.shape().rank();
    int rb = b.shape().rank();
    if (ra == 2 && rb == 1) {
      return List.of(g.outer(dy, b), g.matmul(g.transpose(a), dy));
    }
    if (ra == 2) {
      return List.of(g.matmul(dy, g.transpose(b)), g.matmul(g.transpose(a), dy));
    }
    if (rb == 2) {
      return List.of(g.matmul(b, dy), g.outer(a, dy));
    }
    return List.of(g.mul(dy, b), g.mul(dy, a));
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return "matmul";
  }
}
