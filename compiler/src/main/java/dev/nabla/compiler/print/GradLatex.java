package dev.nabla.compiler.print;

import dev.nabla.compiler.graph.ArgMaxMask;
import dev.nabla.compiler.graph.BatchMean;
import dev.nabla.compiler.graph.Binary;
import dev.nabla.compiler.graph.BinaryFn;
import dev.nabla.compiler.graph.Broadcast;
import dev.nabla.compiler.graph.Concat;
import dev.nabla.compiler.graph.ConcatAxis;
import dev.nabla.compiler.graph.Constant;
import dev.nabla.compiler.graph.Conv;
import dev.nabla.compiler.graph.Pool;
import dev.nabla.compiler.graph.Extreme;
import dev.nabla.compiler.graph.GroupSum;
import dev.nabla.compiler.graph.Index;
import dev.nabla.compiler.graph.Kl;
import dev.nabla.compiler.graph.Leaf;
import dev.nabla.compiler.graph.LogSoftmax;
import dev.nabla.compiler.graph.LogSumExp;
import dev.nabla.compiler.graph.MatMul;
import dev.nabla.compiler.graph.MaxPool;
import dev.nabla.compiler.graph.MaxPoolMask;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.graph.Outer;
import dev.nabla.compiler.graph.Pad;
import dev.nabla.compiler.graph.PadAxes;
import dev.nabla.compiler.graph.Permute;
import dev.nabla.compiler.graph.Recurrence;
import dev.nabla.compiler.graph.RecurrenceOutput;
import dev.nabla.compiler.graph.Repeat;
import dev.nabla.compiler.graph.Reshape;
import dev.nabla.compiler.graph.Slice;
import dev.nabla.compiler.graph.Softmax;
import dev.nabla.compiler.graph.StackMatMul;
import dev.nabla.compiler.graph.Stack;
import dev.nabla.compiler.graph.Subscript;
import dev.nabla.compiler.graph.Sum;
import dev.nabla.compiler.graph.Transpose;
import dev.nabla.compiler.graph.Unary;
import dev.nabla.compiler.graph.UnaryFn;
import dev.nabla.compiler.graph.Where;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code nabla grad --format latex}: the derivative program as an {@code align*} environment
 * using only standard LaTeX and amsmath macros. Elementwise products are {@code \odot}, matrix
 * products juxtaposition, {@code z1} is written {@code z_{1}}, and an adjoint {@code dz1} is
 * {@code \frac{\partial L}{\partial z_{1}}}.
 */
public final class GradLatex {
  private static final Pattern TRAILING_DIGITS = Pattern.compile("^([A-Za-z]+)_?([0-9]+)$");

  private final ProgramLayout layout;
  /** The line that defines each node (gradients aside), found once instead of per reference. */
  private final Map<Node, ProgramLayout.Line> definitions = new IdentityHashMap<>();

  private GradLatex(ProgramLayout layout) {
    this.layout = layout;
    for (ProgramLayout.Line line : layout.lines()) {
      if (line.kind() != ProgramLayout.Kind.GRADIENT) {
        definitions.putIfAbsent(line.node(), line);
      }
    }
  }

  public static String render(ProgramLayout layout) {
    GradLatex latex = new GradLatex(layout);
    StringBuilder out = new StringBuilder("\\begin{align*}\n");
    List<ProgramLayout.Line> lines = layout.lines();
    for (int i = 0; i < lines.size(); i++) {
      ProgramLayout.Line line = lines.get(i);
      if (line.kind() == ProgramLayout.Kind.LOOP) {
        out.append(latex.loop(layout.loop(line.node())));
      } else {
        out.append(latex.lineName(line)).append(" &= ").append(latex.text(line.node()));
      }
      out.append(i + 1 < lines.size() ? " \\\\\n" : "\n");
    }
    return out.append("\\end{align*}\n").toString();
  }

