package dev.nabla.compiler.parse;

import dev.nabla.compiler.ast.BinaryOp;
import dev.nabla.compiler.ast.Def;
import dev.nabla.compiler.ast.Dim;
import dev.nabla.compiler.ast.Expr;
import dev.nabla.compiler.ast.Identifier;
import dev.nabla.compiler.ast.Member;
import dev.nabla.compiler.ast.ModelDecl;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.ast.SourceFile;
import dev.nabla.compiler.ast.Span;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.diag.Limits;
import dev.nabla.compiler.diag.Quote;
import dev.nabla.grammar.NablaBaseVisitor;
import dev.nabla.grammar.NablaParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * The one place that turns ANTLR's parse tree into the AST; nothing else depends on ANTLR.
 *
 * <p>Spans: the line and column of a node are those of its first token, except for operator
 * nodes (the operator token: {@code @} in {@code W1 @ x}, {@code -} of a negation, {@code ^},
 * {@code .T}, the {@code [} of an index) and calls (the function name). The start and end
 * offsets always cover the node's whole text. A member's span starts at its first token; its
 * name span is the name token.
 *
 * <p>The grammar accepts any expression where the language wants a particular form; some rules
 * are checked here, each with its own message: a param initializer is a name or a call, named
 * arguments come after positional ones. Dimensions and indices are kept as expressions: they may
 * name dims, so the checker evaluates them ({@code check/Dims}).
 *
 * <p>After syntax errors the tree has holes (missing children, tokens made up by recovery).
 * Whatever cannot be built completely is left out: an expression with a hole makes its member
 * or def disappear, a model without a name disappears (its members are still checked). The
 * errors have been reported, so callers stop before using such a partial AST.
 */
final class AstBuilder {
  private final Source source;
  private final Positions positions;
  private final Diagnostics diagnostics;
  private final ExprBuilder exprs = new ExprBuilder();

  AstBuilder(Source source, Positions positions, Diagnostics diagnostics) {
    this.source = source;
    this.positions = positions;
    this.diagnostics = diagnostics;
  }

  SourceFile build(NablaParser.FileContext file) {
    List<Def> defs = new ArrayList<>();
    List<Member.DimDecl> dims = new ArrayList<>();
    List<ModelDecl> models = new ArrayList<>();
    if (file != null) {
      for (ParseTree child : children(file)) {
        if (child instanceof NablaParser.DefContext d) {
          addIfBuilt(defs, def(d));
        } else if (child instanceof NablaParser.FileDimContext d) {
          addIfBuilt(dims, dimDecl(d.ident(), d.expr(), d));
        } else if (child instanceof NablaParser.ModelContext m) {
          addIfBuilt(models, model(m));
        }
      }
    }
    return new SourceFile(source, defs, dims, models);
  }

  // ------------------------------------------------------------------ top level

  private Def def(NablaParser.DefContext ctx) {
    Identifier name = identifier(ctx.ident(0));
    List<Identifier> parameters = new ArrayList<>();
    boolean complete = name != null;
    for (int i = 1; i < ctx.ident().size(); i++) {
      Identifier parameter = identifier(ctx.ident(i));
      complete &= parameter != null;
      addIfBuilt(parameters, parameter);
    }
    Expr body = expr(ctx.expr());
    if (!complete || body == null) {
      return null;
    }
    return new Def(name.name(), name.span(), parameters, body, whole(ctx));
  }

  private ModelDecl model(NablaParser.ModelContext ctx) {
    Identifier name = identifier(ctx.ident());
    List<Member> members = new ArrayList<>();
    for (NablaParser.MemberContext m : ctx.member()) {
      addIfBuilt(members, member(m));
    }
    return name == null ? null : new ModelDecl(name.name(), name.span(), members, whole(ctx));
  }

  /** {@code dim T = 8;}, at file level or in a model; its value is checked by the checker. */
  private Member.DimDecl dimDecl(
      NablaParser.IdentContext ident, NablaParser.ExprContext value, ParserRuleContext ctx) {
    Identifier name = identifier(ident);
    Expr e = expr(value);
    return name == null || e == null ? null : new Member.DimDecl(name.name(), name.span(), e, whole(ctx));
  }

  // ------------------------------------------------------------------ members

  private Member member(NablaParser.MemberContext ctx) {
    return switch (ctx) {
      case NablaParser.InputDeclContext c -> {
        Identifier name = identifier(c.ident());
        List<Dim> shape = shape(c.shape());
        yield name == null || shape == null
            ? null
            : new Member.Input(name.name(), name.span(), shape, c.GRAD() != null, whole(c));
      }
      case NablaParser.TargetDeclContext c -> {
        Identifier name = identifier(c.ident());
        List<Dim> shape = shape(c.shape());
        yield name == null || shape == null
            ? null
            : new Member.Target(name.name(), name.span(), shape, whole(c));
      }
      case NablaParser.ParamDeclContext c -> {
        Identifier name = identifier(c.ident());
        List<Dim> shape = shape(c.shape());
        boolean hasInit = c.ASSIGN() != null;
        Expr init = hasInit ? initializer(c.init) : null;
        yield name == null || shape == null || (hasInit && init == null)
            ? null
            : new Member.Param(name.name(), name.span(), shape, init, whole(c));
      }
      case NablaParser.HyperDeclContext c -> {
        Identifier name = identifier(c.ident());
        Expr value = expr(c.expr());
        yield name == null || value == null
            ? null
            : new Member.Hyper(name.name(), name.span(), value, whole(c));
      }
      case NablaParser.OutputDeclContext c -> {
        Identifier name = identifier(c.ident());
        boolean hasValue = c.ASSIGN() != null;
        Expr value = hasValue ? expr(c.expr()) : null;
        yield name == null || (hasValue && value == null)
            ? null
            : new Member.Output(name.name(), name.span(), value, whole(c));
      }
      case NablaParser.LossDeclContext c -> {
        Identifier name = identifier(c.ident());
        Expr value = expr(c.expr());
        yield name == null || value == null
            ? null
            : new Member.Loss(name.name(), name.span(), value, whole(c));
      }
      case NablaParser.DimDeclContext c -> dimDecl(c.ident(), c.expr(), c);
      case NablaParser.AssignContext c -> {
        Identifier name = identifier(c.ident());
        Expr value = expr(c.expr());
        yield name == null || value == null
            ? null
            : new Member.Assign(name.name(), name.span(), value, whole(c));
      }
      case NablaParser.LoopContext c -> loop(c);
      case NablaParser.StateDeclContext c -> {
        Identifier name = identifier(c.ident());
        List<Dim> shape = shape(c.shape());
        Expr initial = expr(c.expr());
        yield name == null || shape == null || initial == null
            ? null
            : new Member.State(name.name(), name.span(), shape, initial, whole(c));
      }
      case NablaParser.CollectDeclContext c -> {
        Identifier name = identifier(c.ident());
        Expr value = expr(c.expr());
        yield name == null || value == null
            ? null
            : new Member.Collect(name.name(), name.span(), value, whole(c));
      }
      default -> null; // no alternative matched: a syntax error has been reported
    };
  }

  /**
   * {@code for x in xs, y in reverse(ys) { ... }}. {@code reverse(...)} around a sequence is the
   * loop's direction, not a function: every sequence of a loop has it or none does.
   */
  private Member.Loop loop(NablaParser.LoopContext ctx) {
    List<Member.Sequence> sequences = new ArrayList<>();
    boolean complete = true;
    int reversed = 0;
    for (NablaParser.LoopSequenceContext s : ctx.loopSequence()) {
      Identifier name = identifier(s.ident());
      Expr sequence = expr(s.expr());
      if (name == null || sequence == null) {
        complete = false;
        continue;
      }
      if (sequence instanceof Expr.Call call && call.function().equals("reverse")
          && call.args().size() == 1 && call.namedArgs().isEmpty()) {
        reversed++;
        sequence = call.args().getFirst();
      }
      sequences.add(new Member.Sequence(name.name(), name.span(), sequence, whole(s)));
    }
    if (complete && reversed > 0 && reversed < sequences.size()) {
      error(positions.of(ctx.start), "a loop runs in one direction: write reverse(...) around every"
          + " sequence of this loop or around none");
      complete = false;
    }
    List<Member> body = new ArrayList<>();
    for (NablaParser.MemberContext m : ctx.member()) {
      addIfBuilt(body, member(m));
    }
    return complete
        ? new Member.Loop(sequences, reversed > 0, body, positions.of(ctx.start), whole(ctx))
        : null;
  }

  /**
   * The dimensions of {@code [32, 64]}; empty when the shape is left out (a scalar); null when a
   * dimension is wrong (reported).
   */
  private List<Dim> shape(NablaParser.ShapeContext ctx) {
    List<Dim> dims = new ArrayList<>();
    if (ctx == null) {
      return dims;
    }
    if (ctx.expr().isEmpty()) {
      if (ctx.RBRACKET() != null) {
        error(positions.of(ctx.start), "empty shape '[]': leave out the brackets for a scalar");
      }
      return null;
    }
    boolean ok = true;
    for (NablaParser.ExprContext e : ctx.expr()) {
      Dim dim = dim(e);
      ok &= dim != null;
      addIfBuilt(dims, dim);
    }
    return ok ? dims : null;
  }

  /** One dimension: any expression here; the checker evaluates it (dims, whole numbers). */
  private Dim dim(NablaParser.ExprContext ctx) {
    Expr size = expr(ctx);
    return size == null ? null : new Dim(size, positions.of(ctx.start));
  }

  /** A param initializer: a name ({@code he}) or a call ({@code uniform(-1, 1)}). */
  private Expr initializer(NablaParser.ExprContext ctx) {
    Expr init = expr(ctx);
    if (init == null || init instanceof Expr.Name || init instanceof Expr.Call) {
      return init;
    }
    String hint =
        init instanceof Expr.Num || (init instanceof Expr.Neg n && n.operand() instanceof Expr.Num)
            ? ": write 'const(" + text(ctx) + ")' for a constant"
            : ", such as 'he' or 'uniform(-1, 1)'";
    error(positions.of(ctx.start), "a param initializer must be a name or a call" + hint);
    return null;
  }

  // ------------------------------------------------------------------ expressions

  /** How deep {@link #expr} is in the expression being built, and whether it has gone too deep. */
  private int depth;
  private boolean tooDeep;

  private Expr expr(NablaParser.ExprContext ctx) {
    if (ctx == null || tooDeep) {
      return null;
    }
    if (depth == Limits.MAX_NESTING) {
      // Chains such as a + b + c nest here, not in the parser; stop before the stack runs out.
      tooDeep = true;
      error(positions.of(ctx.start), Parser.tooDeepMessage());
      return null;
    }
    depth++;
    try {
      return exprs.visit(ctx);
    } finally {
      if (--depth == 0) {
        tooDeep = false;
      }
    }
  }

  /** One visitor method per labelled alternative of {@code expr} in the grammar. */
  private final class ExprBuilder extends NablaBaseVisitor<Expr> {
    @Override
    public Expr visitNumber(NablaParser.NumberContext ctx) {
      Token token = ctx.NUMBER().getSymbol();
      double value = Double.parseDouble(token.getText());
      if (Double.isInfinite(value)) {
        error(positions.of(token), "number '" + token.getText() + "' is too large");
        return null;
      }
      return new Expr.Num(value, token.getText(), positions.of(token));
    }

    @Override
    public Expr visitNameRef(NablaParser.NameRefContext ctx) {
      Identifier name = identifier(ctx.ident());
      return name == null ? null : new Expr.Name(name.name(), name.span());
    }

    @Override
    public Expr visitCall(NablaParser.CallContext ctx) {
      Identifier function = identifier(ctx.ident());
      List<Expr> args = new ArrayList<>();
      List<Expr.NamedArg> named = new ArrayList<>();
      boolean complete = function != null;
      for (NablaParser.ArgContext arg : ctx.arg()) {
        switch (arg) {
          case NablaParser.NamedArgContext n -> {
            Identifier name = identifier(n.ident());
            Expr value = expr(n.expr());
            complete &= name != null && value != null;
            if (name != null && value != null) {
              named.add(new Expr.NamedArg(name.name(), value, positions.of(n.start, n.stop,
                  n.start)));
            }
          }
          case NablaParser.PositionalArgContext p -> {
            Expr value = expr(p.expr());
            complete &= value != null;
            if (!named.isEmpty()) {
              error(
                  positions.of(p.start),
                  "positional argument after the named argument '" + named.getLast().name()
                      + "': named arguments come last");
              complete = false;
            }
            addIfBuilt(args, value);
          }
          default -> complete = false;
        }
      }
      if (!complete) {
        return null;
      }
      return new Expr.Call(function.name(), args, named, whole(ctx, function.span()));
    }

    @Override
    public Expr visitParens(NablaParser.ParensContext ctx) {
      if (ctx.expr().size() == 1) {
        return expr(ctx.expr(0));
      }
      // (2, 1): a pair (the checker says where one may stand)
      List<Expr> items = items(ctx.expr());
      return items == null || ctx.RPAREN() == null ? null : new Expr.Tuple(items, whole(ctx));
    }

    /** The expressions of a list or a pair, or null if one of them is broken. */
    private List<Expr> items(List<NablaParser.ExprContext> contexts) {
      List<Expr> items = new ArrayList<>();
      for (NablaParser.ExprContext e : contexts) {
        Expr item = expr(e);
        if (item == null) {
          return null;
        }
        items.add(item);
      }
      return items;
    }

    @Override
    public Expr visitTranspose(NablaParser.TransposeContext ctx) {
      Expr operand = expr(ctx.expr());
      return operand == null
          ? null
          : new Expr.Transpose(operand, whole(ctx, ctx.TRANSPOSE().getSymbol()));
    }

    /**
     * {@code X[2, 1:4, :]}. The bounds are expressions here; the checker makes sure they are
     * whole numbers (literals, dims, arithmetic of them) and in range.
     */
    @Override
    public Expr visitIndex(NablaParser.IndexContext ctx) {
      Expr operand = expr(ctx.expr());
      if (operand == null || ctx.RBRACKET() == null) {
        return null;
      }
      List<Expr.Subscript> subscripts = new ArrayList<>();
      for (NablaParser.SubscriptContext s : ctx.subscript()) {
        Expr.Subscript built = subscript(s);
        if (built == null) {
          return null;
        }
        subscripts.add(built);
      }
      return new Expr.Index(operand, subscripts, whole(ctx, ctx.LBRACKET().getSymbol()));
    }

    private Expr.Subscript subscript(NablaParser.SubscriptContext ctx) {
      return switch (ctx) {
        case NablaParser.AtContext at -> {
          Expr e = expr(at.expr());
          yield e == null ? null : new Expr.Subscript(e, null, null, whole(at));
        }
        case NablaParser.RangeContext r -> {
          Expr from = r.from == null ? null : expr(r.from);
          Expr to = r.to == null ? null : expr(r.to);
          boolean complete = (r.from == null || from != null) && (r.to == null || to != null);
          yield complete ? new Expr.Subscript(null, from, to, whole(r)) : null;
        }
        default -> null; // a syntax error has been reported
      };
    }

    @Override
    public Expr visitList(NablaParser.ListContext ctx) {
      List<Expr> items = items(ctx.expr());
      return items == null || ctx.RBRACKET() == null ? null : new Expr.ListLit(items, whole(ctx));
    }

    @Override
    public Expr visitPower(NablaParser.PowerContext ctx) {
      return binary(BinaryOp.POW, ctx, ctx.expr(0), ctx.expr(1), ctx.CARET().getSymbol());
    }

    @Override
    public Expr visitNegate(NablaParser.NegateContext ctx) {
      Expr operand = expr(ctx.expr());
      return operand == null ? null : new Expr.Neg(operand, whole(ctx, ctx.MINUS().getSymbol()));
    }

    @Override
    public Expr visitMatMul(NablaParser.MatMulContext ctx) {
      return binary(BinaryOp.MATMUL, ctx, ctx.expr(0), ctx.expr(1), ctx.AT().getSymbol());
    }

    @Override
    public Expr visitMulDiv(NablaParser.MulDivContext ctx) {
      BinaryOp op = ctx.op.getType() == NablaParser.STAR ? BinaryOp.MUL : BinaryOp.DIV;
      return binary(op, ctx, ctx.expr(0), ctx.expr(1), ctx.op);
    }

    @Override
    public Expr visitCompare(NablaParser.CompareContext ctx) {
      BinaryOp op =
          switch (ctx.op.getType()) {
            case NablaParser.LESS -> BinaryOp.LT;
            case NablaParser.LESS_EQ -> BinaryOp.LE;
            case NablaParser.GREATER -> BinaryOp.GT;
            case NablaParser.GREATER_EQ -> BinaryOp.GE;
            case NablaParser.EQUAL -> BinaryOp.EQ;
            default -> BinaryOp.NE;
          };
      return binary(op, ctx, ctx.expr(0), ctx.expr(1), ctx.op);
    }

    @Override
    public Expr visitAddSub(NablaParser.AddSubContext ctx) {
      BinaryOp op = ctx.op.getType() == NablaParser.PLUS ? BinaryOp.ADD : BinaryOp.SUB;
      return binary(op, ctx, ctx.expr(0), ctx.expr(1), ctx.op);
    }

    private Expr binary(
        BinaryOp op,
        ParserRuleContext ctx,
        NablaParser.ExprContext left,
        NablaParser.ExprContext right,
        Token operator) {
      Expr l = expr(left);
      Expr r = expr(right);
      return l == null || r == null ? null : new Expr.Binary(op, l, r, whole(ctx, operator));
    }
  }

  // ------------------------------------------------------------------ helpers

  /** The name in an {@code ident}, or null when error recovery left it out or made it up. */
  private Identifier identifier(NablaParser.IdentContext ctx) {
    if (ctx == null) {
      return null;
    }
    for (ParseTree child : children(ctx)) {
      if (child instanceof TerminalNode t
          && !(child instanceof ErrorNode)
          && Positions.isReal(t.getSymbol())) {
        Identifier name = new Identifier(t.getText(), positions.of(t.getSymbol()));
        if (name.name().length() > Limits.MAX_NAME_LENGTH) {
          error(name.span(), "the name " + Quote.name(name.name()) + " is longer than "
              + Limits.MAX_NAME_LENGTH + " characters, the limit for a name");
        }
        return name;
      }
    }
    return null;
  }

  /** The source text of a subtree, as written. */
  private String text(ParserRuleContext ctx) {
    Token last = ctx.stop != null && Positions.isReal(ctx.stop) ? ctx.stop : ctx.start;
    return positions.text(positions.startOf(ctx.start), positions.endOf(last));
  }

  /** The whole subtree, positioned at its first token. */
  private Span whole(ParserRuleContext ctx) {
    return whole(ctx, ctx.start);
  }

  private Span whole(ParserRuleContext ctx, Span at) {
    Span range = whole(ctx);
    return new Span(at.line(), at.column(), range.start(), range.end());
  }

  /** The whole subtree, positioned at {@code at}. */
  private Span whole(ParserRuleContext ctx, Token at) {
    Token last = ctx.stop != null && Positions.isReal(ctx.stop) ? ctx.stop : ctx.start;
    return positions.of(ctx.start, last, at);
  }

  private static List<ParseTree> children(ParserRuleContext ctx) {
    return ctx.children == null ? List.of() : ctx.children;
  }

  private static <T> void addIfBuilt(List<T> list, T item) {
    if (item != null) {
      list.add(item);
    }
  }

  private void error(Span span, String message) {
    diagnostics.error(source, span, message);
  }
}
