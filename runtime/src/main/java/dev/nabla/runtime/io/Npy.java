package dev.nabla.runtime.io;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.HeapLimits;
import dev.nabla.runtime.MemoryLimitException;
import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.Shapes;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes single arrays in NumPy's {@code .npy} format.
 *
 * <p><b>Reading</b> accepts format versions 1.0, 2.0 and 3.0, C order only, any rank (a 0-d
 * array is a scalar), and the dtypes {@code f2 f4 f8} (as {@link DType#F32}, F32, F64) and
 * {@code i1..i8, u1..u8, b1} (converted to F64), little- or big-endian. Every problem is a
 * {@link NablaDataException} naming the file (and zip entry): bad magic, an unsupported version,
 * a header that is not a dict, an unsupported dtype, {@code fortran_order: True}, a shape over
 * the limits, truncated data, or data after the array.
 *
 * <p><b>Limits</b> (memory stays bounded by the bytes really present, never by a declared size):
 * <ul>
 *   <li>header at most {@value #MAX_HEADER_BYTES} bytes, shape rank at most {@value #MAX_RANK};</li>
 *   <li>at most {@value #MAX_ELEMENTS} elements ({@code Integer.MAX_VALUE - 8}, the largest Java
 *       array), and only what the heap can spare now: {@link HeapLimits#reserve} is asked before
 *       the array is allocated and before each time it grows, so the arrays of an archive count
 *       together and a too-large one is a {@link MemoryLimitException}, not an
 *       {@link OutOfMemoryError};</li>
 *   <li>when the source size is known (a file), the declared data must fit in it before anything
 *       is allocated; when it is not (a compressed zip entry), the destination grows only as data
 *       actually arrives, and reading stops right after the declared data (one more byte is read
 *       to detect data past the array).</li>
 * </ul>
 *
 * <p><b>Writing</b> produces exactly the bytes {@code np.save} produces for the same float32 or
 * float64 array (version 1.0 header padded with spaces to a multiple of 64 bytes, little-endian
 * data). {@link #write(Path, NdArray)} writes a temporary file in the target directory and moves
 * it into place atomically; write failures are {@link UncheckedIOException}s naming the file.
 */
public final class Npy {
  /** Largest accepted header (the dict text), in bytes. */
  public static final int MAX_HEADER_BYTES = 65_536;
  /** Largest accepted rank (NumPy's own limit is 64). */
  public static final int MAX_RANK = 64;
  /** Largest accepted element count: the largest Java array. */
  public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGN = 64;
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;
  private static final int CHUNK = 1 << 16;
  private static final int INITIAL_CAPACITY = 1 << 14;

  private Npy() {
  }

  // ---------------------------------------------------------------- reading

  /** Reads a {@code .npy} file. */
  public static NdArray read(Path file) {
    String where = file.toString();
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      throw new NablaDataException(where + ": no such file", e);
    } catch (IOException e) {
      throw new NablaDataException(where + ": cannot read: " + AtomicFiles.describe(e), e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, where, size, size);
    } catch (IOException e) {
      throw new NablaDataException(where + ": cannot read: " + AtomicFiles.describe(e), e);
    }
  }

  /** Reads a complete {@code .npy} image held in memory; {@code where} names it in error messages. */
  public static NdArray fromBytes(byte[] bytes, String where) {
    try {
      return read(new java.io.ByteArrayInputStream(bytes), where, bytes.length, bytes.length);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Reads one array from {@code in}, which must end right after the array's data.
   *
   * @param where names the source in error messages, e.g. {@code "data.npz: entry 'x'"}
   * @param knownSize the exact number of bytes {@code in} holds, or -1 if unknown; only a size
   *     that is really backed by data may be passed (it sizes the allocation)
   * @param declaredSize a size claimed by metadata (a zip directory), or -1: an array that
   *     cannot fit in it is rejected before reading its data, but nothing is allocated from it
   * @throws IOException if {@code in} fails (other than by ending early)
   */
  static NdArray read(InputStream in, String where, long knownSize, long declaredSize) throws IOException {
    byte[] pre = new byte[12];
    if (readFully(in, pre, 0, 8) < 8 || !startsWithMagic(pre)) {
      throw new NablaDataException(where + ": not a .npy array (it does not start with \\x93NUMPY)");
    }
    int major = pre[6] & 0xFF;
    int minor = pre[7] & 0xFF;
    if (major < 1 || major > 3 || minor != 0) {
      throw new NablaDataException(where + ": unsupported .npy format version " + major + "." + minor
          + " (supported: 1.0, 2.0, 3.0)");
    }
    int lenBytes = major == 1 ? 2 : 4;
    if (readFully(in, pre, 8, lenBytes) < lenBytes) {
      throw truncated(where, "the header");
    }
    long headerLen = major == 1 ? (pre[8] & 0xFF) | (pre[9] & 0xFF) << 8
        : ByteBuffer.wrap(pre, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    long prefix = 8 + lenBytes;
    if (headerLen > MAX_HEADER_BYTES) {
      throw new NablaDataException(where + ": the .npy header claims " + headerLen
          + " bytes, more than the limit of " + MAX_HEADER_BYTES);
    }
    if (knownSize >= 0 && prefix + headerLen > knownSize) {
      throw truncated(where, "the header");
    }
    byte[] headerBytes = new byte[(int) headerLen];
    if (readFully(in, headerBytes, 0, headerBytes.length) < headerBytes.length) {
      throw truncated(where, "the header");
    }
    String text = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    NpyHeader header = NpyHeader.parse(text, where);
    NpyType type = NpyType.parse(header.descr(), where);
    if (header.fortranOrder()) {
      throw new NablaDataException(where + ": the array is in Fortran (column-major) order, which is not "
          + "supported; save it with np.ascontiguousarray(a) first");
    }
    int[] shape = checkShape(header.shape(), where);
    int count = (int) elementCount(header.shape(), where);
    long dataBytes = (long) count * type.size();
    if (knownSize >= 0 && prefix + headerLen + dataBytes > knownSize) {
      throw new NablaDataException(where + ": data is truncated: shape " + Shapes.toString(shape) + " of "
          + header.descr() + " needs " + dataBytes + " bytes but only "
          + Math.max(0, knownSize - prefix - headerLen) + " follow the header");
    }
    if (declaredSize >= 0 && prefix + headerLen + dataBytes > declaredSize) {
      throw new NablaDataException(where + ": data is truncated: shape " + Shapes.toString(shape) + " of "
          + header.descr() + " needs " + dataBytes + " bytes but the entry holds only "
          + Math.max(0, declaredSize - prefix - headerLen) + " after the header");
    }
    String what = where + ": shape " + Shapes.toString(shape) + " of " + header.descr();
    NdArray out = readData(in, where, what, type, shape, count, knownSize >= 0);
    if (in.read() != -1) {
      throw new NablaDataException(where + ": there is data after the array (shape "
          + Shapes.toString(shape) + " of " + header.descr() + " ends after " + dataBytes + " bytes)");
    }
    return out;
  }

  /** Reads the data; {@code what} names the array in a {@link HeapLimits#reserve} refusal. */
  private static NdArray readData(InputStream in, String where, String what, NpyType type, int[] shape, int count,
      boolean sizeKnown) throws IOException {
    boolean toFloat = type.target() == DType.F32;
    int elementBytes = toFloat ? Float.BYTES : Double.BYTES;
    HeapLimits.reserve(what, (long) count * elementBytes);
    int capacity = sizeKnown ? count : Math.min(count, INITIAL_CAPACITY);
    Object dst = toFloat ? new float[capacity] : new double[capacity];
    int itemSize = type.size();
    // a multiple of the item size: CHUNK is, and so is count * itemSize
    byte[] chunk = new byte[(int) Math.max(itemSize, Math.min(CHUNK, (long) count * itemSize))];
    int done = 0;
    while (done < count) {
      int want = Math.min(chunk.length / itemSize, count - done);
      int got = readFully(in, chunk, 0, want * itemSize);
      if (got < want * itemSize) {
        long have = (long) done * itemSize + got;
        throw new NablaDataException(where + ": data is truncated: shape " + Shapes.toString(shape)
            + " needs " + (long) count * itemSize + " bytes but only " + have + " follow the header");
      }
      if (done + want > capacity) {
        capacity = (int) Math.min(count, Math.max((long) capacity * 2, done + want));
        HeapLimits.reserve(what, (long) capacity * elementBytes); // the old array is still live while copying
        dst = toFloat ? java.util.Arrays.copyOf((float[]) dst, capacity)
            : java.util.Arrays.copyOf((double[]) dst, capacity);
      }
      type.decode(ByteBuffer.wrap(chunk, 0, want * itemSize), want, dst, done);
      done += want;
    }
    return toFloat ? NdArray.ofFloats((float[]) dst, shape) : NdArray.of((double[]) dst, shape);
  }

  private static int[] checkShape(long[] dims, String where) {
    if (dims.length > MAX_RANK) {
      throw new NablaDataException(where + ": the array has rank " + dims.length + ", more than "
          + MAX_RANK);
    }
    int[] shape = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] > MAX_ELEMENTS) {
        throw tooBig(dims, where);
      }
      shape[i] = (int) dims[i];
    }
    return shape;
  }

  private static long elementCount(long[] dims, String where) {
    long n = 1;
    for (long d : dims) {
      if (d == 0) {
        return 0;
      }
    }
    for (long d : dims) {
      n *= d;
      if (n > MAX_ELEMENTS) {
        throw tooBig(dims, where);
      }
    }
    return n;
  }

  private static NablaDataException tooBig(long[] dims, String where) {
    return new NablaDataException(where + ": shape " + java.util.Arrays.toString(dims) + " has more than "
        + MAX_ELEMENTS + " elements, the limit");
  }

  private static NablaDataException truncated(String where, String part) {
    return new NablaDataException(where + ": the file is truncated (it ends inside " + part + ")");
  }

  private static boolean startsWithMagic(byte[] b) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (b[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** Reads up to {@code len} bytes, fewer only at end of stream; returns the count read. */
  static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
    int total = 0;
    while (total < len) {
      int r;
      try {
        r = in.read(b, off + total, len - total);
      } catch (EOFException e) {
        return total;
      }
      if (r < 0) {
        break;
      }
      total += r;
    }
    return total;
  }

  // ---------------------------------------------------------------- writing

  /** Writes {@code a} as a {@code .npy} file, atomically (a temporary file moved into place). */
  public static void write(Path file, NdArray a) {
    AtomicFiles.write(file, out -> write(out, a));
  }

  /** The complete {@code .npy} image of {@code a}, as {@code np.save} would write it. */
  public static byte[] toBytes(NdArray a) {
    long n = byteSize(a);
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("toBytes: " + a.dtype() + a.shapeString()
          + " needs " + n + " bytes, too many for one byte array; write it to a file");
    }
    java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream((int) n);
    try {
      write(bos, a);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bos.toByteArray();
  }

  /** The size in bytes of the {@code .npy} image of {@code a}. */
  public static long byteSize(NdArray a) {
    return header(a).length + (long) a.size() * a.dtype().byteSize();
  }

  /** Writes the {@code .npy} image of {@code a} to {@code out} (which is neither flushed nor closed). */
  public static void write(OutputStream out, NdArray a) throws IOException {
    out.write(header(a));
    int n = a.size();
    int per = CHUNK / a.dtype().byteSize();
    byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(1L, (long) n * a.dtype().byteSize()))];
    ByteBuffer buf = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
    for (int done = 0; done < n; ) {
      int m = Math.min(per, n - done);
      if (a.dtype() == DType.F32) {
        buf.asFloatBuffer().put(a.floats(), done, m);
      } else {
        buf.asDoubleBuffer().put(a.doubles(), done, m);
      }
      out.write(chunk, 0, m * a.dtype().byteSize());
      done += m;
    }
  }

  /** The magic, version, length and padded header dict, exactly as NumPy 2.x writes them. */
  static byte[] header(NdArray a) {
    int[] shape = a.shape();
    long[] dims = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] = shape[i];
    }
    StringBuilder text = new StringBuilder(new NpyHeader(a.dtype().numpyDescr(), false, dims).format());
    if (shape.length > 0) {
      text.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length())));
    }
    byte[] dict = text.toString().getBytes(StandardCharsets.ISO_8859_1);
    int hlen = dict.length + 1;
    int major = hlen + ALIGN - ((10 + hlen) % ALIGN) <= 0xFFFF ? 1 : 2;
    int prefix = major == 1 ? 10 : 12;
    int pad = ALIGN - ((prefix + hlen) % ALIGN);
    int total = hlen + pad;
    byte[] out = new byte[prefix + total];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[6] = (byte) major;
    out[7] = 0;
    if (major == 1) {
      out[8] = (byte) total;
      out[9] = (byte) (total >>> 8);
    } else {
      ByteBuffer.wrap(out, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(total);
    }
    System.arraycopy(dict, 0, out, prefix, dict.length);
    java.util.Arrays.fill(out, prefix + dict.length, out.length - 1, (byte) ' ');
    out[out.length - 1] = '\n';
    return out;
  }
}
