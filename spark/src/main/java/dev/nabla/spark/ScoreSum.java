package dev.nabla.spark;

import dev.nabla.runtime.train.Score;
import dev.nabla.runtime.train.Scorer;
import java.io.Serializable;

/**
 * A measurement's partial result over some blocks, merged in place by {@code treeAggregate}:
 * the summed loss, the rows, the rows classified right and, for a regression, per target column
 * the targets' mean and sum of squared deviations (merged by Chan et al.'s pairwise rule, so a
 * constant column stays exactly 0 as in {@link Scorer#evaluate}) and the summed squared residuals.
 * {@link #score} gives what {@link Scorer#evaluate} gives on the same rows, up to rounding.
 */
final class ScoreSum implements Serializable {
  private static final long serialVersionUID = 1L;

  double loss;
  long rows;
  long correct;
  double[] mean;
  double[] m2;
  double[] residual;

  /**
   * Adds {@code n} rows: their summed loss, the rows classified right and, for a regression
   * (else null), their own per-column target means, squared deviations and squared residuals.
   */
  void add(double lossSum, long n, long right, double[] colMean, double[] colM2, double[] colResidual) {
    if (colMean != null) {
      if (mean == null) {
        mean = colMean.clone();
        m2 = colM2.clone();
        residual = colResidual.clone();
      } else {
        long total = rows + n;
        for (int j = 0; j < mean.length; j++) {
          double delta = colMean[j] - mean[j];
          mean[j] += delta * n / total;
          m2[j] += colM2[j] + delta * delta * rows * n / total;
          residual[j] += colResidual[j];
        }
      }
    }
    loss += lossSum;
    rows += n;
    correct += right;
  }

  /** Adds {@code other} into this one and returns this. */
  ScoreSum merge(ScoreSum other) {
    if (other.rows > 0) {
      add(other.loss, other.rows, other.correct, other.mean, other.m2, other.residual);
    }
    return this;
  }

  /** The loss and accuracy or R² (as {@link Scorer#evaluate} defines them). */
  Score score(Scorer.Task task) {
    if (rows == 0) {
      return new Score(Double.NaN, Double.NaN, 0);
    }
    double metric = Double.NaN;
    if (task == Scorer.Task.CLASSIFICATION) {
      metric = (double) correct / rows;
    } else if (task == Scorer.Task.REGRESSION && mean != null) {
      double sum = 0;
      int cols = 0;
      for (int j = 0; j < mean.length; j++) {
        if (m2[j] > 0) {
          sum += 1 - residual[j] / m2[j];
          cols++;
        }
      }
      metric = cols == 0 ? Double.NaN : sum / cols;
    }
    return new Score(loss / rows, metric, (int) Math.min(rows, Integer.MAX_VALUE));
  }
}
