package dev.nabla.compiler.random;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A random, well-typed {@code .nn} model: a DAG of the language's operators and built-ins over
 * inputs (with and without {@code grad}), a target, params of rank 0 to 2 and a hyper, with
 * named intermediate values, defs, shared subexpressions, several outputs and one loss.
 *
 * <p>Every expression knows its shape and a <em>domain</em> it is guaranteed to lie in for any
 * real inputs and params: anything, positive (at least 0.05), or the unit interval. Functions
 * that need a domain ({@code log}, {@code sqrt}, division, {@code pow}, {@code bce},
 * {@code cross_entropy}, {@code kl}) only get arguments built to lie in it ({@code softplus(a) +
 * 0.1}, {@code sigmoid(a)}, {@code softmax(a)}, ...), and {@code exp} only sees bounded
 * arguments ({@code exp(tanh(a))}), so values and gradients are finite everywhere. Kinks (relu,
 * abs, max, ...) get an odd offset ({@code relu(a + 0.137)}) so no value sits exactly on one.
 *
 * <p>Issue 15's tensors: rank-3 values, products of stacks (one side a matrix, or transposed at
 * rank 3), softmax along an axis and the layout ops (reshape, flatten, transpose with a perm,
 * subscripts and slices on any axis, concat and stack with axis=).
 *
 * <p>Version 2's syntax: file-level {@code dim} constants (D1 to D4, written with dim arithmetic)
 * may name the dimensions of declarations and indices; comparisons ({@code < <= > >= == !=}) and
 * {@code where} (with broadcasting, and guarding a {@code log} of a value that may be negative in
 * the branch not picked) are among the operators.
 *
 * <p>The model is kept as a tree of {@link E} so that a failing model can be shrunk ({@link
 * Shrinker}) to a small one that still fails.
 */
final class RandomModel {
  enum Domain {
    ANY,
    POSITIVE,
    UNIT;

    boolean satisfies(Domain required) {
      // UNIT values (sigmoid, softmax) may round to exactly 0: not POSITIVE (at least 0.05).
      return required == ANY || this == required;
    }
  }

  /** An expression: a format with {@code %s} holes for its children. */
  record E(String format, List<E> kids, int[] shape, Domain domain) {
    static E leaf(String text, int[] shape, Domain domain) {
      return new E(text, List.of(), shape, domain);
    }

    String render() {
      // Parenthesised, so that a child's operators never regroup with the parent's.
      Object[] args = kids.stream().map(k -> k.kids().isEmpty() ? k.render() : "(" + k.render() + ")").toArray();
      return String.format(java.util.Locale.ROOT, format, args);
    }

    int size() {
      return 1 + kids.stream().mapToInt(E::size).sum();
    }
  }

  /** A declaration line, e.g. {@code param W1[3, 4] = xavier;}. */
  record Decl(String kind, String name, int[] shape, String suffix) {
    String render() {
      return kind + " " + name + dims(shape) + suffix + ";";
    }

    /** With the dims D1 to D4 for the sizes 1 to 4. */
    String renderWithDims() {
      String named = dims(shape).replaceAll("\\b([1-4])\\b", "D$1");
      return kind + " " + name + named + suffix + ";";
    }
  }

  /** File-level dims D1 to D4 (of values 1 to 4), written with dim arithmetic. */
  static final List<String> DIM_LINES =
      List.of("dim D1 = 3 - 2;", "dim D2 = D4 / 2;", "dim D3 = D1 + D2;", "dim D4 = 2 * 2.0;");

  /** A statement: {@code name = expr;}, {@code output name = expr;} or {@code loss L = expr;}. */
  record Stmt(String prefix, String name, E value) {
    String render() {
      return prefix + name + " = " + value.render() + ";";
    }
  }

  final String name;
  /** Whether the file declares the dims D1 to D4 and the declarations use them. */
  boolean dims;
  final List<String> defs = new ArrayList<>();
  final List<Decl> decls = new ArrayList<>();
  final List<Stmt> stmts = new ArrayList<>();

  RandomModel(String name) {
    this.name = name;
  }

