package dev.nabla.compiler.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * NumPy's {@code matmul} where an operand has rank 3 or more: a stack of matrix products.
 * Each operand is a stack (its leading dims) of one matrix view ({@link View}); the stacks
 * broadcast by NumPy's rules, and product {@code s} of the result is
 * {@code A'(s) [m, k] · B'(s) [k, n]}. {@code [h, T, d] @ [h, d, T] -> [h, T, T]},
 * {@code [h, T, d] @ [d, e] -> [h, T, e]}, {@code [k] @ [h, k, n] -> [h, n]}. Products of
 * operands of rank 2 or less are {@link MatMul} (version 1's op, unchanged).
 *
 * <p>The views make the adjoints products of the same kind, with no transpose or reshape node:
 * dA' = dC' · B'ᵀ and dB' = A'ᵀ · dC', where transposing a view only relabels the same array
 * ({@link View#transposed}); each adjoint is then summed over the stack dims its operand was
 * broadcast along ({@link Graph#unbroadcast}).
 *
 * @param left how the left operand's last axes are read as A' [m, k]
 * @param right how the right operand's last axes are read as B' [k, n]
 */
public record StackMatMul(View left, View right) implements Op {
  /**
   * How an operand's last axes are read as a matrix: its own last two axes ({@code MATRIX}),
   * those swapped ({@code TRANSPOSED}), or its last axis as one row {@code [1, c]}
   * ({@code ROW}) or one column {@code [c, 1]} ({@code COLUMN}). The dims before them are the
   * operand's stack. A vector written with {@code @} is a {@code ROW} on the left and a
   * {@code COLUMN} on the right, as in NumPy.
   */
  public enum View {
    MATRIX,
    TRANSPOSED,
    ROW,
    COLUMN;

    /** The view of the same array that reads the transposed matrix. */
    public View transposed() {
      return switch (this) {
        case MATRIX -> TRANSPOSED;
        case TRANSPOSED -> MATRIX;
        case ROW -> COLUMN;
        case COLUMN -> ROW;
      };
    }

    /** The axes of an operand this view reads as its matrix (the rest are its stack). */
    public int matrixAxes() {
      return this == MATRIX || this == TRANSPOSED ? 2 : 1;
    }

    /** The rows of the matrix read from an operand of shape {@code s}. */
    public int rows(Shape s) {
      int r = s.rank();
      return switch (this) {
        case MATRIX -> s.dim(r - 2);
        case TRANSPOSED, COLUMN -> s.dim(r - 1);
        case ROW -> 1;
      };
    }

    /** The columns of the matrix read from an operand of shape {@code s}. */
    public int cols(Shape s) {
      int r = s.rank();
      return switch (this) {
        case MATRIX, ROW -> s.dim(r - 1);
        case TRANSPOSED -> s.dim(r - 2);
        case COLUMN -> 1;
      };
    }

    /** The stack dims of an operand of shape {@code s}. */
    public Shape stack(Shape s) {
      return new Shape(s.dims().subList(0, s.rank() - matrixAxes()));
    }
  }

  /** The views of {@code a @ b} as written: a vector is a row on the left, a column on the right. */
  public static StackMatMul written(Shape a, Shape b) {
    return new StackMatMul(a.rank() == 1 ? View.ROW : View.MATRIX, b.rank() == 1 ? View.COLUMN : View.MATRIX);
  }

  @Override
  public Shape shape(List<Shape> inputs) {
    Shape out = resultShape(inputs.get(0), inputs.get(1));
    if (out == null) {
      throw Op.badShapes("@", inputs);
    }
    return out;
  }

  /** The result's shape, or null when the inner dims differ or the stacks do not broadcast. */
  public Shape resultShape(Shape a, Shape b) {
    if (a.rank() < left.matrixAxes() || b.rank() < right.matrixAxes()
        || left.cols(a) != right.rows(b) || (left == View.ROW && right == View.COLUMN)) {
      return null;
    }
    Shape stack = Shape.broadcast(left.stack(a), right.stack(b));
    if (stack == null) {
      return null;
    }
    List<Integer> dims = new ArrayList<>(stack.dims());
    if (left != View.ROW) {
      dims.add(left.rows(a));
    }
    if (right != View.COLUMN) {
      dims.add(right.cols(b));
    }
    return new Shape(dims);
  }

  /** The broadcast stack of the result ({@code out} without its matrix axes). */
  public Shape stack(Shape out) {
    int matrix = (left == View.ROW ? 0 : 1) + (right == View.COLUMN ? 0 : 1);
    return new Shape(out.dims().subList(0, out.rank() - matrix));
  }

  /**
   * For each axis of the broadcast stack {@code stack}, the step in an operand's array between
   * one index of that axis and the next: 0 where the operand is broadcast along it (NumPy's
   * alignment at the last axis; missing leading dims count as 1).
   */
  public static int[] stackSteps(Shape stack, Shape operandStack, int matrixSize) {
    int[] steps = new int[stack.rank()];
    int step = matrixSize;
    for (int k = stack.rank() - 1, j = operandStack.rank() - 1; k >= 0; k--, j--) {
      int dim = j >= 0 ? operandStack.dim(j) : 1;
      steps[k] = dim == 1 ? 0 : step;
      step *= dim;
    }
    return steps;
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    Shape as = inputShapes.get(0);
    Shape bs = inputShapes.get(1);
    int m = left.rows(as);
    int k = left.cols(as);
    int n = right.cols(bs);
    Shape stack = stack(out);
    int[] aSteps = stackSteps(stack, left.stack(as), m * k);
    int[] bSteps = stackSteps(stack, right.stack(bs), k * n);
    double[] a = inputs.get(0);
    double[] b = inputs.get(1);
    double[] c = new double[out.size()];
    int[] idx = new int[stack.rank()];
    for (int s = 0, count = stack.size(); s < count; s++) {
      int aOff = 0;
      int bOff = 0;
      for (int d = stack.rank() - 1, rest = s; d >= 0; d--) {
        idx[d] = rest % stack.dim(d);
        rest /= stack.dim(d);
        aOff += idx[d] * aSteps[d];
        bOff += idx[d] * bSteps[d];
      }
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double sum = 0;
          for (int p = 0; p < k; p++) {
            sum += a[aOff + element(left, i, p, m, k)] * b[bOff + element(right, p, j, k, n)];
          }
          c[s * m * n + i * n + j] = sum;
        }
      }
    }
    return c;
  }

  /** Where element (i, j) of an {@code [rows, cols]} view lies in its operand's matrix. */
  private static int element(View v, int i, int j, int rows, int cols) {
    return switch (v) {
      case MATRIX -> i * cols + j;
      case TRANSPOSED -> j * rows + i;
      case ROW -> j;
      case COLUMN -> i;
    };
  }

  /** The view that reads a value of this product's result as its [m, n] matrix. */
  private View resultView() {
    return left == View.ROW ? View.ROW : right == View.COLUMN ? View.COLUMN : View.MATRIX;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    Node a = y.input(0);
    Node b = y.input(1);
    View dc = resultView();
    // dA' = dC' · B'ᵀ, and for a transposed A its transpose B' · dC'ᵀ (the array A holds).
    Node da = left == View.TRANSPOSED
        ? g.stackMatMul(b, right, dy, dc.transposed())
        : g.stackMatMul(dy, dc, b, right.transposed());
    // dB' = A'ᵀ · dC', and for a transposed B its transpose dC'ᵀ · A'.
    Node db = right == View.TRANSPOSED
        ? g.stackMatMul(dy, dc.transposed(), a, left)
        : g.stackMatMul(a, left.transposed(), dy, dc);
    return List.of(g.unbroadcast(da, a.shape()), g.unbroadcast(db, b.shape()));
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return "matmul " + left.name().toLowerCase() + " " + right.name().toLowerCase();
  }
}
