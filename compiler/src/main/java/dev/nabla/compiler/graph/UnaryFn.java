package dev.nabla.compiler.graph;

import dev.nabla.runtime.kernels.Scalars;

/**
 * The elementwise functions: each with its forward formula ({@link #apply}) and its local
 * derivative rule ({@link #vjp}: the adjoint {@code dx} of its argument from the adjoint
 * {@code dy} of its result). The subgradient conventions of the language are stated beside each
 * rule. Each also declares what the other phases need (javac asks for all of it in the
 * constructor): its name in the language, its cost, its LaTeX form, its constant, whether it is
 * a mask. See {@code package-info.java} for the files a new function touches.
 */
public enum UnaryFn {
  /** -x; dx = -dy. */
  NEG("-", Cost.SIMPLE, null) {
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
  EXP("exp", Cost.TRANSCENDENTAL, "\\exp %s") {
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
  LOG("log", Cost.TRANSCENDENTAL, "\\log %s") {
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
  SQRT("sqrt", Cost.TRANSCENDENTAL, "\\sqrt{%s}") {
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
  ABS("abs", Cost.SIMPLE, "\\left|%s\\right|") {
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
  SIN("sin", Cost.TRANSCENDENTAL, "\\sin %s") {
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
  COS("cos", Cost.TRANSCENDENTAL, "\\cos %s") {
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
  SIGMOID("sigmoid", Cost.TRANSCENDENTAL, "\\sigma\\left(%s\\right)") {
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
  TANH("tanh", Cost.TRANSCENDENTAL, "\\tanh %s") {
    @Override
    public double apply(double x, double p) {
      return Math.tanh(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, g.sub(g.constant(1), g.powc(y, 2)));
    }
  },
  /** tan x; dx = dy * (1 + y^2). */
  TAN("tan", Cost.TRANSCENDENTAL, "\\tan %s") {
    @Override
    public double apply(double x, double p) {
      return Math.tan(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, g.add(g.constant(1), g.powc(y, 2)));
    }
  },
  /** sinh x; dx = dy * cosh(x). */
  SINH("sinh", Cost.TRANSCENDENTAL, "\\sinh %s") {
    @Override
    public double apply(double x, double p) {
      return Math.sinh(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, g.unary(COSH, x));
    }
  },
  /** cosh x; dx = dy * sinh(x). */
  COSH("cosh", Cost.TRANSCENDENTAL, "\\cosh %s") {
    @Override
    public double apply(double x, double p) {
      return Math.cosh(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, g.unary(SINH, x));
    }
  },
  /** arcsin x (NaN outside [-1, 1]); dx = dy / sqrt(1 - x^2). */
  ASIN("asin", Cost.TRANSCENDENTAL, "\\arcsin %s") {
    @Override
    public double apply(double x, double p) {
      return Math.asin(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.div(dy, g.unary(SQRT, g.sub(g.constant(1), g.powc(x, 2))));
    }
  },
  /** arccos x (NaN outside [-1, 1]); dx = -dy / sqrt(1 - x^2). */
  ACOS("acos", Cost.TRANSCENDENTAL, "\\arccos %s") {
    @Override
    public double apply(double x, double p) {
      return Math.acos(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.neg(g.div(dy, g.unary(SQRT, g.sub(g.constant(1), g.powc(x, 2)))));
    }
  },
  /** arctan x; dx = dy / (1 + x^2). */
  ATAN("atan", Cost.TRANSCENDENTAL, "\\arctan %s") {
    @Override
    public double apply(double x, double p) {
      return Math.atan(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.div(dy, g.add(g.constant(1), g.powc(x, 2)));
    }
  },
  /** asinh x; dx = dy / sqrt(x^2 + 1). */
  ASINH("asinh", Cost.TRANSCENDENTAL, null) {
    @Override
    public double apply(double x, double p) {
      return Scalars.asinh(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.div(dy, g.unary(SQRT, g.add(g.powc(x, 2), g.constant(1))));
    }
  },
  /** acosh x (NaN below 1); dx = dy / sqrt(x^2 - 1). */
  ACOSH("acosh", Cost.TRANSCENDENTAL, null) {
    @Override
    public double apply(double x, double p) {
      return Scalars.acosh(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.div(dy, g.unary(SQRT, g.sub(g.powc(x, 2), g.constant(1))));
    }
  },
  /** atanh x (NaN outside [-1, 1]); dx = dy / (1 - x^2). */
  ATANH("atanh", Cost.TRANSCENDENTAL, null) {
    @Override
    public double apply(double x, double p) {
      return Scalars.atanh(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.div(dy, g.sub(g.constant(1), g.powc(x, 2)));
    }
  },
  /** The error function; dx = dy * 2 / sqrt(pi) * exp(-x^2). */
  ERF("erf", Cost.TRANSCENDENTAL, "\\operatorname{erf} %s") {
    @Override
    public double apply(double x, double p) {
      return Scalars.erf(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, g.mul(g.constant(2 / Math.sqrt(Math.PI)), g.unary(EXP, g.neg(g.powc(x, 2)))));
    }
  },
  /** ln(1 + x), exact for small x; dx = dy / (1 + x). */
  LOG1P("log1p", Cost.TRANSCENDENTAL, null) {
    @Override
    public double apply(double x, double p) {
      return Math.log1p(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.div(dy, g.add(g.constant(1), x));
    }
  },
  /** e^x - 1, exact for small x; dx = dy * (y + 1). */
  EXPM1("expm1", Cost.TRANSCENDENTAL, null) {
    @Override
    public double apply(double x, double p) {
      return Math.expm1(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, g.add(y, g.constant(1)));
    }
  },
  /** max(x, 0) (NaN stays NaN, as Math.max); dx = dy * step(x): relu'(0) = 1, the lecture's choice. */
  RELU("relu", Cost.SIMPLE, null) {
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
  SOFTPLUS("softplus", Cost.TRANSCENDENTAL, null) {
    @Override
    public double apply(double x, double p) {
      return softplus(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, g.unary(SIGMOID, x));
    }
  },
  /** ln(sigmoid(x)) = -softplus(-x), finite for every finite x; dx = dy * sigmoid(-x). */
  LOG_SIGMOID("log_sigmoid", Cost.TRANSCENDENTAL, "\\log \\sigma\\left(%s\\right)") {
    @Override
    public double apply(double x, double p) {
      return Scalars.logSigmoid(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, g.unary(SIGMOID, g.neg(x)));
    }
  },
  /** x for x >= 0, alpha * x below; dx = dy * (alpha + (1 - alpha) * step(x)). */
  LEAKY_RELU("leaky_relu", Cost.SIMPLE, null, new Parameter("alpha", 0.01), false) {
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
   * x for {@code x > 0}, alpha * (e^x - 1) otherwise; dx = dy * 1 above 0 and dy * (y + alpha) at or
   * below 0, written {@code dy * (1 + step(-x) * (y + alpha - 1))}.
   */
  ELU("elu", Cost.TRANSCENDENTAL, null, new Parameter("alpha", 1.0), false) {
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
  POWC("^", Cost.TRANSCENDENTAL, null, Parameter.EXPONENT, false) {
    @Override
    public double apply(double x, double p) {
      return p == 2 ? x * x : Math.pow(x, p);
    }

    @Override
    public int cost(double p) {
      return p == 2 || p == 1 || p == -1 ? Cost.SIMPLE : Cost.TRANSCENDENTAL;
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return g.mul(dy, g.mul(g.constant(p), g.powc(x, p - 1)));
    }
  },
  /** 1 where {@code x >= 0}, else 0: piecewise constant, no gradient flows. */
  STEP("step", Cost.SIMPLE, null, null, true) {
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
  SIGN("sign", Cost.SIMPLE, null) {
    @Override
    public double apply(double x, double p) {
      return Math.signum(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return null;
    }
  },
  /** The largest whole number {@code <= x}: piecewise constant, no gradient flows. */
  FLOOR("floor", Cost.SIMPLE, "\\left\\lfloor %s\\right\\rfloor") {
    @Override
    public double apply(double x, double p) {
      return Math.floor(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return null;
    }
  },
  /** The smallest whole number {@code >= x}: piecewise constant, no gradient flows. */
  CEIL("ceil", Cost.SIMPLE, "\\left\\lceil %s\\right\\rceil") {
    @Override
    public double apply(double x, double p) {
      return Math.ceil(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return null;
    }
  },
  /** The nearest whole number, halves to even (Math.rint, NumPy's and PyTorch's round): piecewise constant, no gradient flows. */
  ROUND("round", Cost.SIMPLE, null) {
    @Override
    public double apply(double x, double p) {
      return Math.rint(x);
    }

    @Override
    Node vjp(Graph g, Node x, Node y, Node dy, double p) {
      return null;
    }
  };

  private final String sourceName;
  private final int cost;
  private final String latex;
  private final Parameter parameter;
  private final boolean mask;

  UnaryFn(String sourceName, int cost, String latex) {
    this(sourceName, cost, latex, null, false);
  }

  /**
   * @param sourceName how it is written in a {@code .nn} file: a function name, which makes it a
   *     built-in of one value ({@code exp(z)}), or an operator symbol ({@code -}, {@code ^})
   * @param cost what one element costs ({@link Cost})
   * @param latex its LaTeX form with {@code %s} for the argument ({@code %p} for the constant);
   *     null for {@code \operatorname{name}(x)}. A form ending in {@code " %s"} takes its
   *     argument in parentheses unless that is a single symbol.
   * @param parameter its constant, or null when it has none
   * @param mask whether its values are only 0 and 1 (so that m * m = m)
   */
  UnaryFn(String sourceName, int cost, String latex, Parameter parameter, boolean mask) {
    this.sourceName = sourceName;
    this.cost = cost;
    this.latex = latex;
    this.parameter = parameter;
    this.mask = mask;
  }

  /**
   * The constant a function takes: written as a named argument with a default
   * ({@code leaky_relu(z, alpha=0.01)}), or the exponent of {@code x ^ p}.
   */
  public record Parameter(String name, double defaultValue) {
    /** The exponent of {@code x ^ p}: written in the operator, never a named argument. */
    static final Parameter EXPONENT = new Parameter("exponent", Double.NaN);
  }

  /** The function or operator as written in a {@code .nn} file. */
  public String sourceName() {
    return sourceName;
  }

  /** Written as a call, {@code name(x)}: a built-in function of the language. */
  public boolean isCall() {
    return Character.isLetter(sourceName.charAt(0));
  }

  /** The LaTeX form ({@code %s} the argument), or null for the generic one. */
  public String latex() {
    return latex;
  }

  /** The function's constant, or null when it takes none. */
  public Parameter parameter() {
    return parameter;
  }

  /** Whether the function takes a constant ({@code alpha}, or the exponent of {@code ^}). */
  public boolean hasParameter() {
    return parameter != null;
  }

  /** True for functions whose values are only 0 and 1 (masks). */
  public boolean isMask() {
    return mask;
  }

  /** Simple element operations per element for constant {@code p} (see {@link Cost}). */
  public int cost(double p) {
    return cost;
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
