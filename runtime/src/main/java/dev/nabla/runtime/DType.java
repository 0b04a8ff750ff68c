package dev.nabla.runtime;

/**
 * The element type of an {@link NdArray}: 32-bit or 64-bit IEEE floating point.
 *
 * <p>{@code F32} arrays are backed by a {@code float[]}, {@code F64} arrays by a
 * {@code double[]}. In {@code .npy} files they are {@code '<f4'} and {@code '<f8'}.
 */
public enum DType {
  /** 32-bit float, NumPy {@code float32} ({@code '<f4'}). */
  F32(4, "<f4"),
  /** 64-bit float, NumPy {@code float64} ({@code '<f8'}). */
  F64(8, "<f8");

  private final int byteSize;
  private final String numpyDescr;

  DType(int byteSize, String numpyDescr) {
    this.byteSize = byteSize;
    this.numpyDescr = numpyDescr;
  }

  /** Bytes per element: 4 or 8. */
  public int byteSize() {
    return byteSize;
  }

  /** The NumPy dtype string written to {@code .npy} headers: {@code "<f4"} or {@code "<f8"}. */
  public String numpyDescr() {
    return numpyDescr;
  }
}
