package dev.nabla.compiler.check;

import dev.nabla.compiler.graph.Shape;

/**
 * Axis numbers as the language writes them (version 2): 0 to rank-1, or negative from the end
 * (-1 the last axis, as NumPy and PyTorch). The one place that normalises an axis and words the
 * error for one out of range, for every built-in that takes {@code axis=} (reductions, softmax,
 * concat, stack, ...).
 */
public final class Axes {
  private Axes() {}

  /** {@code axis} as 0..rank-1, or null when a value of that rank has no such axis. */
  public static Integer normalize(int axis, int rank) {
    int k = axis < 0 ? axis + rank : axis;
    return k >= 0 && k < rank ? k : null;
  }

  /**
   * The error for an axis out of range, e.g. {@code 'sum' has no axis 3 for x, which is [2, 3, 4]
   * (its axes are 0 to 2, or -3 to -1 from the end)}.
   *
   * @param function the built-in, as written
   * @param valueIs how the message names the value ({@link Call#describe}, e.g. {@code x})
   */
  public static String outOfRange(String function, int axis, String valueIs, Shape shape) {
    String range =
        shape.isScalar()
            ? "a scalar has no axes"
            : shape.rank() == 1
                ? "its only axis is 0, or -1 from the end"
                : "its axes are 0 to " + (shape.rank() - 1) + ", or -" + shape.rank() + " to -1 from the end";
    return "'" + function + "' has no axis " + axis + " for " + valueIs + ", which is " + shape + " (" + range + ")";
  }

  /**
   * The {@code axis=} argument of a call, normalised against the value parameter {@code value};
   * null after reporting an error at the axis argument.
   */
  static Integer of(Call c, String axisParam, String value) {
    int axis = c.integer(axisParam);
    Shape shape = c.shape(value);
    Integer k = normalize(axis, shape.rank());
    if (k == null) {
      c.errorAt(axisParam, outOfRange(c.function(), axis, c.describe(value), shape));
    }
    return k;
  }
}
