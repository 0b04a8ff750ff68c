package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The strided form of {@link Activations#apply}: rows of a wider block (a recurrence step's gate
 * slices of its pre-activations) activated straight into another block give the same bits as the
 * contiguous form over a copy of those rows, leave everything outside the rows untouched, and
 * reject a block that does not fit; and so does the lane math's strided form that a fused
 * product's forward epilogue calls on each tile of C.
 */
class ActivationsStridedTest {
  private static final int ROWS = 5;
  private static final int N = 37; // whole vectors and a tail
  private static final int WIDE = 4 * N + 3;

  @Test
  void sameBitsAsTheContiguousFormOverACopy() {
    SplittableRandom r = new SplittableRandom(3);
    float[] x = new float[ROWS * WIDE];
    double[] xd = new double[ROWS * WIDE];
    for (int i = 0; i < x.length; i++) {
      xd[i] = r.nextDouble(-12, 12);
      x[i] = (float) xd[i];
    }
    for (Activations.Fn fn : Activations.Fn.values()) {
      for (int gate = 0; gate < 4; gate++) {
        float[] copy = new float[ROWS * N];
        double[] copyd = new double[ROWS * N];
        for (int b = 0; b < ROWS; b++) {
          System.arraycopy(x, b * WIDE + gate * N, copy, b * N, N);
          System.arraycopy(xd, b * WIDE + gate * N, copyd, b * N, N);
        }
        Activations.apply(fn, ROWS, N, copy, 0, copy, 0);
        Activations.apply(fn, ROWS, N, copyd, 0, copyd, 0);
        // into every other row of a block with two rows per instance, after 2 leading elements
        float[] y = new float[2 + ROWS * 2 * N];
        double[] yd = new double[2 + ROWS * 2 * N];
        Arrays.fill(y, -7f);
        Arrays.fill(yd, -7d);
        Activations.apply(fn, ROWS, N, x, gate * N, WIDE, y, 2, 2 * N);
        Activations.apply(fn, ROWS, N, xd, gate * N, WIDE, yd, 2, 2 * N);
        for (int b = 0; b < ROWS; b++) {
          for (int j = 0; j < N; j++) {
            assertThat(Float.floatToRawIntBits(y[2 + b * 2 * N + j])).isEqualTo(Float.floatToRawIntBits(copy[b * N + j]));
            assertThat(Double.doubleToRawLongBits(yd[2 + b * 2 * N + j]))
                .isEqualTo(Double.doubleToRawLongBits(copyd[b * N + j]));
            assertThat(y[2 + b * 2 * N + N + j]).isEqualTo(-7f);
            assertThat(yd[2 + b * 2 * N + N + j]).isEqualTo(-7d);
          }
        }
        assertThat(y[0]).isEqualTo(-7f);
        assertThat(yd[1]).isEqualTo(-7d);
      }
    }
  }

  /**
   * The lane math's strided tanh and sigmoid (a fused product's tile of C: rows {@code ldc}
   * apart, in place) give each row's bits of the contiguous form, and write only the tile.
   */
  @Test
  void laneMathOnATileGivesTheRowsBits() {
    SplittableRandom r = new SplittableRandom(4);
    int rows = 8;
    int ldc = 5 * FloatLaneMath.LANES + 3;
    int n = 2 * FloatLaneMath.LANES;
    int nd = 2 * DoubleLaneMath.LANES;
    float[] c = new float[rows * ldc];
    double[] cd = new double[rows * ldc];
    for (int i = 0; i < c.length; i++) {
      cd[i] = r.nextDouble(-12, 12);
      c[i] = (float) cd[i];
    }
    int at = FloatLaneMath.LANES; // the tile's second strip
    for (boolean tanh : new boolean[] {true, false}) {
      float[] tile = c.clone();
      double[] tiled = cd.clone();
      if (tanh) {
        FloatLaneMath.tanh(rows, n, tile, at, ldc, tile, at, ldc);
        DoubleLaneMath.tanh(rows, nd, tiled, at, ldc, tiled, at, ldc);
      } else {
        FloatLaneMath.sigmoid(rows, n, tile, at, ldc, tile, at, ldc);
        DoubleLaneMath.sigmoid(rows, nd, tiled, at, ldc, tiled, at, ldc);
      }
      for (int b = 0; b < rows; b++) {
        float[] row = Arrays.copyOfRange(c, b * ldc + at, b * ldc + at + n);
        double[] rowd = Arrays.copyOfRange(cd, b * ldc + at, b * ldc + at + nd);
        if (tanh) {
          FloatLaneMath.tanh(1, n, row, 0, row, 0);
          DoubleLaneMath.tanh(1, nd, rowd, 0, rowd, 0);
        } else {
          FloatLaneMath.sigmoid(1, n, row, 0, row, 0);
          DoubleLaneMath.sigmoid(1, nd, rowd, 0, rowd, 0);
        }
        for (int j = 0; j < ldc; j++) {
          int i = b * ldc + j;
          float wantF = j >= at && j < at + n ? row[j - at] : c[i];
          double wantD = j >= at && j < at + nd ? rowd[j - at] : cd[i];
          assertThat(Float.floatToRawIntBits(tile[i])).as("float row %d column %d", b, j)
              .isEqualTo(Float.floatToRawIntBits(wantF));
          assertThat(Double.doubleToRawLongBits(tiled[i])).as("double row %d column %d", b, j)
              .isEqualTo(Double.doubleToRawLongBits(wantD));
        }
      }
    }
  }

  @Test
  void rejectsRowsThatDoNotFitOrOverlap() {
    float[] x = new float[3 * 8];
    float[] y = new float[3 * 8];
    assertThatThrownBy(() -> Activations.apply(Activations.Fn.TANH, 3, 8, x, 1, 8, y, 0, 8))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x range");
    assertThatThrownBy(() -> Activations.apply(Activations.Fn.TANH, 3, 8, x, 0, 8, y, 0, 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strides");
    Activations.apply(Activations.Fn.TANH, 0, 8, x, 99, 8, y, 99, 8); // no rows: nothing read
  }
}
