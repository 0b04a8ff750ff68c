package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StepsTest {
  /** seq[b, t, j] = 100 b + 10 t + j for B = 3, T = 4, size 2. */
  private static double[] sequence() {
    double[] seq = new double[3 * 4 * 2];
    for (int b = 0; b < 3; b++) {
      for (int t = 0; t < 4; t++) {
        for (int j = 0; j < 2; j++) {
          seq[(b * 4 + t) * 2 + j] = 100 * b + 10 * t + j;
        }
      }
    }
    return seq;
  }

  @Test
  void slotTakesEachInstancesRowOfOneStep() {
    double[] rows = new double[6];
    Steps.slot(sequence(), 4, 2, 2, 3, rows);
    assertThat(rows).containsExactly(20, 21, 120, 121, 220, 221);
    float[] floats = new float[6];
    float[] seq = new float[24];
    for (int i = 0; i < 24; i++) {
      seq[i] = (float) sequence()[i];
    }
    Steps.slot(seq, 4, 3, 2, 3, floats);
    assertThat(floats).containsExactly(30, 31, 130, 131, 230, 231);
  }

  @Test
  void timeMajorPutsEachStepsRowsOfTheBatchTogether() {
    double[] rows = new double[24];
    Steps.timeMajor(sequence(), 4, 2, 3, rows);
    assertThat(rows).containsExactly(0, 1, 100, 101, 200, 201, 10, 11, 110, 111, 210, 211, 20, 21, 120, 121, 220,
        221, 30, 31, 130, 131, 230, 231);
    float[] seq = new float[24];
    for (int i = 0; i < 24; i++) {
      seq[i] = (float) sequence()[i];
    }
    float[] floats = new float[24];
    Steps.timeMajor(seq, 4, 2, 3, floats);
    assertThat(floats[6]).isEqualTo(10f);
    assertThat(floats[23]).isEqualTo(231f);
    assertThatThrownBy(() -> Steps.timeMajor(new float[24], 4, 2, 3, new float[23]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the time-major rows");
  }

  @Test
  void toSlotWritesOnlyThatStep() {
    double[] seq = sequence();
    Steps.toSlot(new double[] {-1, -2, -3, -4, -5, -6}, seq, 4, 1, 2, 3);
    double[] expected = sequence();
    expected[2] = -1;
    expected[3] = -2;
    expected[10] = -3;
    expected[11] = -4;
    expected[18] = -5;
    expected[19] = -6;
    assertThat(seq).containsExactly(expected);
  }

  @Test
  void aRangeOfInstancesMovesOnlyItsRows() {
    double[] rows = new double[6];
    Steps.slot(sequence(), 4, 2, 2, 1, 3, rows);
    assertThat(rows).containsExactly(0, 0, 120, 121, 220, 221);
    double[] seq = sequence();
    Steps.toSlot(new double[] {-1, -2, -3, -4, -5, -6}, seq, 4, 1, 2, 0, 1);
    double[] expected = sequence();
    expected[2] = -1;
    expected[3] = -2;
    assertThat(seq).containsExactly(expected);
    assertThatThrownBy(() -> Steps.slot(new float[24], 4, 0, 2, 2, 4, new float[8]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the sequence");
    assertThatThrownBy(() -> Steps.toSlot(new float[6], new float[24], 4, 0, 2, 2, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instances [2, 1)");
  }

  @Test
  void badSizesAreReportedNotIndexErrors() {
    assertThatThrownBy(() -> Steps.slot(new double[24], 4, 4, 2, 3, new double[6]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step 4 of 4");
    assertThatThrownBy(() -> Steps.toSlot(new float[5], new float[24], 4, 0, 2, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step rows");
  }
}
