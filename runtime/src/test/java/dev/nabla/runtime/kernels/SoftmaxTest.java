package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SoftmaxTest {

  @Test
  void softmaxRowsSumToOneAndMatchTheFormula() {
    double[] x = {1, 2, 3, -1, 0, 1};
    double[] y = new double[6];
    Softmax.softmax(2, 3, x, 0, y, 0);
    double s = Math.exp(1) + Math.exp(2) + Math.exp(3);
    assertThat(y[0]).isCloseTo(Math.exp(1) / s, within(1e-15));
    assertThat(y[2]).isCloseTo(Math.exp(3) / s, within(1e-15));
    assertThat(y[0] + y[1] + y[2]).isCloseTo(1, within(1e-15));
    // shift invariance: the second row is the first minus 2
    assertThat(y[3]).isCloseTo(y[0], within(1e-15));
  }

  @Test
  void stableForHugeInputs() {
    double[] x = {1000, 1001, -1000};
    double[] y = new double[3];
    Softmax.softmax(1, 3, x, 0, y, 0);
    assertThat(y).doesNotContain(Double.NaN);
    assertThat(y[1]).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-15));
    assertThat(y[2]).isEqualTo(0);
    double[] ls = new double[3];
    Softmax.logSoftmax(1, 3, x, 0, ls, 0);
    assertThat(ls[2]).isCloseTo(-2001 - Math.log1p(Math.exp(-1)), within(1e-9));
    assertThat(ls[1]).isCloseTo(-Math.log1p(Math.exp(-1)), within(1e-15));
    float[] xf = {1000f, 1001f, -1000f};
    float[] yf = new float[3];
    Softmax.softmax(1, 3, xf, 0, yf, 0);
    assertThat(yf[1]).isCloseTo((float) (1 / (1 + Math.exp(-1))), within(1e-6f));
    float[] lf = new float[3];
    Softmax.logSoftmax(1, 3, xf, 0, lf, 0);
    assertThat(lf[2]).isFinite().isCloseTo(-2001.3133f, within(1e-3f));
  }

  @Test
  void logSoftmaxIsLogOfSoftmax() {
    double[] x = {0.3, -1.2, 2.5, 0.0, 4.0, -3.0};
    double[] y = new double[6];
    double[] ls = new double[6];
    Softmax.softmax(3, 2, x, 0, y, 0);
    Softmax.logSoftmax(3, 2, x, 0, ls, 0);
    for (int i = 0; i < 6; i++) {
      assertThat(ls[i]).isCloseTo(Math.log(y[i]), within(1e-14));
    }
  }

  @Test
  void floatVersionsMatchDouble() {
    double[] x = {0.3, -1.2, 2.5, 0.0, 4.0, -3.0};
    float[] xf = new float[6];
    for (int i = 0; i < 6; i++) {
      xf[i] = (float) x[i];
    }
    double[] y = new double[6];
    float[] yf = new float[6];
    Softmax.softmax(2, 3, x, 0, y, 0);
    Softmax.softmax(2, 3, xf, 0, yf, 0);
    double[] ls = new double[6];
    float[] lsf = new float[6];
    Softmax.logSoftmax(2, 3, x, 0, ls, 0);
    Softmax.logSoftmax(2, 3, xf, 0, lsf, 0);
    for (int i = 0; i < 6; i++) {
      assertThat((double) yf[i]).isCloseTo(y[i], within(1e-6));
      assertThat((double) lsf[i]).isCloseTo(ls[i], within(1e-6));
    }
  }

  @Test
  void inPlaceAndOffsets() {
    double[] buf = {9, 1, 2, 3, 9};
    Softmax.softmax(1, 3, buf, 1, buf, 1);
    assertThat(buf[0]).isEqualTo(9);
    assertThat(buf[4]).isEqualTo(9);
    assertThat(buf[1] + buf[2] + buf[3]).isCloseTo(1, within(1e-15));
  }

  @Test
  void badSizesAreClearErrors() {
    assertThatThrownBy(() -> Softmax.softmax(2, 3, new double[5], 0, new double[6], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Softmax.softmax: x is [2, 3]").hasMessageContaining("has 5 elements");
    assertThatThrownBy(() -> Softmax.logSoftmax(1, 0, new float[1], 0, new float[1], 0))
        .hasMessageContaining("at least one element");
    float[] block = new float[12];
    assertThatThrownBy(() -> Softmax.softmaxAndLog(2, 3, block, 0, new float[6], 0, block, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Softmax.softmaxAndLog: logY (6 elements at offset 3) overlaps x");
    assertThatThrownBy(() -> Softmax.softmaxAndLog(2, 3, new float[6], 0, block, 0, block, 4))
        .hasMessageContaining("logY (6 elements at offset 4) overlaps y");
    assertThatThrownBy(() -> Softmax.softmaxAndLog(2, 3, new double[6], 0, new double[6], 0, new double[5], 0))
        .hasMessageContaining("logY is [2, 3]");
  }
}
