package dev.nabla.compiler.ast;

import java.util.List;

/**
 * One declaration or statement inside a model. Every member but a loop introduces exactly one
 * name ({@link #name()}), written at {@link #nameSpan()}; a {@link Loop} introduces the names of
 * its states and collected values ({@link Loop#defines()}).
 */
public sealed interface Member {
  String name();

  Span nameSpan();

  /** The whole member, from its first token. */
  Span span();

  /** {@code input x[64];} or {@code input x[64] grad;}; an empty shape is a scalar. */
  record Input(String name, Span nameSpan, List<Dim> shape, boolean grad, Span span)
      implements Member {
    public Input {
      shape = List.copyOf(shape);
    }
  }

  /** {@code target d[10];}. */
  record Target(String name, Span nameSpan, List<Dim> shape, Span span) implements Member {
    public Target {
      shape = List.copyOf(shape);
    }
  }

  /**
   * {@code param W[32, 64] = he;}. The initializer is a name ({@code he}) or a call
   * ({@code uniform(-1, 1)}); null when omitted.
   */
  record Param(String name, Span nameSpan, List<Dim> shape, Expr initializer, Span span)
      implements Member {
    public Param {
      shape = List.copyOf(shape);
    }
  }

  /** {@code hyper lambda = 1e-4;}. */
  record Hyper(String name, Span nameSpan, Expr value, Span span) implements Member {}

  /** {@code z1 = W1 @ x + b1;}. */
  record Assign(String name, Span nameSpan, Expr value, Span span) implements Member {}

  /** {@code output Y = softmax(z2);}, or {@code output Y;} (value null) to export a value. */
  record Output(String name, Span nameSpan, Expr value, Span span) implements Member {}

  /** {@code loss L = cross_entropy(Y, d);}. */
  record Loss(String name, Span nameSpan, Expr value, Span span) implements Member {}

  /**
   * {@code dim T = 8;}: a whole-number constant, inside a model or (in {@link SourceFile#dims})
   * at the top level of a file, for every model.
   */
  record DimDecl(String name, Span nameSpan, Expr value, Span span) implements Member {}

  /**
   * {@code for x in xs, y in ys { ... }} (issue 17): a step run over the first axis of the
   * sequences, t = 0 .. T-1 ({@code reverse}: T-1 down to 0, written {@code x in reverse(xs)}).
   * Its body holds statements, {@link State}s and {@link Collect}s. {@link #name()} is
   * {@code for} and {@link #nameSpan()} the keyword: a loop's own names are {@link #defines()}.
   */
  record Loop(List<Sequence> sequences, boolean reverse, List<Member> body, Span nameSpan, Span span)
      implements Member {
    public Loop {
      sequences = List.copyOf(sequences);
      body = List.copyOf(body);
    }

    @Override
    public String name() {
      return "for";
    }

    /** The names visible after the loop: its states (final values) and collected values. */
    public List<Member> defines() {
      return body.stream().filter(m -> m instanceof State || m instanceof Collect).toList();
    }
  }

  /** {@code x in xs} in a loop's header: x is element t of the sequence xs. */
  record Sequence(String name, Span nameSpan, Expr sequence, Span span) {}

  /**
   * {@code state h[H] = 0;} in a loop: a value carried from step to step, {@code initial} before
   * the first step (computed before the loop). An empty shape is a scalar.
   */
  record State(String name, Span nameSpan, List<Dim> shape, Expr initial, Span span) implements Member {
    public State {
      shape = List.copyOf(shape);
    }
  }

  /** {@code collect hs = h;} in a loop: after it, hs is [T, ...], row t the value at step t. */
  record Collect(String name, Span nameSpan, Expr value, Span span) implements Member {}
}
