package dev.nabla.spark;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.NdArray;
import java.io.Serializable;

/**
 * A step's partial result, summed over instances: {@code sum over rows of the instance
 * gradient} for every param value (all params end to end, in declaration order, as double), the
 * summed loss, the rows and the rows classified right. Merged in place by {@code treeAggregate},
 * so a task allocates one array per step however many blocks it holds. The array is made on the
 * first block: the zero value Spark ships with every task stays empty.
 */
final class GradientSum implements Serializable {
  private static final long serialVersionUID = 1L;

  double[] sums;
  double loss;
  long rows;
  long correct;

  /**
   * Adds a batch of {@code size} rows with mean loss {@code meanLoss} and the gradients of the mean
   * loss {@code grads} (so each is weighted by {@code size}).
   */
  void add(NdArray[] grads, int size, double meanLoss, long right) {
    if (sums == null) {
      long total = 0;
      for (NdArray g : grads) {
        total += g.size();
      }
      sums = new double[Math.toIntExact(total)];
    }
    int k = 0;
    for (NdArray g : grads) {
      int n = g.size();
      if (g.dtype() == DType.F32) {
        float[] a = g.floats();
        for (int j = 0; j < n; j++) {
          sums[k + j] += (double) size * a[j];
        }
      } else {
        double[] a = g.doubles();
        for (int j = 0; j < n; j++) {
          sums[k + j] += size * a[j];
        }
      }
      k += n;
    }
    loss += meanLoss * size;
    rows += size;
    correct += right;
  }

  /** Adds {@code other} into this one and returns this. */
  GradientSum merge(GradientSum other) {
    if (other.sums != null) {
      if (sums == null) {
        sums = other.sums;
      } else {
        double[] o = other.sums;
        for (int j = 0; j < sums.length; j++) {
          sums[j] += o[j];
        }
      }
    }
    loss += other.loss;
    rows += other.rows;
    correct += other.correct;
    return this;
  }

  /** Writes the mean gradient (sums / rows) into {@code grads}, converting to their dtype. */
  void meanInto(NdArray[] grads) {
    int k = 0;
    for (NdArray g : grads) {
      int n = g.size();
      if (sums == null || rows == 0) {
        g.fill(0);
      } else if (g.dtype() == DType.F32) {
        float[] a = g.floats();
        for (int j = 0; j < n; j++) {
          a[j] = (float) (sums[k + j] / rows);
        }
      } else {
        double[] a = g.doubles();
        for (int j = 0; j < n; j++) {
          a[j] = sums[k + j] / rows;
        }
      }
      k += n;
    }
  }
}
