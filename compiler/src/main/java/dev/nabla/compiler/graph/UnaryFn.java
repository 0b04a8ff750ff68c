package dev.nabla.compiler.graph;

/**
 * The elementwise functions: each with its forward formula ({@link #apply}) and its local
 * derivative rule ({@link #vjp}: the adjoint {@code dx} of its argument from the adjoint
 * {@code dy} of its result). The subgradient conventions of the language are stated beside each
 * rule; {@link #sourceName} is how the function is written in a {@code .nn} file.
 */
public enum UnaryFn {
  /** -x; dx = -dy. */
  NEG("-") {
    @Override
    public double apply(double x, double p) {
      return -x;
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.neg(dy);
    }
  },
  /** e^x; dx = dy * y (the forward value is reused). */
  EXP("exp") {
    @Override
    public double apply(double x, double p) {
      return Math.exp(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, y);
    }
  },
  /** ln x; dx = dy / x. */
  LOG("log") {
    @Override
    public double apply(double x, double p) {
      return Math.log(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.div(dy, x);
    }
  },
  /** sqrt(x); dx = dy * 0.5 / y. */
  SQRT("sqrt") {
    @Override
    public double apply(double x, double p) {
      return Math.sqrt(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.div(g.mul(g.constant(0.5), dy), y);
    }
  },
  /** |x|; dx = dy * sign(x), so abs'(0) = 0. */
  ABS("abs") {
    @Override
    public double apply(double x, double p) {
      return Math.abs(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, g.unary(SIGN, x));
    }
  },
  /** sin x; dx = dy * cos(x). */
  SIN("sin") {
    @Override
    public double apply(double x, double p) {
      return Math.sin(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, g.unary(COS, x));
    }
  },
  /** cos x; dx = -dy * sin(x). */
  COS("cos") {
    @Override
    public double apply(double x, double p) {
      return Math.cos(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.neg(g.mul(dy, g.unary(SIN, x)));
    }
  },
  /** 1 / (1 + e^-x), computed without overflow; dx = dy * y * (1 - y). */
  SIGMOID("sigmoid") {
    @Override
    public double apply(double x, double p) {
      return sigmoid(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, g.mul(y, g.sub(g.constant(1), y)));
    }
  },
  /** tanh x; dx = dy * (1 - y^2). */
  TANH("tanh") {
    @Override
    public double apply(double x, double p) {
      return Math.tanh(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, g.sub(g.constant(1), g.powc(y, 2)));
    }
  },
  /** max(x, 0) (NaN stays NaN, as Math.max); dx = dy * step(x): relu'(0) = 1, the lecture's choice. */
  RELU("relu") {
    @Override
    public double apply(double x, double p) {
      return Math.max(x, 0.0);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, g.unary(STEP, x));
    }
  },
  /** ln(1 + e^x), as max(x, 0) + ln(1 + e^-|x|); dx = dy * sigmoid(x). */
  SOFTPLUS("softplus") {
    @Override
    public double apply(double x, double p) {
      return softplus(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, g.unary(SIGMOID, x));
    }
  },
  /** x for x >= 0, alpha * x below; dx = dy * (alpha + (1 - alpha) * step(x)). */
  LEAKY_RELU("leaky_relu") {
    @Override
    public double apply(double x, double p) {
      return x >= 0 ? x : p * x;
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      Node slope = g.add(g.constant(p), g.mul(g.constant(1 - p), g.unary(STEP, x)));
      return g.mul(dy, slope);
    }
  },
  /**
   * x for x > 0, alpha * (e^x - 1) otherwise; dx = dy * 1 above 0 and dy * (y + alpha) at or
   * below 0, written {@code dy * (1 + step(-x) * (y + alpha - 1))}.
   */
  ELU("elu") {
    @Override
    public double apply(double x, double p) {
      return x > 0 ? x : p * Math.expm1(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      Node atOrBelowZero = g.unary(STEP, g.neg(x));
      Node slope =
          g.add(g.constant(1), g.mul(atOrBelowZero, g.add(y, g.constant(p - 1))));
      return g.mul(dy, slope);
    }
  },
  /** x^p for a constant p; dx = dy * p * x^(p-1). */
  POWC("^") {
    @Override
    public double apply(double x, double p) {
      return p == 2 ? x * x : Math.pow(x, p);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, g.mul(g.constant(p), g.powc(x, p - 1)));
    }
  },
  /** 1 where x >= 0, else 0: piecewise constant, no gradient flows. */
  STEP("step") {
    @Override
    public double apply(double x, double p) {
      return x >= 0 ? 1 : 0;
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return null;
    }
  },
  /** -1, 0 or 1: piecewise constant, no gradient flows. */
  SIGN("sign") {
    @Override
    public double apply(double x, double p) {
      return Math.signum(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return null;
    }
  };

  private final String sourceName;

  UnaryFn(String sourceName) {
    this.sourceName = sourceName;
  }

  public String sourceName() {
    return sourceName;
  }

  /** Whether the function takes a constant ({@code alpha}, or the exponent of {@code ^}). */
  public boolean hasParameter() {
    return this == LEAKY_RELU || this == ELU || this == POWC;
  }

  /** True for functions whose values are only 0 and 1 (masks). */
  public boolean isMask() {
    return this == STEP;
  }

  public abstract double apply(double x, double parameter);

  abstract Node vjp(Graph g, Node x, Node y, Node dy, double parameter);

  /** 1 / (1 + e^-x) without overflow for large |x|. */
  public static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  /** ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|), exact for large |x|. */
  public static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }
}
