package dev.nabla.compiler.check;

import java.util.Locale;

/**
 * How a param starts: {@code zeros}, {@code ones}, {@code const(c)}, {@code uniform(lo, hi)},
 * {@code normal(mean, std)}, {@code xavier} (Glorot uniform) or {@code he} (Kaiming normal,
 * fan-in). Unused arguments are 0.
 */
public record Initializer(Kind kind, double a, double b) {
  public enum Kind {
    ZEROS(0),
    ONES(0),
    CONST(1),
    UNIFORM(2),
    NORMAL(2),
    XAVIER(0),
    HE(0);

    private final int arity;

    Kind(int arity) {
      this.arity = arity;
    }

    public int arity() {
      return arity;
    }

    public String sourceName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The language's default: xavier for a matrix and any higher rank (a conv kernel {@code [O, C,
   * k1, k2]} with PyTorch's fans), zeros for a scalar or a vector (biases).
   */
  public static Initializer defaultFor(int rank) {
    return new Initializer(rank >= 2 ? Kind.XAVIER : Kind.ZEROS, 0, 0);
  }

  @Override
  public String toString() {
    return switch (kind.arity) {
      case 0 -> kind.sourceName();
      case 1 -> kind.sourceName() + "(" + a + ")";
      default -> kind.sourceName() + "(" + a + ", " + b + ")";
    };
  }
}
