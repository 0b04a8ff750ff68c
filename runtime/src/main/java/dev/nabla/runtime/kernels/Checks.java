package dev.nabla.runtime.kernels;

/** Argument checks shared by the kernels, so bad sizes fail with a message, not an array index error. */
final class Checks {
  private Checks() {
  }

  /**
   * Checks that a contiguous {@code [rows, cols]} block at {@code off} fits an array of
   * {@code length} elements.
   */
  static void block(String op, String name, int length, int off, int rows, int cols) {
    long need = (long) rows * cols;
    if (rows < 0 || cols < 0 || off < 0 || off + need > length) {
      throw new IllegalArgumentException(op + ": " + name + " is [" + rows + ", " + cols + "] ("
          + need + " elements) at offset " + off + " but its array has " + length + " elements");
    }
  }

  /** Checks that {@code [off, off + len)} fits an array of {@code length} elements. */
  static void range(String op, String name, int length, int off, int len) {
    if (off < 0 || len < 0 || (long) off + len > length) {
      throw new IllegalArgumentException(op + ": " + name + " range [" + off + ", " + ((long) off + len)
          + ") does not fit its array of " + length + " elements");
    }
  }
}
