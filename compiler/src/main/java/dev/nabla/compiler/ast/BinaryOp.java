package dev.nabla.compiler.ast;

/** The binary operators of the language, with their source spelling. */
public enum BinaryOp {
  ADD("+"),
  SUB("-"),
  MUL("*"),
  DIV("/"),
  MATMUL("@"),
  POW("^");

  private final String symbol;

  BinaryOp(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }
}
