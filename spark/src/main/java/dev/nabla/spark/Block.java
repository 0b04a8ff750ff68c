package dev.nabla.spark;

import dev.nabla.runtime.data.Dataset;
import java.io.Serializable;

/**
 * A stack of instances, the unit of data a task works on: {@code rows} rows of {@code features}
 * feature values and {@code targets} target values, row-major {@code float}s, in the column order
 * of the model's {@link dev.nabla.runtime.data.Layout} (inputs then targets, each flattened in
 * declaration order). Whole blocks go through the generated batched forward and backward, so a
 * block of 128–1024 rows keeps the kernels as busy as {@code nabla train} does.
 *
 * <p>The {@code id} seeds the block's own shuffle each epoch, so mini-batches do not depend on
 * which executor holds a block. A plain class with Java serialization, not a record: Kryo, if a
 * cluster configures it, cannot build records.
 */
public final class Block implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long id;
  private final int rows;
  private final int features;
  private final int targets;
  private final float[] x;
  private final float[] y;

  /**
   * A block over the given arrays (no copy).
   *
   * @param id a number unique among the data's blocks (it seeds the block's shuffles)
   * @param x {@code rows * features} values
   * @param y {@code rows * targets} values
   * @throws IllegalArgumentException if the arrays do not have those sizes
   */
  public Block(long id, int rows, int features, int targets, float[] x, float[] y) {
    this.id = id;
    this.rows = rows;
    this.features = features;
    this.targets = targets;
    this.x = x;
    this.y = y;
    asDataset();                               // checks the sizes
  }

  /** The block's number. */
  public long id() {
    return id;
  }

  /** The instances in the block. */
  public int rows() {
    return rows;
  }

  /**
   * The block as a data set over the same arrays (no copy): its widths, and the rows for the
   * runtime's feeder and scorer.
   */
  public Dataset asDataset() {
    return new Dataset("block " + id, rows, features, targets, x, y, null, false);
  }

  @Override
  public String toString() {
    return "block " + id + " (" + rows + " rows)";
  }
}