  /**
   * A loop of the derivative: its header, each state's initial value ({@code \leftarrow}), then
   * per step its values, collected rows ({@code _t}) and state updates, indented.
   */
  private String loop(LoopLayout loop) {
    List<String> rows = new ArrayList<>();
    List<String> elements = new ArrayList<>();
    for (LoopLayout.Named h : loop.header()) {
      elements.add(symbol(h.name()) + " = " + operandOrText(h.node()) + "_{t}");
    }
    rows.add("&\\text{for } t = " + (loop.reverse() ? "T-1, \\dots, 0" : "0, \\dots, T-1") + ":\\ "
        + String.join(",\\ ", elements));
    for (LoopLayout.State s : loop.states()) {
      rows.add("&\\quad " + symbol(s.name()) + " \\leftarrow " + operandOrText(loop.initialWritten(s)));
    }
    for (LoopLayout.Named n : loop.locals()) {
      rows.add("&\\qquad " + symbol(n.name()) + " = " + (n.node().op() instanceof dev.nabla.compiler.graph.Leaf
          ? operandOrText(n.node()) : text(n.node())));
    }
    for (LoopLayout.Named n : loop.collected()) {
      rows.add("&\\qquad " + symbol(n.name()) + "_{t} = " + operandOrText(n.node()));
    }
    for (int k = 0; k < loop.updates().size(); k++) {
      rows.add("&\\qquad " + symbol(loop.updates().get(k).name()) + " \\leftarrow "
          + loop.update(k, this::operandOrText));
    }
    return String.join(" \\\\\n", rows);
  }

  private String lineName(ProgramLayout.Line line) {
    String loss = symbol(layout.program().model().lossName());
    return switch (line.kind()) {
      case ADJOINT, GRADIENT -> "\\frac{\\partial " + loss + "}{\\partial " + symbol(valueName(line)) + "}";
      case TEMPORARY -> symbol(line.name());
      case LOOP -> throw new IllegalStateException("internal: a loop is written as a block");
    };
  }

  private String valueName(ProgramLayout.Line line) {
    String label = layout.program().model().labels().get(line.value());
    return label != null ? label : line.name().substring(1);
  }

  private static final java.util.Set<String> GREEK =
      java.util.Set.of(
          "alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "kappa", "lambda", "mu",
          "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega", "Gamma", "Delta",
          "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega");

  /** {@code z1 -> z_{1}}, {@code W_2 -> W_{2}}, {@code lambda -> \lambda}, other long names in \mathit. */
  static String symbol(String name) {
    Matcher m = TRAILING_DIGITS.matcher(name);
    String base = m.matches() ? m.group(1) : name;
    String sub = m.matches() ? m.group(2) : null;
    String head =
        base.length() == 1
            ? base
            : GREEK.contains(base) ? "\\" + base : "\\mathit{" + base.replace("_", "\\_") + "}";
    return sub == null ? head : head + "_{" + sub + "}";
  }

  private String ref(Node n) {
    String name = layout.nameOf(n);
    if (name == null) {
      return null;
    }
    ProgramLayout.Line line = definitions.get(n);
    return line != null ? lineName(line) : symbol(name);
  }

  private String operand(Node n) {
    String r = ref(n);
    if (r != null) {
      return r;
    }
    boolean simple =
        n.op() instanceof Leaf || n.op() instanceof Constant c && c.value() >= 0 || n.inputs().isEmpty()
            || n.op() instanceof Unary u && u.fn() != UnaryFn.NEG
            || n.op() instanceof Transpose || n.op() instanceof Sum || n.op() instanceof Softmax
            || n.op() instanceof LogSumExp;
    String t = text(n);
    return simple ? t : "\\left(" + t + "\\right)";
  }

