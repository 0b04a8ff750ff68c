package dev.nabla.compiler.ast;

/** The binary operators of the language, with their source spelling. */
public enum BinaryOp {
  ADD("+"),
  SUB("-"),
  MUL("*"),
  DIV("/"),
  MATMUL("@"),
  POW("^"),
  LT("<"),
  LE("<="),
  GT(">"),
  GE(">="),
  EQ("=="),
  NE("!=");

  private final String symbol;

  BinaryOp(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  /** {@code < <= > >= == !=}: 1 where the comparison holds, else 0. */
  public boolean isComparison() {
    return ordinal() >= LT.ordinal();
  }
}
