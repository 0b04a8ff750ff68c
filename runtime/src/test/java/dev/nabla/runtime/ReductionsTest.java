package dev.nabla.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ReductionsTest {
  // [[1, 2, 3], [4, 5, 6]] at offset 1
  private final double[] x = {99, 1, 2, 3, 4, 5, 6, 99};
  private final float[] xf = {99, 1, 2, 3, 4, 5, 6, 99};

  @Test
  void sums() {
    assertThat(Reductions.sum(x, 1, 6)).isEqualTo(21);
    assertThat(Reductions.sum(xf, 1, 6)).isEqualTo(21);
    assertThat(Reductions.sum(x, 0, 0)).isEqualTo(0);
    double[] cols = new double[3];
    Reductions.sumAxis0(2, 3, x, 1, cols, 0, false);
    assertThat(cols).containsExactly(5, 7, 9);
    Reductions.sumAxis0(2, 3, x, 1, cols, 0, true);
    assertThat(cols).containsExactly(10, 14, 18);
    double[] rows = {0, 0, 0};
    Reductions.sumAxis1(2, 3, x, 1, rows, 1, false);
    assertThat(rows).containsExactly(0, 6, 15);
    float[] colsF = new float[3];
    Reductions.sumAxis0(2, 3, xf, 1, colsF, 0, false);
    assertThat(colsF).containsExactly(5, 7, 9);
    float[] rowsF = {1, 1};
    Reductions.sumAxis1(2, 3, xf, 1, rowsF, 0, true);
    assertThat(rowsF).containsExactly(7, 16);
  }

  @Test
  void columnMeansAverageOverTheBatch() {
    double[] means = new double[3];
    Reductions.columnMeans(2, 3, x, 1, means, 0, false);
    assertThat(means).containsExactly(2.5, 3.5, 4.5);
    Reductions.columnMeans(2, 3, x, 1, means, 0, true);
    assertThat(means).containsExactly(5, 7, 9);
    float[] mf = new float[3];
    Reductions.columnMeans(2, 3, xf, 1, mf, 0, false);
    assertThat(mf).containsExactly(2.5f, 3.5f, 4.5f);
    assertThatThrownBy(() -> Reductions.columnMeans(0, 3, x, 0, means, 0, false))
        .hasMessageContaining("batch size");
  }

  @Test
  void extremesAndFirstIndex() {
    double[] v = {3, 7, 1, 7, 1};
    assertThat(Reductions.max(v, 0, 5)).isEqualTo(7);
    assertThat(Reductions.argmax(v, 0, 5)).isEqualTo(1);
    assertThat(Reductions.min(v, 0, 5)).isEqualTo(1);
    assertThat(Reductions.argmin(v, 0, 5)).isEqualTo(2);
    assertThat(Reductions.argmax(v, 2, 3)).isEqualTo(1);
    float[] f = {-1, -1, -3};
    assertThat(Reductions.argmax(f, 0, 3)).isZero();
    assertThat(Reductions.argmin(f, 0, 3)).isEqualTo(2);
    assertThat(Reductions.max(f, 0, 3)).isEqualTo(-1f);
    assertThat(Reductions.min(f, 0, 3)).isEqualTo(-3f);
  }

  @Test
  void nanFollowsNumpy() {
    double[] v = {1, Double.NaN, 5, Double.NaN};
    assertThat(Reductions.argmax(v, 0, 4)).isEqualTo(1);
    assertThat(Reductions.max(v, 0, 4)).isNaN();
    assertThat(Reductions.argmin(v, 0, 4)).isEqualTo(1);
    float[] f = {Float.NaN, 2};
    assertThat(Reductions.argmax(f, 0, 2)).isZero();
  }

  @Test
  void badRangesAreClearErrors() {
    assertThatThrownBy(() -> Reductions.max(x, 0, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one element");
    assertThatThrownBy(() -> Reductions.sum(x, 5, 5)).hasMessageContaining("[5, 10)");
    assertThatThrownBy(() -> Reductions.sumAxis0(3, 3, x, 0, new double[3], 0, false))
        .hasMessageContaining("x is [3, 3]");
    assertThatThrownBy(() -> Reductions.sumAxis1(2, 3, x, 0, new double[1], 0, false))
        .hasMessageContaining("out range");
  }

  @Test
  void floatSumsAccumulateInDouble() {
    float[] many = new float[1 << 20];
    java.util.Arrays.fill(many, 0.1f);
    assertThat(Reductions.sum(many, 0, many.length)).isCloseTo(many.length * (double) 0.1f, within(1e-6));
  }
}