  private String text(Node n) {
    return switch (n.op()) {
      case Leaf leaf -> symbol(leaf.name());
      case Constant c -> number(c.value());
      case BatchMean b -> operandOrText(n.input(0));
      case Unary u -> unary(u, n.input(0));
      case Binary b -> binary(b.fn(), n.input(0), n.input(1));
      case Broadcast b -> operandOrText(n.input(0)) + "\\mathbf{1}";
      case MatMul m -> operand(n.input(0)) + " " + operand(n.input(1));
      case StackMatMul s -> operand(n.input(0)) + (s.left() == StackMatMul.View.TRANSPOSED ? "^{\\top}" : "")
          + " " + operand(n.input(1)) + (s.right() == StackMatMul.View.TRANSPOSED ? "^{\\top}" : "");
      case Transpose t -> operand(n.input(0)) + "^{\\top}";
      case Outer o -> operand(n.input(0)) + " " + operand(n.input(1)) + "^{\\top}";
      case Index i -> operand(n.input(0)) + "_{" + i.index() + "}";
      case Slice s -> operand(n.input(0)) + "_{" + s.from() + ":" + s.to() + "}";
      case Pad p -> fn(latexName(Pad.NAME), operandOrText(n.input(0)) + ", " + p.before() + ", " + p.after());
      case Concat c -> {
        List<String> parts = new ArrayList<>();
        n.inputs().forEach(x -> parts.add(operandOrText(x)));
        yield "\\left[" + String.join("; ", parts) + "\\right]";
      }
      case Repeat r -> fn(latexName(Repeat.NAME), operandOrText(n.input(0)) + ", " + r.k());
      case GroupSum gs -> fn(latexName(GroupSum.NAME), operandOrText(n.input(0)) + ", " + gs.k());
      case Sum s -> s.axis() == Sum.ALL ? "\\sum " + operand(n.input(0)) : "\\sum_{\\text{axis " + s.axis() + "}} " + operand(n.input(0));
      case Extreme e -> fn(e.name(), operandOrText(n.input(0)) + (e.axis() == Sum.ALL ? "" : "; \\text{axis } " + e.axis()));
      case ArgMaxMask a -> fn(latexName(ArgMaxMask.NAME), operandOrText(n.input(0)) + (a.axis() == Sum.ALL ? "" : "; \\text{axis } " + a.axis()));
      case MaxPool m -> fn(latexName(MaxPool.NAME), operandOrText(n.input(0)) + ", " + m.k());
      case MaxPoolMask m -> fn(latexName(MaxPoolMask.NAME), operandOrText(n.input(0)) + ", " + m.k());
      case Softmax s -> fn(latexName(Softmax.NAME), operandOrText(n.input(0)));
      case LogSoftmax s -> fn(latexName(LogSoftmax.NAME), operandOrText(n.input(0)));
      case LogSumExp l -> fn(latexName(LogSumExp.NAME), operandOrText(n.input(0)) + (l.axis() == Sum.ALL ? "" : "; \\text{axis } " + l.axis()));
      case Kl k -> fn("KL", operandOrText(n.input(0)) + " \\,\\|\\, " + operandOrText(n.input(1)));
      case Pool pool -> fn(latexName(pool.name()), String.join(", ", n.inputs().stream().map(this::operandOrText).toList()));
      case Conv cv -> fn(latexName(cv.name()), operandOrText(n.input(0)) + ", " + operandOrText(n.input(1)));
      case Where w -> fn(Where.NAME, operandOrText(n.input(0)) + ", " + operandOrText(n.input(1)) + ", " + operandOrText(n.input(2)));
      case Permute p -> p.swapsLastTwo()
          ? operand(n.input(0)) + "^{\\top}"
          : fn(latexName(Permute.NAME), operandOrText(n.input(0)) + ", " + LayoutText.list(p.perm()));
      case Reshape r -> fn(latexName(Reshape.NAME), operandOrText(n.input(0)) + ", " + LayoutText.list(r.to().dims()));
      case Subscript s -> "{" + operand(n.input(0)) + "}_{" + LayoutText.subscripts(s, n.input(0).shape()) + "}";
      case PadAxes p -> fn(latexName(Pad.NAME), operandOrText(n.input(0)) + ", " + LayoutText.list(p.before()) + ", "
          + LayoutText.list(p.after()));
      case ConcatAxis c -> fn(latexName(Concat.NAME), joinedLatex(n) + "; \\text{axis } " + c.axis());
      case Stack s -> fn(latexName(Stack.NAME), joinedLatex(n) + "; \\text{axis } " + s.axis());
      case RecurrenceOutput o -> symbol(o.name());
      case Recurrence r -> throw new IllegalStateException("internal: a loop is printed as a block (LoopLayout)");
    };
  }

