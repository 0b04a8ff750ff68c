package dev.nabla.runtime;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense, row-major (C order) n-dimensional array of {@code float} or {@code double}.
 *
 * <p>The array owns an {@code int[]} shape (rank 0 = scalar, rank 1 = vector, ...) and exactly
 * one backing array: a {@code float[]} for {@link DType#F32}, a {@code double[]} for
 * {@link DType#F64}. Element {@code (i0, i1, ..., ir)} lives at flat index
 * {@code ((i0 * d1 + i1) * d2 + i2) ... }. {@link #floats()} and {@link #doubles()} return the
 * live backing array, so generated code can run kernels on it without copying.
 *
 * <p>The shape is fixed; element values are mutable. Equality is by value (dtype, shape and
 * every element, compared as {@link Arrays#equals(double[], double[])} does).
 */
public final class NdArray {
  private static final int TO_STRING_ELEMENTS = 6;

  private final DType dtype;
  private final int[] shape;
  private final int size;
  private final float[] f;
  private final double[] d;

  private NdArray(DType dtype, int[] shape, float[] f, double[] d) {
    this.dtype = dtype;
    this.shape = shape;
    this.size = Shapes.size(shape);
    this.f = f;
    this.d = d;
  }

  /** A new array of zeros. */
  public static NdArray zeros(DType dtype, int... shape) {
    Objects.requireNonNull(dtype, "dtype");
    int[] s = shape.clone();
    int n = Shapes.size(s);
    return dtype == DType.F32 ? new NdArray(dtype, s, new float[n], null)
        : new NdArray(dtype, s, null, new double[n]);
  }

  /**
   * An {@link DType#F64} array that wraps {@code data} (no copy: the array becomes the backing
   * store). An empty {@code shape} makes a scalar, which needs exactly one element.
   *
   * @throws IllegalArgumentException if {@code data.length} is not the size of {@code shape}
   */
  public static NdArray of(double[] data, int... shape) {
    int[] s = shape.clone();
    checkLength("NdArray.of", data.length, s);
    return new NdArray(DType.F64, s, null, data);
  }

  /** Like {@link #of(double[], int...)} for an {@link DType#F32} array wrapping {@code data}. */
  public static NdArray ofFloats(float[] data, int... shape) {
    int[] s = shape.clone();
    checkLength("NdArray.ofFloats", data.length, s);
    return new NdArray(DType.F32, s, data, null);
  }

  /** A rank-0 {@link DType#F64} array holding {@code value}. */
  public static NdArray scalar(double value) {
    return new NdArray(DType.F64, new int[0], null, new double[] {value});
  }

  private static void checkLength(String what, int length, int[] shape) {
    int n = Shapes.size(shape);
    if (n != length) {
      throw new IllegalArgumentException(what + ": data has " + length + " elements but shape "
          + Shapes.toString(shape) + " needs " + n);
    }
  }

  /** The element type. */
  public DType dtype() {
    return dtype;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** The number of dimensions (0 for a scalar). */
  public int rank() {
    return shape.length;
  }

  /** The length of dimension {@code axis}. */
  public int dim(int axis) {
    if (axis < 0 || axis >= shape.length) {
      throw new IndexOutOfBoundsException("axis " + axis + " out of range for shape " + shapeString());
    }
    return shape[axis];
  }

  /** Number of elements (the product of the shape; 1 for a scalar). */
  public int size() {
    return size;
  }

  /** The shape as text: {@code "[32, 64]"}, a scalar is {@code "[]"}. */
  public String shapeString() {
    return Shapes.toString(shape);
  }

  /** True if this array has exactly the given shape. */
  public boolean hasShape(int... other) {
    return Arrays.equals(shape, other);
  }

  /**
   * The live {@code float[]} backing an {@link DType#F32} array (writes change this array).
   *
   * @throws IllegalStateException if this array is {@link DType#F64}
   */
  public float[] floats() {
    if (f == null) {
      throw new IllegalStateException("floats(): this array is " + dtype + " " + shapeString()
          + "; use doubles() or asType(DType.F32)");
    }
    return f;
  }

  /**
   * The live {@code double[]} backing an {@link DType#F64} array (writes change this array).
   *
   * @throws IllegalStateException if this array is {@link DType#F32}
   */
  public double[] doubles() {
    if (d == null) {
      throw new IllegalStateException("doubles(): this array is " + dtype + " " + shapeString()
          + "; use floats() or asType(DType.F64)");
    }
    return d;
  }

  /** The element at row-major position {@code flatIndex}, widened to double. */
  public double getDouble(int flatIndex) {
    checkFlat(flatIndex);
    return f != null ? f[flatIndex] : d[flatIndex];
  }

  /** Sets the element at row-major position {@code flatIndex} (rounded to float for F32). */
  public void setDouble(int flatIndex, double value) {
    checkFlat(flatIndex);
    if (f != null) {
      f[flatIndex] = (float) value;
    } else {
      d[flatIndex] = value;
    }
  }

  /** The element at a full multi-index (one index per axis), widened to double. */
  public double get(int... index) {
    return f != null ? f[flatIndex(index)] : d[flatIndex(index)];
  }

  /** Sets the element at a full multi-index (one index per axis). */
  public void set(double value, int... index) {
    int i = flatIndex(index);
    if (f != null) {
      f[i] = (float) value;
    } else {
      d[i] = value;
    }
  }

  /** The row-major flat position of a full multi-index. */
  public int flatIndex(int... index) {
    if (index.length != shape.length) {
      throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " has " + index.length
          + " axes but the array is " + shapeString());
    }
    int flat = 0;
    for (int a = 0; a < shape.length; a++) {
      if (index[a] < 0 || index[a] >= shape[a]) {
        throw new IndexOutOfBoundsException("index " + Arrays.toString(index)
            + " out of bounds for shape " + shapeString());
      }
      flat = flat * shape[a] + index[a];
    }
    return flat;
  }

  private void checkFlat(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("flat index " + i + " out of bounds for shape "
          + shapeString() + " (size " + size + ")");
    }
  }

  /** A new {@code double[]} with every element (a copy, also for F64). */
  public double[] toDoubles() {
    if (d != null) {
      return d.clone();
    }
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = f[i];
    }
    return out;
  }

  /** A deep copy (same dtype and shape, own backing array). */
  public NdArray copy() {
    return new NdArray(dtype, shape, f == null ? null : f.clone(), d == null ? null : d.clone());
  }

  /** A new array converted to {@code target} (always a copy, also when the dtype is already right). */
  public NdArray asType(DType target) {
    Objects.requireNonNull(target, "target");
    if (target == dtype) {
      return copy();
    }
    NdArray out = zeros(target, shape);
    out.copyFrom(this);
    return out;
  }

  /**
   * Copies every element of {@code src} into this array, converting between F32 and F64.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public void copyFrom(NdArray src) {
    if (!Arrays.equals(shape, src.shape)) {
      throw new IllegalArgumentException("copyFrom: this array is " + shapeString() + " but the source is "
          + src.shapeString());
    }
    if (f != null && src.f != null) {
      System.arraycopy(src.f, 0, f, 0, size);
    } else if (d != null && src.d != null) {
      System.arraycopy(src.d, 0, d, 0, size);
    } else if (f != null) {
      for (int i = 0; i < size; i++) {
        f[i] = (float) src.d[i];
      }
    } else {
      for (int i = 0; i < size; i++) {
        d[i] = src.f[i];
      }
    }
  }

  /** Sets every element to {@code value}. */
  public void fill(double value) {
    if (f != null) {
      Arrays.fill(f, (float) value);
    } else {
      Arrays.fill(d, value);
    }
  }

  /**
   * A view with another shape of the same size that shares this array's backing store.
   *
   * @throws IllegalArgumentException if the sizes differ
   */
  public NdArray reshape(int... newShape) {
    int[] s = newShape.clone();
    if (Shapes.size(s) != size) {
      throw new IllegalArgumentException("reshape: cannot view " + shapeString() + " (" + size
          + " elements) as " + Shapes.toString(s) + " (" + Shapes.size(s) + " elements)");
    }
    return new NdArray(dtype, s, f, d);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NdArray other
        && dtype == other.dtype
        && Arrays.equals(shape, other.shape)
        && Arrays.equals(f, other.f)
        && Arrays.equals(d, other.d);
  }

  @Override
  public int hashCode() {
    int h = dtype.hashCode();
    h = 31 * h + Arrays.hashCode(shape);
    return 31 * h + (f != null ? Arrays.hashCode(f) : Arrays.hashCode(d));
  }

  /** A short description: dtype, shape and the first few values, e.g. {@code F32[2, 3] [1.0, 2.0, ...]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(dtype).append(shapeString()).append(" [");
    int shown = Math.min(size, TO_STRING_ELEMENTS);
    for (int i = 0; i < shown; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(f != null ? Float.toString(f[i]) : Double.toString(d[i]));
    }
    if (size > shown) {
      sb.append(", ... (").append(size).append(" elements)");
    }
    return sb.append(']').toString();
  }
}
