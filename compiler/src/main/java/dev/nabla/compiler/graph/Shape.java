package dev.nabla.compiler.graph;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The per-instance shape of a value: {@code []} a scalar, {@code [n]} a vector, {@code [m, n]} a matrix. */
public record Shape(List<Integer> dims) {
  public static final Shape SCALAR = new Shape(List.of());

  public Shape {
    dims = List.copyOf(dims);
  }

  public static Shape of(int... dims) {
    return new Shape(Arrays.stream(dims).boxed().toList());
  }

  public int rank() {
    return dims.size();
  }

  public int dim(int i) {
    return dims.get(i);
  }

  /** The number of elements (1 for a scalar). */
  public int size() {
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  public boolean isScalar() {
    return dims.isEmpty();
  }

  public int[] toArray() {
    return dims.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The shape of an elementwise combination under the language's broadcasting rules (equal
   * shapes; a scalar with anything; {@code [n]} with {@code [m, n]} row-wise), or null when the
   * two shapes do not combine.
   */
  public static Shape broadcast(Shape a, Shape b) {
    if (a.equals(b) || b.isScalar()) {
      return a;
    }
    if (a.isScalar()) {
      return b;
    }
    if (a.rank() == 1 && b.rank() == 2 && b.dim(1) == a.dim(0)) {
      return b;
    }
    if (b.rank() == 1 && a.rank() == 2 && a.dim(1) == b.dim(0)) {
      return a;
    }
    return null;
  }

  @Override
  public String toString() {
    return dims.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
  }
}
