package dev.nabla.compiler.graph;

import java.util.List;

/**
 * Spreads a value over a larger shape by copying it along some axes. The input is read as the
 * shape {@link #aligned} (the output's rank; each dim the output's or 1, with the input's element
 * count and row-major layout) and copied along its dims of 1. Version 1's kinds keep their own
 * names, printing and code: a scalar to any shape ({@link Kind#SCALAR}), {@code [n]} to
 * {@code [m, n]} (each row a copy, {@code expand(v, m, n)}, {@link Kind#ROWS}) or {@code [m]} to
 * {@code [m, n]} (each column a copy, {@code expand(v, n, m).T}, {@link Kind#COLUMNS}). Every
 * other spread is {@link Kind#GENERAL}: NumPy's broadcasting ({@code [4]} to {@code [2, 3, 4]},
 * {@code expand(v, 2, 3, 4)}) and the copy along one inner axis that is the adjoint of a sum
 * along it ({@code [2, 4]} to {@code [2, 3, 4]}, {@code expand(v, 2, 3, 4, axis=1)}). Its own
 * derivative is the sum over the copies.
 */
public record Broadcast(Kind kind, Shape to, Shape aligned) implements Op {
  /** Its name in the language (printed derivative programs call it; its toString names the kind). */
  public static final String NAME = "expand";

  public enum Kind {
    SCALAR,
    ROWS,
    COLUMNS,
    GENERAL
  }

  public Broadcast {
    if (aligned.rank() != to.rank()) {
      throw new IllegalStateException("internal: broadcast of " + aligned + " to " + to);
    }
    for (int k = 0; k < to.rank(); k++) {
      if (aligned.dim(k) != 1 && aligned.dim(k) != to.dim(k)) {
        throw new IllegalStateException("internal: broadcast of " + aligned + " to " + to);
      }
    }
  }

  /** One of version 1's kinds, whose aligned shape follows from the kind. */
  public Broadcast(Kind kind, Shape to) {
    this(kind, to, alignedFor(kind, to));
  }

  private static Shape alignedFor(Kind kind, Shape to) {
    return switch (kind) {
      case SCALAR -> Shape.SCALAR.padded(to.rank());
      case ROWS -> Shape.of(1, to.dim(1));
      case COLUMNS -> Shape.of(to.dim(0), 1);
      case GENERAL -> throw new IllegalStateException("internal: a general broadcast needs its aligned shape");
    };
  }

  /**
   * The broadcast that takes {@code from} to {@code to} by NumPy's rules (a v1 kind where one
   * applies, so that v1 models keep their code), or null if {@code from} does not spread to
   * {@code to}.
   */
  public static Broadcast numpy(Shape from, Shape to) {
    if (from.isScalar()) {
      return new Broadcast(Kind.SCALAR, to);
    }
    if (from.rank() == 1 && to.rank() == 2 && to.dim(1) == from.dim(0)) {
      return new Broadcast(Kind.ROWS, to);
    }
    if (from.rank() > to.rank() || !to.broadcastsFrom(from)) {
      return null;
    }
    return new Broadcast(Kind.GENERAL, to, from.padded(to.rank()));
  }

  /**
   * The copy along {@code axis} that takes {@code to} without that axis to {@code to}: the
   * adjoint of a sum along it (a v1 kind where one applies).
   */
  public static Broadcast alongAxis(Shape to, int axis) {
    if (to.rank() == 1) {
      return new Broadcast(Kind.SCALAR, to);
    }
    if (to.rank() == 2) {
      return new Broadcast(axis == 0 ? Kind.ROWS : Kind.COLUMNS, to);
    }
    return new Broadcast(Kind.GENERAL, to, to.with(axis, 1));
  }

  /** Whether this is NumPy's broadcast of {@code from}, which an elementwise op does by itself. */
  public boolean isNumpy(Shape from) {
    return aligned.equals(from.padded(to.rank()));
  }

  /** Whether this copies along {@code axis} and nowhere else. */
  public boolean copiesOnlyAlong(int axis) {
    for (int k = 0; k < to.rank(); k++) {
      if ((aligned.dim(k) == to.dim(k)) == (k == axis) && to.dim(k) != 1) {
        return false;
      }
    }
    return aligned.dim(axis) == 1;
  }

  @Override
  public Shape shape(List<Shape> inputs) {
    if (!withoutOnes(inputs.get(0)).equals(withoutOnes(aligned))) {
      throw Op.badShapes("broadcast of " + aligned + " to " + to, inputs);
    }
    return to;
  }

  /**
   * A shape's dims other than 1. The input and the aligned shape agree on them (so that code
   * generation can read one as the other axis by axis, {@code Ix.Nd.read}).
   */
  private static List<Integer> withoutOnes(Shape s) {
    return s.dims().stream().filter(d -> d != 1).toList();
  }

  @Override
  public double[] eval(List<double[]> inputs, List<Shape> inputShapes, Shape out) {
    double[] x = inputs.get(0);
    double[] y = new double[to.size()];
    int[] strides = sourceStrides(aligned);
    for (int i = 0; i < y.length; i++) {
      y[i] = x[sourceIndex(i, to, strides)];
    }
    return y;
  }

  /**
   * The strides of a value read as {@code aligned}, 0 along its dims of 1 (so that moving along
   * a copied axis stays on one element).
   */
  static int[] sourceStrides(Shape aligned) {
    int[] s = new int[aligned.rank()];
    for (int k = 0; k < s.length; k++) {
      s[k] = aligned.dim(k) == 1 ? 0 : aligned.stride(k);
    }
    return s;
  }

  /** The source element of output element {@code i} of shape {@code out}, for {@link #sourceStrides}. */
  static int sourceIndex(int i, Shape out, int[] strides) {
    int source = 0;
    int rest = i;
    for (int k = out.rank() - 1; k >= 0; k--) {
      int d = out.dim(k);
      source += (rest % d) * strides[k];
      rest /= d;
    }
    return source;
  }

  @Override
  public List<Node> vjp(Graph g, Node y, Node dy) {
    return List.of(
        switch (kind) {
          case SCALAR -> g.sum(dy);
          case ROWS -> g.sumAxis(dy, 0);
          case COLUMNS -> g.sumAxis(dy, 1);
          case GENERAL -> g.sumCopies(dy, aligned, y.input(0).shape());
        });
  }

  @Override
  public Traits traits() {
    return Traits.PLAIN;
  }

  @Override
  public String toString() {
    if (kind == Kind.GENERAL) {
      return "broadcast " + aligned + " to " + to;
    }
    return "broadcast_" + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + to;
  }
}
