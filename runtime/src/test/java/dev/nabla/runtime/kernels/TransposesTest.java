package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Transposes} copies B [n, k] into the rows of its transpose, in whole 16 x 16 blocks and
 * one value at a time past them, leaving the rest of the destination alone.
 */
class TransposesTest {
  @ParameterizedTest(name = "n={0} k={1}")
  @CsvSource({"32, 64", "16, 16", "10, 32", "33, 17", "48, 40", "1, 1", "17, 50"})
  void copiesTheTranspose(int n, int k) {
    int ldb = k + 3;
    int ldr = n + 5;
    float[] b = new float[2 + n * ldb];
    double[] bd = new double[b.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = i;
      bd[i] = i;
    }
    float[] rows = new float[k * ldr];
    double[] rowsD = new double[k * ldr];
    java.util.Arrays.fill(rows, -1f);
    java.util.Arrays.fill(rowsD, -1d);
    Transposes.copy(n, k, b, 2, ldb, rows, ldr);
    Transposes.copy(n, k, bd, 2, ldb, rowsD, ldr);
    for (int p = 0; p < k; p++) {
      for (int q = 0; q < ldr; q++) {
        float want = q < n ? 2 + q * ldb + p : -1f;
        assertThat(rows[p * ldr + q]).as("float row %d column %d", p, q).isEqualTo(want);
        assertThat(rowsD[p * ldr + q]).as("double row %d column %d", p, q).isEqualTo((double) want);
      }
    }
  }
}
