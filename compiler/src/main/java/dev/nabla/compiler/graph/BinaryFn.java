package dev.nabla.compiler.graph;

import java.util.Arrays;
import java.util.List;

/**
 * The elementwise functions of two values, {@code y = f(a, b)}, with their forward formula and
 * local derivative rule. The rules give contributions at the output's shape; {@link Binary}
 * sums them back to a broadcast operand's shape. Each declares its name, cost and whether it is
 * a mask in its constructor.
 */
public enum BinaryFn {
  /** a + b; da = dy, db = dy. */
  ADD("+", Cost.SIMPLE, false) {
    @Override
    public double apply(double a, double b) {
      return a + b;
    }

    @Override
    List<Node> vjp(Graph g, Node a, Node b, Node y, Node dy) {
      return List.of(dy, dy);
    }
  },
  /** a - b; da = dy, db = -dy. */
  SUB("-", Cost.SIMPLE, false) {
    @Override
    public double apply(double a, double b) {
      return a - b;
    }

    @Override
    List<Node> vjp(Graph g, Node a, Node b, Node y, Node dy) {
      return List.of(dy, g.neg(dy));
    }
  },
  /** a * b (the lecture's multiplicative combination); da = dy * b, db = dy * a. */
  MUL("*", Cost.SIMPLE, false) {
    @Override
    public double apply(double a, double b) {
      return a * b;
    }

    @Override
    List<Node> vjp(Graph g, Node a, Node b, Node y, Node dy) {
      return List.of(g.mul(dy, b), g.mul(dy, a));
    }
  },
  /** a / b; da = dy / b, db = -dy * y / b. */
  DIV("/", Cost.SIMPLE, false) {
    @Override
    public double apply(double a, double b) {
      return a / b;
    }

    @Override
    List<Node> vjp(Graph g, Node a, Node b, Node y, Node dy) {
      return List.of(g.div(dy, b), g.neg(g.div(g.mul(dy, y), b)));
    }
  },
  /**
   * a^b for any b; da = dy * b * a^(b-1), db = dy * y * log(a), with the limits PyTorch and HIPS
   * autograd give where these formulas would be 0 * inf = NaN: da = 0 where b = 0 (a^0 is
   * constant 1), db = 0 where a = 0 (0^b is constant 0 for {@code b > 0}). Written with |sign(v)|, which
   * is 1 except at v = 0: the exponent b - |sign(b)| is b - 1, or 0 at b = 0 (so da = dy * 0 *
   * a^0); the log's argument a + (1 - |sign(a)|) is a, or 1 at a = 0 (so db = dy * y * log 1).
   * Away from 0 both are the textbook formulas, bit for bit. (At a = 0, {@code b < 0}, y is infinite and
   * db is NaN, as in autograd.)
   */
  POW("pow", Cost.TRANSCENDENTAL, false) {
    @Override
    public double apply(double a, double b) {
      return Math.pow(a, b);
    }

    @Override
    List<Node> vjp(Graph g, Node a, Node b, Node y, Node dy) {
      Node da = g.mul(dy, g.mul(b, g.binary(POW, a, g.sub(b, nonZero(g, b)))));
      Node aOrOne = g.add(a, g.sub(g.constant(1), nonZero(g, a)));
      Node db = g.mul(dy, g.mul(y, g.unary(UnaryFn.LOG, aOrOne)));
      return List.of(da, db);
    }
  },
  /** max(a, b); the gradient goes to a where a >= b: da = dy * ge(a, b), db = dy * (1 - ge(a, b)). */
  MAX("max", Cost.SIMPLE, false) {
    @Override
    public double apply(double a, double b) {
      return a >= b ? a : b;
    }

    @Override
    List<Node> vjp(Graph g, Node a, Node b, Node y, Node dy) {
      Node toA = g.binary(GE, a, b);
      return List.of(g.mul(dy, toA), g.mul(dy, g.sub(g.constant(1), toA)));
    }
  },
  /** min(a, b); the gradient goes to a where {@code a <= b}: {@code da = dy * ge(b, a), db = dy * (1 - ge(b, a))}. */
  MIN("min", Cost.SIMPLE, false) {
    @Override
    public double apply(double a, double b) {
      return a <= b ? a : b;
    }

    @Override
    List<Node> vjp(Graph g, Node a, Node b, Node y, Node dy) {
      Node toA = g.binary(GE, b, a);
      return List.of(g.mul(dy, toA), g.mul(dy, g.sub(g.constant(1), toA)));
    }
  },
  /** 1 where a >= b, else 0: piecewise constant, no gradient flows. */
  GE("ge", Cost.SIMPLE, true) {
    @Override
    public double apply(double a, double b) {
      return a >= b ? 1 : 0;
    }

    @Override
    List<Node> vjp(Graph g, Node a, Node b, Node y, Node dy) {
      return Arrays.asList(null, null);
    }
  },
  // The comparison operators of version 2: 1 where true, else 0, piecewise constant like ge.
  // a >= b is GE itself (printed ge(a, b), as v1's derivative programs print it).
  /** {@code a < b}. */
  LT("<", Cost.SIMPLE, true) {
    @Override
    public double apply(double a, double b) {
      return a < b ? 1 : 0;
    }

    @Override
    List<Node> vjp(Graph g, Node a, Node b, Node y, Node dy) {
      return Arrays.asList(null, null);
    }
  },
  /** {@code a <= b}. */
  LE("<=", Cost.SIMPLE, true) {
    @Override
    public double apply(double a, double b) {
      return a <= b ? 1 : 0;
    }

    @Override
    List<Node> vjp(Graph g, Node a, Node b, Node y, Node dy) {
      return Arrays.asList(null, null);
    }
  },
  /** {@code a > b}. */
  GT(">", Cost.SIMPLE, true) {
    @Override
    public double apply(double a, double b) {
      return a > b ? 1 : 0;
    }

    @Override
    List<Node> vjp(Graph g, Node a, Node b, Node y, Node dy) {
      return Arrays.asList(null, null);
    }
  },
  /** {@code a == b}. */
  EQ("==", Cost.SIMPLE, true) {
    @Override
    public double apply(double a, double b) {
      return a == b ? 1 : 0;
    }

    @Override
    List<Node> vjp(Graph g, Node a, Node b, Node y, Node dy) {
      return Arrays.asList(null, null);
    }
  },
  /** {@code a != b} (1 where either is NaN, as in IEEE arithmetic and NumPy). */
  NE("!=", Cost.SIMPLE, true) {
    @Override
    public double apply(double a, double b) {
      return a != b ? 1 : 0;
    }

    @Override
    List<Node> vjp(Graph g, Node a, Node b, Node y, Node dy) {
      return Arrays.asList(null, null);
    }
  };

