package dev.nabla.runtime.io;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.NablaDataException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The element types {@link Npy} reads, parsed from a header's {@code descr} such as
 * {@code "<f4"}: a byte order ({@code <} little, {@code >} big, {@code |} for one-byte types)
 * then a kind and size. Floats {@code f2}/{@code f4} load as {@link DType#F32}, {@code f8}
 * and every integer and bool type as {@link DType#F64} (64-bit integers above 2^53 round).
 *
 * @param kind the element kind
 * @param order the byte order of the data
 */
record NpyType(Kind kind, ByteOrder order) {

  /** Supported element kinds. */
  enum Kind {
    F2(2, DType.F32), F4(4, DType.F32), F8(8, DType.F64),
    I1(1, DType.F64), I2(2, DType.F64), I4(4, DType.F64), I8(8, DType.F64),
    U1(1, DType.F64), U2(2, DType.F64), U4(4, DType.F64), U8(8, DType.F64),
    B1(1, DType.F64);

    final int size;
    final DType target;

    Kind(int size, DType target) {
      this.size = size;
      this.target = target;
    }
  }

  static final String SUPPORTED = "float16/32/64, int8/16/32/64, uint8/16/32/64 and bool";

  int size() {
    return kind.size;
  }

  DType target() {
    return kind.target;
  }

  /** Parses {@code descr}; {@code where} prefixes the error message. */
  static NpyType parse(String descr, String where) {
    if (descr.length() >= 3) {
      char o = descr.charAt(0);
      Kind kind = switch (descr.substring(1)) {
        case "f2" -> Kind.F2;
        case "f4" -> Kind.F4;
        case "f8" -> Kind.F8;
        case "i1" -> Kind.I1;
        case "i2" -> Kind.I2;
        case "i4" -> Kind.I4;
        case "i8" -> Kind.I8;
        case "u1" -> Kind.U1;
        case "u2" -> Kind.U2;
        case "u4" -> Kind.U4;
        case "u8" -> Kind.U8;
        case "b1" -> Kind.B1;
        default -> null;
      };
      if (kind != null) {
        if (o == '<' || (o == '|' && kind.size == 1)) {
          return new NpyType(kind, ByteOrder.LITTLE_ENDIAN);
        }
        if (o == '>') {
          return new NpyType(kind, ByteOrder.BIG_ENDIAN);
        }
      }
    }
    throw new NablaDataException(where + ": unsupported dtype '" + descr + "' (supported: " + SUPPORTED
        + "; save the array as float32 or float64)");
  }

  /** Decodes {@code n} elements from {@code buf} (positioned at 0) into {@code dst[off..]} (float[] or double[]). */
  void decode(ByteBuffer buf, int n, Object dst, int off) {
    buf.order(order);
    if (kind == Kind.F4) {
      buf.asFloatBuffer().get((float[]) dst, off, n);
      return;
    }
    if (kind == Kind.F8) {
      buf.asDoubleBuffer().get((double[]) dst, off, n);
      return;
    }
    if (kind == Kind.F2) {
      float[] f = (float[]) dst;
      for (int i = 0; i < n; i++) {
        f[off + i] = Float.float16ToFloat(buf.getShort(2 * i));
      }
      return;
    }
    double[] d = (double[]) dst;
    for (int i = 0; i < n; i++) {
      d[off + i] = switch (kind) {
        case I1 -> buf.get(i);
        case I2 -> buf.getShort(2 * i);
        case I4 -> buf.getInt(4 * i);
        case I8 -> buf.getLong(8 * i);
        case U1 -> buf.get(i) & 0xFF;
        case U2 -> buf.getShort(2 * i) & 0xFFFF;
        case U4 -> buf.getInt(4 * i) & 0xFFFFFFFFL;
        case U8 -> unsignedToDouble(buf.getLong(8 * i));
        case B1 -> buf.get(i) != 0 ? 1 : 0;
        default -> throw new AssertionError(kind);
      };
    }
  }

  private static double unsignedToDouble(long v) {
    return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
  }
}
