package dev.nabla.runtime;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor a compiled model declares (a param, input, target or output) with its
 * <em>per-instance</em> shape: {@code W1[32, 64]} for a param, {@code x[64]} for an input whose
 * batch buffers are then {@code [B, 64]}. Equality, hash code and {@link #toString()} are by
 * value; the shape is copied in and out, so a spec is immutable.
 *
 * @param name the name in the {@code .nn} file
 * @param shape the declared shape ({@code []} for a scalar)
 */
public record TensorSpec(String name, int[] shape) {

  /** Validates and copies. */
  public TensorSpec {
    Objects.requireNonNull(name, "name");
    shape = shape.clone();
    Shapes.size(shape);
  }

  /** A copy of the shape. */
  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** The number of elements per instance. */
  public int size() {
    return Shapes.size(shape);
  }

  /** The rank of the declared shape. */
  public int rank() {
    return shape.length;
  }

  /** The shape as text, {@code "[32, 64]"}. */
  public String shapeString() {
    return Shapes.toString(shape);
  }

  /** The shape of a batch of {@code batchSize} instances: {@code [batchSize, ...shape]}. */
  public int[] batchShape(int batchSize) {
    int[] s = new int[shape.length + 1];
    s[0] = batchSize;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t && name.equals(t.name) && Arrays.equals(shape, t.shape);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  /** {@code "W1[32, 64]"}. */
  @Override
  public String toString() {
    return name + shapeString();
  }
}