  String render() {
    StringBuilder s = new StringBuilder();
    if (dims) {
      DIM_LINES.forEach(line -> s.append(line).append('\n'));
    }
    for (String d : defs) {
      s.append(d).append('\n');
    }
    s.append("model ").append(name).append(" {\n");
    for (Decl d : decls) {
      s.append("  ").append(dims ? d.renderWithDims() : d.render()).append('\n');
    }
    for (Stmt st : stmts) {
      s.append("  ").append(st.render()).append('\n');
    }
    return s.append("}\n").toString();
  }

  /** The same model with {@code change} applied to every statement's expression tree. */
  RandomModel map(Function<E, E> change) {
    RandomModel m = new RandomModel(name);
    m.dims = dims;
    m.defs.addAll(defs);
    m.decls.addAll(decls);
    for (Stmt st : stmts) {
      m.stmts.add(new Stmt(st.prefix(), st.name(), change.apply(st.value())));
    }
    return m;
  }

  static String dims(int[] shape) {
    if (shape.length == 0) {
      return "";
    }
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      s.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return s.append(']').toString();
  }

  // ------------------------------------------------------------------ generation

  /** Where the generator's choices come from: a seeded random stream, or a fuzzer's bytes. */
  interface Choices {
    /** A number in [0, bound). */
    int nextInt(int bound);

    default boolean nextBoolean() {
      return nextInt(2) == 1;
    }

    /** A number in [0, 1). */
    double nextDouble();

    static Choices of(SplittableRandom random) {
      return new Choices() {
        @Override
        public int nextInt(int bound) {
          return random.nextInt(bound);
        }

        @Override
        public double nextDouble() {
          return random.nextDouble();
        }
      };
    }
  }

  /** Generates a model from a seed; the same seed gives the same model. */
  static RandomModel generate(long seed) {
    return generate(Choices.of(new SplittableRandom(seed)), "R" + Long.toUnsignedString(seed, 36));
  }

  /**
   * Generates a model from {@code choices}. Choices that run out (a fuzzer's input is short)
   * answer 0, which picks leaves, so every stream of choices makes a finite, valid model.
   */
  static RandomModel generate(Choices choices, String name) {
    return new Generator(choices, name).build();
  }

  private static final class Generator {
    private final Choices r;
    private final RandomModel m;
    /** Values a new expression may refer to: declared leaves and earlier statements. */
    private final List<E> pool = new ArrayList<>();
    private final Map<E, Boolean> perInstance = new IdentityHashMap<>();
    private final Map<String, Integer> counters = new LinkedHashMap<>();
    private final List<String> defNames = new ArrayList<>();
    private E target;
    private int nodes;

    Generator(Choices r, String name) {
      this.r = r;
      this.m = new RandomModel(name);
    }

    private String fresh(String stem) {
      int n = counters.merge(stem, 1, Integer::sum);
      return stem + n;
    }

    private int dim() {
      return 1 + r.nextInt(4);
    }

    private int[] shape() {
      return switch (r.nextInt(3)) {
        case 0 -> new int[] {};
        case 1 -> new int[] {dim()};
        default -> new int[] {dim(), dim()};
      };
    }

    private double constant() {
      // Odd values, so that a kink offset never cancels another constant exactly.
      double c = 0.05 + 0.9 * r.nextDouble();
      return Math.round(c * 1000) / 1000.0 + 0.0007;
    }

    private String number() {
      return String.format(java.util.Locale.ROOT, "%.4f", constant());
    }