  private final String sourceName;
  private final int cost;
  private final boolean mask;

  /**
   * @param sourceName the operator or function name in a {@code .nn} file
   * @param cost what one element costs ({@link Cost})
   * @param mask whether its values are only 0 and 1 (so that m * m = m)
   */
  BinaryFn(String sourceName, int cost, boolean mask) {
    this.sourceName = sourceName;
    this.cost = cost;
    this.mask = mask;
  }

  public int cost() {
    return cost;
  }

  public boolean isMask() {
    return mask;
  }

  /** The operator ({@code +}) or function name ({@code max}) in {@code .nn} syntax. */
  public String sourceName() {
    return sourceName;
  }

  /** Written as an infix operator rather than a call. */
  public boolean isOperator() {
    return this == ADD || this == SUB || this == MUL || this == DIV || isComparison();
  }

  /** The comparison operators {@code < <= > == !=}, which bind looser than {@code + -}. */
  public boolean isComparison() {
    return this == LT || this == LE || this == GT || this == EQ || this == NE;
  }

  public abstract double apply(double a, double b);

  /** |sign(v)|: 0 where v = 0, else 1 (NaN stays NaN). */
  private static Node nonZero(Graph g, Node v) {
    return g.unary(UnaryFn.ABS, g.unary(UnaryFn.SIGN, v));
  }

  abstract List<Node> vjp(Graph g, Node a, Node b, Node y, Node dy);
}
