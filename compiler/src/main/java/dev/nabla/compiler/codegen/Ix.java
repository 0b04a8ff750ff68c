package dev.nabla.compiler.codegen;

/**
 * An int expression of generated code, an array index or a count, built as a tree rather than
 * by pasting strings: {@code Ix.I.times(k).plus(Ix.J)} is {@code i * k + j}. It is written
 * ({@link #toString}, which a JavaPoet {@code $L} uses) with the parentheses that Java's
 * precedence needs, and a compound left operand of {@code /} or {@code %} is always
 * parenthesised ({@code (j % 3) % 2}), for a reader's sake.
 */
sealed interface Ix {
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

  /** {@code left op right}, for op one of {@code + - * / %}. */
  record Bin(Ix left, char op, Ix right) implements Ix {
    @Override
    public String toString() {
      return side(left, false) + " " + op + " " + side(right, true);
    }

    private String side(Ix operand, boolean right) {
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