    RandomModel build() {
      m.dims = r.nextInt(3) == 0;
      // Defs: small elementwise functions, inlined at each call.
      if (r.nextBoolean()) {
        m.defs.add("def swish(z) = z * sigmoid(z);");
        defNames.add("swish");
      }
      if (r.nextBoolean()) {
        m.defs.add("def affine(W, v, b) = W @ v + b;");
        defNames.add("affine");
      }
      if (r.nextBoolean()) {
        m.defs.add("def soft(z, s) = softplus(z) * s + " + number() + ";");
        defNames.add("soft");
      }
      int inputs = 1 + r.nextInt(2);
      for (int i = 0; i < inputs; i++) {
        int[] s = shape();
        boolean grad = r.nextInt(3) == 0;
        String n = fresh("x");
        m.decls.add(new Decl("input", n, s, grad ? " grad" : ""));
        E leaf = E.leaf(n, s, Domain.ANY);
        perInstance.put(leaf, true);
        pool.add(leaf);
      }
      int[] ts = new int[] {dim() + 1};
      m.decls.add(new Decl("target", "d", ts, ""));
      target = E.leaf("d", ts, Domain.ANY);
      perInstance.put(target, true);
      int params = 1 + r.nextInt(3);
      for (int i = 0; i < params; i++) {
        param(shape());
      }
      if (r.nextBoolean()) {
        m.decls.add(new Decl("hyper", "lam", new int[] {}, " = " + number()));
        pool.add(E.leaf("lam", new int[] {}, Domain.POSITIVE));
      }
      int statements = 1 + r.nextInt(5);
      for (int i = 0; i < statements; i++) {
        E value = gen(pick().shape(), 3, Domain.ANY);
        String n = fresh("h");
        m.stmts.add(new Stmt("", n, value));
        E named = E.leaf(n, value.shape(), value.domain());
        perInstance.put(named, true);
        pool.add(named);
      }
      int outputs = 1 + r.nextInt(3);
      List<E> reduced = new ArrayList<>();
      for (int i = 0; i < outputs; i++) {
        E value = r.nextBoolean() ? pool.get(pool.size() - 1 - r.nextInt(statements)) : gen(pick().shape(), 2, Domain.ANY);
        String n = fresh("y");
        m.stmts.add(new Stmt("output ", n, value));
        reduced.add(toScalar(E.leaf(n, value.shape(), value.domain())));
      }
      // The loss: every output, one divergence against the target, sometimes weight decay.
      List<E> terms = new ArrayList<>(reduced);
      terms.add(divergence());
      if (r.nextBoolean()) {
        E w = params().get(r.nextInt(params().size()));
        E lam = pool.stream().filter(e -> e.format().equals("lam")).findFirst().orElse(E.leaf(number(), new int[] {}, Domain.POSITIVE));
        terms.add(new E("%s * norm2(%s)", List.of(lam, w), new int[] {}, Domain.ANY));
      }
      E loss = terms.getFirst();
      for (E t : terms.subList(1, terms.size())) {
        loss = new E(r.nextInt(4) == 0 ? "%s - %s" : "%s + %s", List.of(loss, t), new int[] {}, Domain.ANY);
      }
      m.stmts.add(new Stmt("loss ", "L", loss));
      return m;
    }

    private List<E> params() {
      List<E> ps = new ArrayList<>();
      for (Decl d : m.decls) {
        if (d.kind().equals("param")) {
          ps.add(pool.stream().filter(e -> e.format().equals(d.name())).findFirst().orElseThrow());
        }
      }
      return ps;
    }

    private E param(int[] s) {
      String n = fresh(s.length == 3 ? "T" : s.length == 2 ? "W" : s.length == 1 ? "b" : "s");
      String init = switch (r.nextInt(4)) {
        case 0 -> " = uniform(-1, 1)";
        case 1 -> " = normal(0, 0.5)";
        case 2 -> s.length == 2 ? " = xavier" : " = uniform(-0.9, 0.8)";
        default -> s.length == 2 ? " = he" : " = normal(0.1, 0.7)";
      };
      m.decls.add(new Decl("param", n, s, init));
      E leaf = E.leaf(n, s, Domain.ANY);
      pool.add(leaf);
      return leaf;
    }

    private E pick() {
      return pool.get(r.nextInt(pool.size()));
    }

    /** A value of exactly this shape from the pool, or a fresh param of it. */
    private E leafOf(int[] s) {
      List<E> fits = pool.stream().filter(e -> java.util.Arrays.equals(e.shape(), s)).toList();
      if (fits.isEmpty() || r.nextInt(6) == 0) {
        return param(s);
      }
      return fits.get(r.nextInt(fits.size()));
    }

