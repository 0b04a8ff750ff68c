package dev.nabla.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PoolingTest {
  // two rows of n = 6, groups of k = 3
  private final double[] x = {1, 5, 5, -2, -1, -3, 0, 0, 0, 7, 8, 9};

  @Test
  void maxpoolTakesTheMaxOfEachGroup() {
    double[] y = new double[4];
    Pooling.maxpool(2, 6, 3, x, 0, y, 0);
    assertThat(y).containsExactly(5, -1, 0, 9);
    float[] yf = new float[4];
    Pooling.maxpool(2, 6, 3, toFloat(x), 0, yf, 0);
    assertThat(yf).containsExactly(5, -1, 0, 9);
  }

  @Test
  void maskMarksTheFirstLargest() {
    double[] mask = new double[12];
    java.util.Arrays.fill(mask, 7);
    Pooling.maxpoolMask(2, 6, 3, x, 0, mask, 0);
    assertThat(mask).containsExactly(0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1);
    float[] mf = new float[12];
    Pooling.maxpoolMask(2, 6, 3, toFloat(x), 0, mf, 0);
    assertThat(mf).containsExactly(0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1);
  }

  @Test
  void backwardRoutesToTheFirstLargest() {
    double[] dy = {10, 20, 30, 40};
    double[] dx = new double[12];
    Pooling.maxpoolBackward(2, 6, 3, x, 0, dy, 0, dx, 0, false);
    assertThat(dx).containsExactly(0, 10, 0, 0, 20, 0, 30, 0, 0, 0, 0, 40);
    Pooling.maxpoolBackward(2, 6, 3, x, 0, dy, 0, dx, 0, true);
    assertThat(dx[1]).isEqualTo(20);
    float[] dxf = new float[12];
    Pooling.maxpoolBackward(2, 6, 3, toFloat(x), 0, new float[] {1, 2, 3, 4}, 0, dxf, 0, false);
    assertThat(dxf).containsExactly(0, 1, 0, 0, 2, 0, 3, 0, 0, 0, 0, 4);
  }

  @Test
  void groupSizeMustDivideTheRow() {
    assertThatThrownBy(() -> Pooling.maxpool(2, 6, 4, x, 0, new double[4], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Pooling.maxpool: row length 6 is not divisible by the group size 4");
    assertThatThrownBy(() -> Pooling.maxpool(2, 6, 3, x, 0, new double[3], 0))
        .hasMessageContaining("y is [2, 2]");
    assertThatThrownBy(() -> Pooling.maxpool(2, 6, 0, x, 0, new double[3], 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