  private String joinedLatex(Node n) {
    List<String> parts = new ArrayList<>();
    n.inputs().forEach(x -> parts.add(operandOrText(x)));
    return String.join(", ", parts);
  }

  private String operandOrText(Node n) {
    String r = ref(n);
    return r != null ? r : text(n);
  }

  /** Operators in their own form; functions in the form they declare ({@link UnaryFn#latex}). */
  private String unary(Unary u, Node x) {
    UnaryFn f = u.fn();
    if (f == UnaryFn.NEG) {
      return "-" + operand(x);
    }
    if (f == UnaryFn.POWC) {
      return powerBase(x) + "^{" + number(u.parameter()) + "}";
    }
    String form = f.latex();
    if (form != null) {
      return form.replace("%s", form.endsWith(" %s") ? operand(x) : operandOrText(x));
    }
    String args = operandOrText(x) + (f.hasParameter() ? "; " + number(u.parameter()) : "");
    return fn(latexName(f.sourceName()), args);
  }

  /**
   * The base of a power: {@code \\tan z^{2}} would read as tan(z^2), so a function written
   * before its argument is parenthesised there.
   */
  private String powerBase(Node x) {
    boolean prefix = ref(x) == null && x.op() instanceof Unary u && u.fn().latex() != null
        && u.fn().latex().endsWith(" %s");
    return prefix ? "\\left(" + text(x) + "\\right)" : operand(x);
  }

  private String binary(BinaryFn fn, Node a, Node b) {
    return switch (fn) {
      case ADD -> text(a) + " + " + operandForSum(b);
      case SUB -> text(a) + " - " + operand(b);
      case MUL ->
          a.shape().isScalar() || b.shape().isScalar()
              ? operand(a) + " \\, " + operand(b)
              : operand(a) + " \\odot " + operand(b);
      case DIV -> "\\frac{" + operandOrText(a) + "}{" + operandOrText(b) + "}";
      case POW -> powerBase(a) + "^{" + operandOrText(b) + "}";
      case MAX, MIN, GE -> fn(fn.sourceName(), operandOrText(a) + ", " + operandOrText(b));
      // Iverson brackets: [a < b] is 1 where it holds, else 0
      case LT, LE, GT, EQ, NE -> "\\left[" + operandOrText(a) + " " + latexComparison(fn) + " " + operandOrText(b) + "\\right]";
    };
  }

  private static String latexComparison(BinaryFn fn) {
    return switch (fn) {
      case LE -> "\\le";
      case NE -> "\\ne";
      default -> fn.sourceName();
    };
  }

  private String operandForSum(Node b) {
    String r = ref(b);
    if (r != null) {
      return r;
    }
    boolean needsParens = b.op() instanceof Unary u && u.fn() == UnaryFn.NEG;
    return needsParens ? "\\left(" + text(b) + "\\right)" : text(b);
  }

  /** A name of the language as LaTeX text ({@code log\\_softmax}). */
  private static String latexName(String name) {
    return name.replace("_", "\\_");
  }

  /** A number as {@link ExprWriter#number} writes it, but infinity as {@code \\infty}. */
  static String number(double v) {
    if (Double.isInfinite(v)) {
      return v > 0 ? "\\infty" : "-\\infty";
    }
    return Double.isNaN(v) ? "\\mathrm{NaN}" : ExprWriter.number(v);
  }

  private static String fn(String name, String args) {
    return "\\operatorname{" + name + "}\\left(" + args + "\\right)";
  }
}