    /** Makes {@code e} lie in {@code required}, wrapping it when needed. */
    private E into(E e, Domain required) {
      if (e.domain().satisfies(required)) {
        return e;
      }
      if (required == Domain.UNIT) {
        return new E("sigmoid(%s)", List.of(e), e.shape(), Domain.UNIT);
      }
      return switch (r.nextInt(4)) {
        case 0 -> new E("exp(tanh(%s))", List.of(e), e.shape(), Domain.POSITIVE);
        case 1 -> new E("(softplus(%s) + " + number() + ")", List.of(e), e.shape(), Domain.POSITIVE);
        case 2 -> new E("(%s ^ 2 + " + number() + ")", List.of(e), e.shape(), Domain.POSITIVE);
        default -> new E("(sigmoid(%s) + " + number() + ")", List.of(e), e.shape(), Domain.POSITIVE);
      };
    }

    /** An expression of shape {@code s} in {@code required}, at most {@code depth} deep. */
    private E gen(int[] s, int depth, Domain required) {
      nodes++;
      if (depth <= 0 || nodes > 60 || r.nextInt(5) == 0) {
        return into(leafOf(s), required);
      }
      E e = switch (s.length) {
        case 0 -> scalar(depth);
        case 1 -> vector(s[0], depth);
        case 2 -> matrix(s[0], s[1], depth);
        default -> stack(s, depth);
      };
      // Shared subexpressions: the same subtree twice in one expression.
      if (r.nextInt(8) == 0) {
        e = new E("%s * %s", List.of(e, into(e, Domain.POSITIVE)), s, Domain.ANY);
      }
      return into(e, required);
    }

