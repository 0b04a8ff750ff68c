package dev.nabla.compiler.codegen;

import dev.nabla.compiler.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * An int expression of generated code, an array index or a count, built as a tree rather than
 * by pasting strings: {@code Ix.I.times(k).plus(Ix.J)} is {@code i * k + j}. It is written
 * ({@link #toString}, which a JavaPoet {@code $L} uses) with the parentheses that Java's
 * precedence needs, and a compound left operand of {@code /} or {@code %} is always
 * parenthesised ({@code (j % 3) % 2}), for a reader's sake.
 */
sealed interface Ix permits Ix.Var, Ix.Lit, Ix.Nd, Ix.Bin {
  /** A local or field of the generated code ({@link Locals}). */
  record Var(String name) implements Ix {
    @Override
    public String toString() {
      return name;
    }
  }

  /** An int literal. */
  record Lit(long value) implements Ix {
    @Override
    public String toString() {
      return String.valueOf(value);
    }
  }

  /**
   * The flat index of an element of {@code shape} given by one index per axis ({@code axes},
   * loop variables or literal 0s), as loops nested per axis produce it: written as {@code
   * ix0 * 12 + ix1 * 4 + ix2}, and kept per axis so that an operand broadcast along some axes
   * is read by dropping their terms ({@link #read}) rather than by dividing the flat index.
   */
  record Nd(List<Ix> axes, Shape shape) implements Ix {
    public Nd {
      axes = List.copyOf(axes);
    }

    /** The flat index, as an expression. */
    Ix flat() {
      Ix sum = null;
      for (int k = 0; k < axes.size(); k++) {
        Ix ax = axes.get(k);
        if (ax.isZero()) {
          continue;
        }
        int stride = shape.stride(k);
        Ix term = stride == 1 ? ax : ax.times(stride);
        sum = sum == null ? term : sum.plus(term);
      }
      return sum == null ? of(0) : sum;
    }

    /**
     * This element's index in a value read as {@code aligned} (this shape's rank, each dim this
     * shape's or 1: the axes of 1 are copies, index 0) whose own shape is {@code actual} (the
     * same dims other than 1s, in the same order).
     */
    Nd read(Shape aligned, Shape actual) {
      List<Ix> kept = new ArrayList<>();
      for (int k = 0; k < aligned.rank(); k++) {
        if (aligned.dim(k) != 1) {
          kept.add(axes.get(k + axes.size() - aligned.rank()));
        }
      }
      List<Ix> out = new ArrayList<>();
      int next = 0;
      for (int k = 0; k < actual.rank(); k++) {
        out.add(actual.dim(k) == 1 ? of(0) : kept.get(next++));
      }
      return new Nd(out, actual);
    }

    @Override
    public boolean isZero() {
      return flat().isZero();
    }

    @Override
    public String toString() {
      return flat().toString();
    }
  }

  /** {@code left op right}, for op one of {@code + - * / %}. */
  record Bin(Ix left, char op, Ix right) implements Ix {
    @Override
    public String toString() {
      return side(left, false) + " " + op + " " + side(right, true);
    }

    private String side(Ix written, boolean right) {
      Ix operand = written instanceof Nd nd ? nd.flat() : written;
      int mine = level(op);
      boolean wrap;
      if (!(operand instanceof Bin b)) {
        wrap = false;
      } else if (!right) {
        wrap = level(b.op) < mine || op == '/' || op == '%';
      } else {
        // a + (b - c) = a + b - c; anything else of equal strength keeps its parentheses
        wrap = level(b.op) < mine || (level(b.op) == mine && op != '+' && op != '*');
      }
      return wrap ? "(" + operand + ")" : operand.toString();
    }

    private static int level(char op) {
      return op == '+' || op == '-' ? 1 : 2;
    }
  }

  static Ix of(long value) {
    return new Lit(value);
  }

  default Ix plus(Ix other) {
    return new Bin(this, '+', other);
  }

  default Ix plus(long other) {
    return plus(of(other));
  }

  default Ix minus(long other) {
    return new Bin(this, '-', of(other));
  }

  default Ix times(long other) {
    return new Bin(this, '*', of(other));
  }

  default Ix div(long other) {
    return new Bin(this, '/', of(other));
  }

  default Ix mod(long other) {
    return new Bin(this, '%', of(other));
  }

  /** Whether this is the literal 0. */
  default boolean isZero() {
    return this instanceof Lit l && l.value() == 0;
  }
}
