package dev.nabla.compiler.graph;

import java.util.List;

/**
 * {@code transpose(a, [2, 0, 1])}: axis k of the result is axis {@code perm[k]} of a (NumPy's
 * rule), and {@code A.T} of a rank >= 3 value (the last two axes swapped; a matrix's {@code .T}
 * is {@link Transpose}). da = transpose(dy, inverse(perm)).
 */
public record Permute(List<Integer> perm) implements Op {
  /** Its name in the language: the built-in that makes it, and how it is printed. */
  public static final String NAME = "transpose";

  public Permute {
    perm = List.copyOf(perm);
  }

  @Override
  public Shape shape(List<Shape> inputs) {
    Shape a = inputs.get(0);
    if (a.rank() != perm.size()) {
      throw Op.badShapes(NAME + " " + perm, inputs);
    }
    return new Shape(perm.stream().map(a::dim).toList());
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] y = new double[out.size()];
    Strides.copy(out.toArray(), inputs.get(0), 0, sourceStrides(inputShapes.get(0)), y, 0, Strides.of(out));
    return y;
  }

  /** For each axis of the result, the stride of the input axis it reads. */
  public int[] sourceStrides(Shape input) {
    int[] in = Strides.of(input);
    int[] s = new int[perm.size()];
    for (int k = 0; k < s.length; k++) {
      s[k] = in[perm.get(k)];
    }
    return s;
  }

  /** The permutation that undoes this one. */
  public List<Integer> inverse() {
    Integer[] inv = new Integer[perm.size()];
    for (int k = 0; k < inv.length; k++) {
      inv[perm.get(k)] = k;
    }
    return List.of(inv);
  }

  /** Whether this swaps the last two axes and keeps the others: what {@code .T} writes. */
  public boolean swapsLastTwo() {
    int r = perm.size();
    for (int k = 0; k < r - 2; k++) {
      if (perm.get(k) != k) {
        return false;
      }
    }
    return r >= 2 && perm.get(r - 2) == r - 1 && perm.get(r - 1) == r - 2;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return List.of(g.permute(dy, inverse()));
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    return NAME + " " + perm;
  }
}