    /** An elementwise operation of shape s (any rank). */
    private E elementwise(int[] s, int depth) {
      E a = gen(s, depth - 1, Domain.ANY);
      String c = number();
      return switch (r.nextInt(27)) {
        case 0 -> new E("exp(tanh(%s))", List.of(a), s, Domain.POSITIVE);
        case 1 -> new E("log(%s)", List.of(into(a, Domain.POSITIVE)), s, Domain.ANY);
        case 2 -> new E("sqrt(%s)", List.of(into(a, Domain.POSITIVE)), s, Domain.POSITIVE);
        case 3 -> new E("abs(%s + " + c + ")", List.of(a), s, Domain.ANY);
        case 4 -> new E("sin(%s)", List.of(a), s, Domain.ANY);
        case 5 -> new E("cos(%s)", List.of(a), s, Domain.ANY);
        case 6 -> new E("square(%s)", List.of(a), s, Domain.ANY);
        case 7 -> new E("sigmoid(%s)", List.of(a), s, Domain.UNIT);
        case 8 -> new E("tanh(%s)", List.of(a), s, Domain.ANY);
        case 9 -> new E("relu(%s - " + c + ")", List.of(a), s, Domain.ANY);
        case 10 -> new E("softplus(%s)", List.of(a), s, Domain.ANY);
        case 11 -> new E("leaky_relu(%s + " + c + ", 0.1)", List.of(a), s, Domain.ANY);
        case 12 -> new E("elu(%s - " + c + ")", List.of(a), s, Domain.ANY);
        case 13 -> new E("(%s + %s)", List.of(a, gen(s, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 14 -> new E("(%s - %s)", List.of(a, gen(s, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 15 -> new E("%s * %s", List.of(a, gen(s, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 16 -> new E("%s / %s", List.of(a, gen(s, depth - 1, Domain.POSITIVE)), s, Domain.ANY);
        case 17 -> new E("max(%s + " + c + ", %s)", List.of(a, gen(s, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 18 -> new E("min(%s, %s - " + c + ")", List.of(a, gen(s, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 19 -> new E("pow(%s, tanh(%s))", List.of(into(a, Domain.POSITIVE), gen(s, depth - 1, Domain.ANY)), s, Domain.POSITIVE);
        case 20 -> new E("%s ^ " + (r.nextBoolean() ? "3" : "-1.5"), List.of(into(a, Domain.POSITIVE)), s, Domain.POSITIVE);
        case 21 -> new E("(-%s)", List.of(a), s, Domain.ANY);
        case 22 -> new E("(step(%s + " + c + ") * %s + sign(%s - " + c + ") * " + c + ")", List.of(a, gen(s, depth - 1, Domain.ANY), a), s, Domain.ANY);
        case 23 -> new E("where(%s > " + c + ", %s, %s)", List.of(a, gen(s, depth - 1, Domain.ANY), gen(s, depth - 1, Domain.ANY)), s, Domain.ANY);
        // log of a value that is negative where it is not picked: no NaN in the value or gradient
        case 24 -> new E("where(%s > " + c + ", log(%s), %s)", List.of(a, a, gen(s, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 25 -> new E(comparison() + " * %s", List.of(a, gen(s, depth - 1, Domain.ANY), gen(s, depth - 1, Domain.ANY)), s, Domain.ANY);
        default -> broadcast(s, depth, a);
      };
    }

    /** a (shape s) combined with a scalar, or a matrix with a row vector. */
    private E broadcast(int[] s, int depth, E a) {
      E b = s.length == 2 && r.nextBoolean() ? gen(new int[] {s[1]}, depth - 1, Domain.ANY) : gen(new int[] {}, depth - 1, Domain.ANY);
      return switch (r.nextInt(6)) {
        case 0 -> new E("(%s + %s)", List.of(a, b), s, Domain.ANY);
        case 1 -> new E("(%s - %s)", List.of(b, a), s, Domain.ANY);
        case 2 -> new E("%s * %s", List.of(b, a), s, Domain.ANY);
        case 3 -> new E("where(%s < %s, %s, %s)", List.of(b, a, a, b), s, Domain.ANY);
        case 4 -> new E(comparison() + " * %s", List.of(b, a, a), s, Domain.ANY);
        default -> new E("ge(%s, %s) * %s", List.of(a, b, a), s, Domain.ANY);
      };
    }

    /** {@code (%s op %s)} for one of the comparison operators; an equality never holds exactly. */
    private String comparison() {
      String[] ops = {"<", "<=", ">", ">=", "==", "!="};
      return "(%s " + ops[r.nextInt(ops.length)] + " %s)";
    }

    private E scalar(int depth) {
      int k = dim();
      return switch (r.nextInt(14)) {
        case 0 -> new E("sum(%s)", List.of(gen(shape(), depth - 1, Domain.ANY)), new int[] {}, Domain.ANY);
        case 1 -> new E("mean(%s)", List.of(gen(shape(), depth - 1, Domain.ANY)), new int[] {}, Domain.ANY);
        case 2 -> new E("max(%s)", List.of(gen(shape(), depth - 1, Domain.ANY)), new int[] {}, Domain.ANY);
        case 3 -> new E("min(%s)", List.of(gen(shape(), depth - 1, Domain.ANY)), new int[] {}, Domain.ANY);
        case 4 -> new E("norm2(%s)", List.of(gen(shape(), depth - 1, Domain.ANY)), new int[] {}, Domain.ANY);
        case 5 -> new E("dot(%s, %s)", List.of(gen(new int[] {k}, depth - 1, Domain.ANY), gen(new int[] {k}, depth - 1, Domain.ANY)), new int[] {}, Domain.ANY);
        case 6 -> new E("%s @ %s", List.of(gen(new int[] {k}, depth - 1, Domain.ANY), gen(new int[] {k}, depth - 1, Domain.ANY)), new int[] {}, Domain.ANY);
        case 7 -> {
          int i = r.nextInt(k);
          String index = m.dims ? "D" + (i + 1) + " - 1" : String.valueOf(i);
          yield new E("%s[" + index + "]", List.of(leafOf(new int[] {k})), new int[] {}, Domain.ANY);
        }
        case 8 -> new E("l2(%s, %s)", List.of(gen(new int[] {k}, depth - 1, Domain.ANY), gen(new int[] {k}, depth - 1, Domain.ANY)), new int[] {}, Domain.ANY);
        default -> elementwise(new int[] {}, depth);
      };
    }

    private E vector(int n, int depth) {
      int[] s = {n};
      int k = dim();
      return switch (r.nextInt(23)) {
        case 0 -> new E("%s @ %s", List.of(gen(new int[] {n, k}, depth - 1, Domain.ANY), gen(new int[] {k}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 1 -> new E("%s @ %s", List.of(gen(new int[] {k}, depth - 1, Domain.ANY), gen(new int[] {k, n}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 2 -> new E("softmax(%s)", List.of(gen(s, depth - 1, Domain.ANY)), s, Domain.UNIT);
        case 3 -> new E("log_softmax(%s)", List.of(gen(s, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 4 -> new E("sum(%s, axis=0)", List.of(gen(new int[] {k, n}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 5 -> new E("sum(%s, axis=1)", List.of(gen(new int[] {n, k}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 6 -> new E("maxpool(%s, " + k + ")", List.of(gen(new int[] {n * k}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 7 -> n < 2 ? elementwise(s, depth) : concat(n, depth);
        case 8 -> {
          int from = r.nextInt(3);
          int extra = r.nextInt(3);
          yield new E("slice(%s, " + from + ", " + (from + n) + ")", List.of(gen(new int[] {from + n + extra}, depth - 1, Domain.ANY)), s, Domain.ANY);
        }
        case 9 -> n % k == 0 ? new E("repeat(%s, " + k + ")", List.of(gen(new int[] {n / k}, depth - 1, Domain.ANY)), s, Domain.ANY) : elementwise(s, depth);
        case 10 -> new E("group_sum(%s, " + k + ")", List.of(gen(new int[] {n * k}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 11 -> {
          int before = r.nextInt(2);
          int after = n - 1 - before >= 0 ? r.nextInt(Math.max(1, n - before)) : 0;
          int inner = n - before - after;
          yield inner < 1 ? elementwise(s, depth)
              : new E("pad(%s, " + before + ", " + after + ")", List.of(gen(new int[] {inner}, depth - 1, Domain.ANY)), s, Domain.ANY);
        }
        case 12 -> new E("expand(%s, " + n + ")", List.of(gen(new int[] {}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 13 -> new E("argmax_mask(%s) * %s", List.of(gen(s, depth - 1, Domain.ANY), gen(s, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 14 -> new E("maxpool_mask(%s, " + (n % 2 == 0 ? 2 : 1) + ") * %s", List.of(gen(s, depth - 1, Domain.ANY), gen(s, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 15 -> defNames.contains("affine")
            ? new E("affine(%s, %s, %s)", List.of(leafOf(new int[] {n, k}), gen(new int[] {k}, depth - 1, Domain.ANY), leafOf(s)), s, Domain.ANY)
            : elementwise(s, depth);
        case 16 -> new E("smooth(%s, 0.1) * %s", List.of(leafOf(s), gen(s, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 17 -> new E("%s.T", List.of(gen(s, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 18 -> vectorLayout(n, k, depth);
        default -> defCall(s, depth);
      };
    }

    private E concat(int n, int depth) {
      int first = 1 + r.nextInt(n - 1);
      return new E("concat(%s, %s)", List.of(gen(new int[] {first}, depth - 1, Domain.ANY), gen(new int[] {n - first}, depth - 1, Domain.ANY)), new int[] {n}, Domain.ANY);
    }

    private E matrix(int m, int n, int depth) {
      int[] s = {m, n};
      int k = dim();
      return switch (r.nextInt(10)) {
        case 0 -> new E("%s @ %s", List.of(gen(new int[] {m, k}, depth - 1, Domain.ANY), gen(new int[] {k, n}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 1 -> new E("%s.T", List.of(gen(new int[] {n, m}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 2 -> new E("outer(%s, %s)", List.of(gen(new int[] {m}, depth - 1, Domain.ANY), gen(new int[] {n}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 3 -> new E("expand(%s, " + m + ", " + n + ")", List.of(gen(new int[] {}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 4 -> new E("expand(%s, " + m + ", " + n + ")", List.of(gen(new int[] {n}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 5, 6, 7 -> matrixLayout(m, n, k, depth);
        default -> r.nextBoolean() ? defCall(s, depth) : elementwise(s, depth);
      };
    }

    /** A vector of n from the layout ops of issue 15: flatten, indexing and slicing. */
    private E vectorLayout(int n, int k, int depth) {
      int[] s = {n};
      int from = r.nextInt(3);
      return switch (r.nextInt(4)) {
        case 0 -> n % k == 0 ? new E("flatten(%s)", List.of(gen(new int[] {n / k, k}, depth - 1, Domain.ANY)), s, Domain.ANY) : elementwise(s, depth);
        case 1 -> new E("%s[" + r.nextInt(k) + "]", List.of(gen(new int[] {k, n}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 2 -> new E("%s[:, " + (r.nextInt(2 * k) - k) + "]", List.of(gen(new int[] {n, k}, depth - 1, Domain.ANY)), s, Domain.ANY);
        default -> new E("%s[" + from + ":" + (from + n) + "]", List.of(gen(new int[] {from + n + r.nextInt(2)}, depth - 1, Domain.ANY)), s, Domain.ANY);
      };
    }

    /**
     * A matrix [m, n] from the ops of issue 15: a subscript or a reduction of a rank-3 value, a
     * softmax along an axis, reshape, transpose with a perm, slices, concat and stack with axis=.
     */
    private E matrixLayout(int m, int n, int k, int depth) {
      int[] s = {m, n};
      int from = r.nextInt(2);
      return switch (r.nextInt(10)) {
        case 0 -> new E("%s[" + r.nextInt(k) + "]", List.of(gen(new int[] {k, m, n}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 1 -> new E("sum(%s, axis=" + (r.nextBoolean() ? "1" : "-2") + ")", List.of(gen(new int[] {m, k, n}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 2 -> new E((r.nextBoolean() ? "softmax" : "log_softmax") + "(%s, axis=" + (r.nextInt(4) - 2) + ")",
            List.of(gen(s, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 3 -> r.nextBoolean()
            ? new E("reshape(%s, [" + m + ", " + n + "])", List.of(gen(new int[] {m * n}, depth - 1, Domain.ANY)), s, Domain.ANY)
            : new E("reshape(%s, [-1, " + n + "])", List.of(gen(new int[] {n, m}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 4 -> new E("transpose(%s, [1, 0])", List.of(gen(new int[] {n, m}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 5 -> new E("%s[" + from + ":" + (from + m) + "]", List.of(gen(new int[] {from + m + 1, n}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 6 -> new E("%s[:, " + (from - n - 1) + ":" + (from - 1 == 0 ? "" : "-1") + "]",
            List.of(gen(new int[] {m, n + 1}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 7 -> n < 2 ? elementwise(s, depth) : axisConcat(s, 1, depth);
        case 8 -> m == 2 ? stackOf(s, 0, depth) : n == 2 ? stackOf(s, 1, depth) : elementwise(s, depth);
        default -> new E("sum(%s @ %s, axis=0)", List.of(gen(new int[] {k, m, k}, depth - 1, Domain.ANY), gen(new int[] {k, k, n}, depth - 1, Domain.ANY)), s, Domain.ANY);
      };
    }

    /** A rank-3 value: products of stacks, softmax along an axis, the layout ops, elementwise ops. */
    private E stack(int[] s, int depth) {
      int k = dim();
      int axis = r.nextInt(3);
      return switch (r.nextInt(9)) {
        case 0 -> new E("%s @ %s", List.of(gen(new int[] {s[0], s[1], k}, depth - 1, Domain.ANY), gen(new int[] {s[0], k, s[2]}, depth - 1, Domain.ANY)), s, Domain.ANY);
        // a matrix broadcast over the stack, and the other operand transposed at rank 3
        case 1 -> r.nextBoolean()
            ? new E("%s @ %s", List.of(gen(new int[] {s[0], s[1], k}, depth - 1, Domain.ANY), gen(new int[] {k, s[2]}, depth - 1, Domain.ANY)), s, Domain.ANY)
            : new E("%s @ %s.T", List.of(gen(new int[] {s[0], s[1], k}, depth - 1, Domain.ANY), gen(new int[] {s[0], s[2], k}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 2 -> new E("softmax(%s, axis=" + (axis - 3 * r.nextInt(2)) + ")", List.of(gen(s, depth - 1, Domain.ANY)), s, Domain.UNIT);
        case 3 -> {
          int[] perm = permutation();
          int[] from = new int[3];
          for (int i = 0; i < 3; i++) {
            from[perm[i]] = s[i];
          }
          yield new E("transpose(%s, [" + perm[0] + ", " + perm[1] + ", " + perm[2] + "])", List.of(gen(from, depth - 1, Domain.ANY)), s, Domain.ANY);
        }
        case 4 -> new E("reshape(%s, [" + s[0] + ", -1, " + s[2] + "])", List.of(gen(new int[] {s[0] * s[1], s[2]}, depth - 1, Domain.ANY)), s, Domain.ANY);
        case 5 -> s[axis] < 2 ? elementwise(s, depth) : axisConcat(s, axis, depth);
        case 6 -> s[axis] == 2 ? stackOf(s, axis, depth) : elementwise(s, depth);
        case 7 -> new E("%s[:, 1:]", List.of(gen(new int[] {s[0], s[1] + 1, s[2]}, depth - 1, Domain.ANY)), s, Domain.ANY);
        default -> elementwise(s, depth);
      };
    }

    private int[] permutation() {
      int[][] perms = {{0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}, {0, 1, 2}};
      return perms[r.nextInt(perms.length)];
    }

    /** concat of two parts of s split along axis (s[axis] at least 2). */
    private E axisConcat(int[] s, int axis, int depth) {
      int first = 1 + r.nextInt(s[axis] - 1);
      int[] a = s.clone();
      int[] b = s.clone();
      a[axis] = first;
      b[axis] = s[axis] - first;
      return new E("concat(%s, %s, axis=" + axis + ")", List.of(gen(a, depth - 1, Domain.ANY), gen(b, depth - 1, Domain.ANY)), s, Domain.ANY);
    }

    /** stack of two values along axis, where s[axis] is 2. */
    private E stackOf(int[] s, int axis, int depth) {
      int[] part = new int[s.length - 1];
      for (int i = 0, j = 0; i < s.length; i++) {
        if (i != axis) {
          part[j++] = s[i];
        }
      }
      return new E("stack(%s, %s, axis=" + axis + ")", List.of(gen(part, depth - 1, Domain.ANY), gen(part, depth - 1, Domain.ANY)), s, Domain.ANY);
    }

    private E defCall(int[] s, int depth) {
      if (defNames.contains("swish") && r.nextBoolean()) {
        return new E("swish(%s)", List.of(gen(s, depth - 1, Domain.ANY)), s, Domain.ANY);
      }
      if (defNames.contains("soft")) {
        return new E("soft(%s, %s)", List.of(gen(s, depth - 1, Domain.ANY), gen(new int[] {}, depth - 1, Domain.ANY)), s, Domain.ANY);
      }
      return elementwise(s, depth);
    }

    /** A per-instance scalar from an output, for the loss. */
    private E toScalar(E e) {
      return switch (r.nextInt(4)) {
        case 0 -> new E("sum(%s)", List.of(e), new int[] {}, Domain.ANY);
        case 1 -> new E("mean(%s)", List.of(e), new int[] {}, Domain.ANY);
        case 2 -> new E("norm2(%s)", List.of(e), new int[] {}, Domain.ANY);
        default -> new E(number() + " * max(%s)", List.of(e), new int[] {}, Domain.ANY);
      };
    }

    /** A divergence of a prediction against the target d. */
    private E divergence() {
      int[] ts = target.shape();
      E z = gen(ts, 2, Domain.ANY);
      return switch (r.nextInt(7)) {
        case 0 -> new E("l2(%s, %s)", List.of(z, target), new int[] {}, Domain.ANY);
        case 1 -> new E("cross_entropy(softmax(%s), %s)", List.of(z, target), new int[] {}, Domain.ANY);
        case 2 -> new E("bce(sigmoid(%s), %s)", List.of(z, target), new int[] {}, Domain.ANY);
        // Not the stable forms: probabilities kept away from 0 and 1, so that no log sees 0 (a
        // softmax of values hundreds apart rounds to exactly 0; seed 1487 did that).
        case 3 -> new E("cross_entropy(0.05 + 0.9 * sigmoid(%s), %s)", List.of(z, target), new int[] {}, Domain.ANY);
        case 4 -> new E("bce(0.05 + 0.9 * sigmoid(%s), %s)", List.of(z, target), new int[] {}, Domain.ANY);
        case 5 -> new E("kl(softmax(%s), 0.01 + softmax(%s))", List.of(target, z), new int[] {}, Domain.ANY);
        default -> new E("hinge(%s, %s)", List.of(z, target), new int[] {}, Domain.ANY);
      };
    }
  }
}
