package dev.nabla.runtime.kernels;

/**
 * Moves one step's rows between a sequence and a step buffer, for the loops that generated code
 * runs over the steps of a recurrence. A sequence of a batch is {@code [B, T, size]} (each
 * instance's {@code [T, size]} value in turn, as inputs and collected values are laid out); a
 * step buffer is {@code [B, size]}, the batch's rows of one step, which is what the step's
 * products take as one stacked matrix. Nothing is allocated.
 *
 * <p>The forms with a range of instances {@code [from, to)} are for a step's loop methods, which
 * the runtime splits by instances across threads ({@link BatchLoops}) together with the step's
 * elementwise loops.
 */
public final class Steps {
  private Steps() {}

  /** {@code rows[b, :] = seq[b, t, :]} for the {@code batch} instances. */
  public static void slot(float[] seq, int steps, int t, int size, int batch, float[] rows) {
    slot(seq, steps, t, size, 0, batch, rows);
  }

  /** {@code rows[b, :] = seq[b, t, :]} for the instances b in {@code [from, to)}. */
  public static void slot(float[] seq, int steps, int t, int size, int from, int to, float[] rows) {
    check("Steps.slot", seq.length, steps, t, size, from, to, rows.length);
    for (int b = from; b < to; b++) {
      System.arraycopy(seq, (b * steps + t) * size, rows, b * size, size);
    }
  }

  /** {@code rows[b, :] = seq[b, t, :]} for the {@code batch} instances, in double. */
  public static void slot(double[] seq, int steps, int t, int size, int batch, double[] rows) {
    slot(seq, steps, t, size, 0, batch, rows);
  }

  /** {@code rows[b, :] = seq[b, t, :]} for the instances b in {@code [from, to)}, in double. */
  public static void slot(double[] seq, int steps, int t, int size, int from, int to, double[] rows) {
    check("Steps.slot", seq.length, steps, t, size, from, to, rows.length);
    for (int b = from; b < to; b++) {
      System.arraycopy(seq, (b * steps + t) * size, rows, b * size, size);
    }
  }

  /** {@code seq[b, t, :] = rows[b, :]} for the {@code batch} instances. */
  public static void toSlot(float[] rows, float[] seq, int steps, int t, int size, int batch) {
    toSlot(rows, seq, steps, t, size, 0, batch);
  }

  /** {@code seq[b, t, :] = rows[b, :]} for the instances b in {@code [from, to)}. */
  public static void toSlot(float[] rows, float[] seq, int steps, int t, int size, int from, int to) {
    check("Steps.toSlot", seq.length, steps, t, size, from, to, rows.length);
    for (int b = from; b < to; b++) {
      System.arraycopy(rows, b * size, seq, (b * steps + t) * size, size);
    }
  }

  /** {@code seq[b, t, :] = rows[b, :]} for the {@code batch} instances, in double. */
  public static void toSlot(double[] rows, double[] seq, int steps, int t, int size, int batch) {
    toSlot(rows, seq, steps, t, size, 0, batch);
  }

  /** {@code seq[b, t, :] = rows[b, :]} for the instances b in {@code [from, to)}, in double. */
  public static void toSlot(double[] rows, double[] seq, int steps, int t, int size, int from, int to) {
    check("Steps.toSlot", seq.length, steps, t, size, from, to, rows.length);
    for (int b = from; b < to; b++) {
      System.arraycopy(rows, b * size, seq, (b * steps + t) * size, size);
    }
  }

  /**
   * {@code rows[t, b, :] = seq[b, t, :]} for every step and instance: a sequence in time-major
   * order, so that a product over all its {@code B * T} rows (a recurrence's input projection)
   * leaves step t's rows of the batch as one contiguous block, which the step then reads and
   * updates in place.
   */
  public static void timeMajor(float[] seq, int steps, int size, int batch, float[] rows) {
    checkAll("Steps.timeMajor", seq.length, steps, size, batch, rows.length);
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(seq, (b * steps + t) * size, rows, (t * batch + b) * size, size);
      }
    }
  }

  /** Double version of {@link #timeMajor(float[], int, int, int, float[])}. */
  public static void timeMajor(double[] seq, int steps, int size, int batch, double[] rows) {
    checkAll("Steps.timeMajor", seq.length, steps, size, batch, rows.length);
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(seq, (b * steps + t) * size, rows, (t * batch + b) * size, size);
      }
    }
  }

  private static void checkAll(String op, int seqLength, int steps, int size, int batch, int rowsLength) {
    if (steps < 0 || size < 0 || batch < 0) {
      throw new IllegalArgumentException(op + ": " + steps + " steps of size " + size + ", batch " + batch);
    }
    Checks.range(op, "the sequence", seqLength, 0, (int) Math.min(Integer.MAX_VALUE, (long) steps * size * batch));
    Checks.range(op, "the time-major rows", rowsLength, 0, (int) Math.min(Integer.MAX_VALUE, (long) steps * size * batch));
  }

  private static void check(String op, int seqLength, int steps, int t, int size, int from, int to, int rowsLength) {
    if (t < 0 || t >= steps || size < 0 || from < 0 || to < from) {
      throw new IllegalArgumentException(op + ": step " + t + " of " + steps + ", size " + size + ", instances ["
          + from + ", " + to + ")");
    }
    Checks.range(op, "the sequence", seqLength, 0, to * steps * size);
    Checks.range(op, "the step rows", rowsLength, 0, to * size);
  }
}
