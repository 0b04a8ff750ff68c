package dev.nabla.compiler.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The per-instance shape of a value, of rank 0 to {@link #MAX_RANK}: {@code []} a scalar,
 * {@code [n]} a vector, {@code [m, n]} a matrix, {@code [c, h, w]} an image. Values are stored
 * row-major (the last axis varies fastest).
 */
public record Shape(List<Integer> dims) {
  public static final Shape SCALAR = new Shape(List.of());

  /** The largest rank a value may have (per instance; the batch axis is not counted). */
  public static final int MAX_RANK = 6;

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

  /** The elements between one index of {@code axis} and the next (1 for the last axis). */
  public int stride(int axis) {
    int s = 1;
    for (int k = axis + 1; k < rank(); k++) {
      s *= dim(k);
    }
    return s;
  }

  /** The product of the dims before {@code axis}. */
  public int before(int axis) {
    int s = 1;
    for (int k = 0; k < axis; k++) {
      s *= dim(k);
    }
    return s;
  }

  /** This shape without {@code axis} (what a reduction along it leaves). */
  public Shape without(int axis) {
    List<Integer> d = new ArrayList<>(dims);
    d.remove(axis);
    return new Shape(d);
  }

  /** This shape with {@code axis} set to {@code dim}. */
  public Shape with(int axis, int dim) {
    List<Integer> d = new ArrayList<>(dims);
    d.set(axis, dim);
    return new Shape(d);
  }

  /** This shape with a new axis of size {@code dim} inserted at {@code axis}. */
  public Shape inserting(int axis, int dim) {
    List<Integer> d = new ArrayList<>(dims);
    d.add(axis, dim);
    return new Shape(d);
  }

  /** This shape with 1s in front, up to {@code rank} (NumPy's alignment at the last axis). */
  public Shape padded(int rank) {
    List<Integer> d = new ArrayList<>();
    for (int k = rank(); k < rank; k++) {
      d.add(1);
    }
    d.addAll(dims);
    return new Shape(d);
  }

  /**
   * The shape of an elementwise combination under NumPy's broadcasting rules (shapes aligned at
   * their last axis; two dims combine if they are equal or one of them is 1; missing leading dims
   * count as 1), or null when the two shapes do not combine ({@link #mismatchAxis} says where).
   * v1's rules (equal shapes, a scalar with anything, {@code [n]} with {@code [m, n]} row-wise)
   * are special cases.
   */
  public static Shape broadcast(Shape a, Shape b) {
    if (a.equals(b) || b.isScalar()) {
      return a;
    }
    if (a.isScalar()) {
      return b;
    }
    int rank = Math.max(a.rank(), b.rank());
    Shape pa = a.padded(rank);
    Shape pb = b.padded(rank);
    List<Integer> out = new ArrayList<>(rank);
    for (int k = 0; k < rank; k++) {
      int x = pa.dim(k);
      int y = pb.dim(k);
      if (x != y && x != 1 && y != 1) {
        return null;
      }
      out.add(x == 1 ? y : x);
    }
    return new Shape(out);
  }

  /**
   * The first axis (numbered in the broadcast result, of the larger rank) at which {@code a} and
   * {@code b} do not combine, or -1 when they broadcast.
   */
  public static int mismatchAxis(Shape a, Shape b) {
    int rank = Math.max(a.rank(), b.rank());
    Shape pa = a.padded(rank);
    Shape pb = b.padded(rank);
    for (int k = 0; k < rank; k++) {
      int x = pa.dim(k);
      int y = pb.dim(k);
      if (x != y && x != 1 && y != 1) {
        return k;
      }
    }
    return -1;
  }

  /** Whether {@code from} spreads to this shape by NumPy's rules (the result is this shape). */
  public boolean broadcastsFrom(Shape from) {
    return equals(broadcast(from, this));
  }

  @Override
  public String toString() {
    return dims.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
  }
}
