package dev.nabla.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies a matrix into rows of its transpose, for {@link SmallGemmF64}'s {@code A·Bᵀ} (a layer's
 * forward product reads its weights W [units, inputs] as Wᵀ): B {@code [n, k]} with rows of
 * stride {@code ldb} into {@code rows} {@code [k, ldr]}, {@code rows[p * ldr + j] = B[j, p]}.
 *
 * <p>The float copy moves 16 x 16 blocks through 512-bit registers: 16 row loads, four rounds of
 * two-vector permutes (each swaps one bit of the row index with the same bit of the lane index),
 * 16 row stores, instead of one scalar load and store per value with the stores 4 * ldr bytes
 * apart. Values past the last whole block, the double copy and machines with other vector
 * lengths copy one value at a time. A copy moves values only: the same bits either way.
 */
final class Transposes {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  /** Whether the block copy can run here (16 float lanes). */
  private static final boolean BLOCKS = F.length() == 16;

  // Index vectors of the permutes (index i < 16 from the first vector, 16 + i from the second):
  // LOh gives a pair's first row, HIh its second, for bit h.
  private static final FloatVector LO1 = index(1, false);
  private static final FloatVector HI1 = index(1, true);
  private static final FloatVector LO2 = index(2, false);
  private static final FloatVector HI2 = index(2, true);
  private static final FloatVector LO4 = index(4, false);
  private static final FloatVector HI4 = index(4, true);
  private static final FloatVector LO8 = index(8, false);
  private static final FloatVector HI8 = index(8, true);

  private Transposes() {
  }

  /**
   * For rows r (bit h clear) and r + h: lane i of the new row r is row r's lane i where i has bit h
   * clear, else row r + h's lane i - h; of the new row r + h, row r's lane i + h where i has bit h
   * clear, else row r + h's lane i.
   */
  private static FloatVector index(int h, boolean high) {
    float[] v = new float[F.length()];
    for (int i = 0; i < v.length; i++) {
      boolean set = (i & h) != 0;
      v[i] = high ? (set ? v.length + i : i + h) : (set ? v.length + i - h : i);
    }
    return FloatVector.fromArray(F, v, 0);
  }

  /** {@code rows[p * ldr + j] = b[bOff + j * ldb + p]} for j < n, p < k. */
  static void copy(int n, int k, float[] b, int bOff, int ldb, float[] rows, int ldr) {
    int n16 = 0;
    int k16 = 0;
    if (BLOCKS) {
      n16 = n - n % 16;
      k16 = k - k % 16;
      for (int j = 0; j < n16; j += 16) {
        for (int p = 0; p < k16; p += 16) {
          block(b, bOff + j * ldb + p, ldb, rows, p * ldr + j, ldr);
        }
      }
    }
    // What the blocks left: the columns past the last whole block (all rows), then the rows past
    // the last whole block for the columns the blocks covered.
    for (int j = 0; j < n; j++) {
      for (int p = j < n16 ? k16 : 0, from = bOff + j * ldb + p, to = p * ldr + j; p < k; p++, from++, to += ldr) {
        rows[to] = b[from];
      }
    }
  }

  /** The double version: one value at a time. */
  static void copy(int n, int k, double[] b, int bOff, int ldb, double[] rows, int ldr) {
    for (int j = 0; j < n; j++) {
      for (int p = 0, from = bOff + j * ldb, to = j; p < k; p++, from++, to += ldr) {
        rows[to] = b[from];
      }
    }
  }

  /** One 16 x 16 block: rows of b from {@code from} (stride ldb), its transpose into rows at {@code to} (stride ldr). */
  private static void block(float[] b, int from, int ldb, float[] rows, int to, int ldr) {
    FloatVector r0 = FloatVector.fromArray(F, b, from + 0 * ldb);
    FloatVector r1 = FloatVector.fromArray(F, b, from + 1 * ldb);
    FloatVector r2 = FloatVector.fromArray(F, b, from + 2 * ldb);
    FloatVector r3 = FloatVector.fromArray(F, b, from + 3 * ldb);
    FloatVector r4 = FloatVector.fromArray(F, b, from + 4 * ldb);
    FloatVector r5 = FloatVector.fromArray(F, b, from + 5 * ldb);
    FloatVector r6 = FloatVector.fromArray(F, b, from + 6 * ldb);
    FloatVector r7 = FloatVector.fromArray(F, b, from + 7 * ldb);
    FloatVector r8 = FloatVector.fromArray(F, b, from + 8 * ldb);
    FloatVector r9 = FloatVector.fromArray(F, b, from + 9 * ldb);
    FloatVector r10 = FloatVector.fromArray(F, b, from + 10 * ldb);
    FloatVector r11 = FloatVector.fromArray(F, b, from + 11 * ldb);
    FloatVector r12 = FloatVector.fromArray(F, b, from + 12 * ldb);
    FloatVector r13 = FloatVector.fromArray(F, b, from + 13 * ldb);
    FloatVector r14 = FloatVector.fromArray(F, b, from + 14 * ldb);
    FloatVector r15 = FloatVector.fromArray(F, b, from + 15 * ldb);
    // rows' and lanes' bit 1 swapped
    FloatVector t0x1 = LO1.selectFrom(r0, r1);
    r1 = HI1.selectFrom(r0, r1);
    r0 = t0x1;
    FloatVector t2x1 = LO1.selectFrom(r2, r3);
    r3 = HI1.selectFrom(r2, r3);
    r2 = t2x1;
    FloatVector t4x1 = LO1.selectFrom(r4, r5);
    r5 = HI1.selectFrom(r4, r5);
    r4 = t4x1;
    FloatVector t6x1 = LO1.selectFrom(r6, r7);
    r7 = HI1.selectFrom(r6, r7);
    r6 = t6x1;
    FloatVector t8x1 = LO1.selectFrom(r8, r9);
    r9 = HI1.selectFrom(r8, r9);
    r8 = t8x1;
    FloatVector t10x1 = LO1.selectFrom(r10, r11);
    r11 = HI1.selectFrom(r10, r11);
    r10 = t10x1;
    FloatVector t12x1 = LO1.selectFrom(r12, r13);
    r13 = HI1.selectFrom(r12, r13);
    r12 = t12x1;
    FloatVector t14x1 = LO1.selectFrom(r14, r15);
    r15 = HI1.selectFrom(r14, r15);
    r14 = t14x1;
    // rows' and lanes' bit 2 swapped
    FloatVector t0x2 = LO2.selectFrom(r0, r2);
    r2 = HI2.selectFrom(r0, r2);
    r0 = t0x2;
    FloatVector t1x2 = LO2.selectFrom(r1, r3);
    r3 = HI2.selectFrom(r1, r3);
    r1 = t1x2;
    FloatVector t4x2 = LO2.selectFrom(r4, r6);
    r6 = HI2.selectFrom(r4, r6);
    r4 = t4x2;
    FloatVector t5x2 = LO2.selectFrom(r5, r7);
    r7 = HI2.selectFrom(r5, r7);
    r5 = t5x2;
    FloatVector t8x2 = LO2.selectFrom(r8, r10);
    r10 = HI2.selectFrom(r8, r10);
    r8 = t8x2;
    FloatVector t9x2 = LO2.selectFrom(r9, r11);
    r11 = HI2.selectFrom(r9, r11);
    r9 = t9x2;
    FloatVector t12x2 = LO2.selectFrom(r12, r14);
    r14 = HI2.selectFrom(r12, r14);
    r12 = t12x2;
    FloatVector t13x2 = LO2.selectFrom(r13, r15);
    r15 = HI2.selectFrom(r13, r15);
    r13 = t13x2;
    // rows' and lanes' bit 4 swapped
    FloatVector t0x4 = LO4.selectFrom(r0, r4);
    r4 = HI4.selectFrom(r0, r4);
    r0 = t0x4;
    FloatVector t1x4 = LO4.selectFrom(r1, r5);
    r5 = HI4.selectFrom(r1, r5);
    r1 = t1x4;
    FloatVector t2x4 = LO4.selectFrom(r2, r6);
    r6 = HI4.selectFrom(r2, r6);
    r2 = t2x4;
    FloatVector t3x4 = LO4.selectFrom(r3, r7);
    r7 = HI4.selectFrom(r3, r7);
    r3 = t3x4;
    FloatVector t8x4 = LO4.selectFrom(r8, r12);
    r12 = HI4.selectFrom(r8, r12);
    r8 = t8x4;
    FloatVector t9x4 = LO4.selectFrom(r9, r13);
    r13 = HI4.selectFrom(r9, r13);
    r9 = t9x4;
    FloatVector t10x4 = LO4.selectFrom(r10, r14);
    r14 = HI4.selectFrom(r10, r14);
    r10 = t10x4;
    FloatVector t11x4 = LO4.selectFrom(r11, r15);
    r15 = HI4.selectFrom(r11, r15);
    r11 = t11x4;
    // rows' and lanes' bit 8 swapped
    FloatVector t0x8 = LO8.selectFrom(r0, r8);
    r8 = HI8.selectFrom(r0, r8);
    r0 = t0x8;
    FloatVector t1x8 = LO8.selectFrom(r1, r9);
    r9 = HI8.selectFrom(r1, r9);
    r1 = t1x8;
    FloatVector t2x8 = LO8.selectFrom(r2, r10);
    r10 = HI8.selectFrom(r2, r10);
    r2 = t2x8;
    FloatVector t3x8 = LO8.selectFrom(r3, r11);
    r11 = HI8.selectFrom(r3, r11);
    r3 = t3x8;
    FloatVector t4x8 = LO8.selectFrom(r4, r12);
    r12 = HI8.selectFrom(r4, r12);
    r4 = t4x8;
    FloatVector t5x8 = LO8.selectFrom(r5, r13);
    r13 = HI8.selectFrom(r5, r13);
    r5 = t5x8;
    FloatVector t6x8 = LO8.selectFrom(r6, r14);
    r14 = HI8.selectFrom(r6, r14);
    r6 = t6x8;
    FloatVector t7x8 = LO8.selectFrom(r7, r15);
    r15 = HI8.selectFrom(r7, r15);
    r7 = t7x8;
    r0.intoArray(rows, to + 0 * ldr);
    r1.intoArray(rows, to + 1 * ldr);
    r2.intoArray(rows, to + 2 * ldr);
    r3.intoArray(rows, to + 3 * ldr);
    r4.intoArray(rows, to + 4 * ldr);
    r5.intoArray(rows, to + 5 * ldr);
    r6.intoArray(rows, to + 6 * ldr);
    r7.intoArray(rows, to + 7 * ldr);
    r8.intoArray(rows, to + 8 * ldr);
    r9.intoArray(rows, to + 9 * ldr);
    r10.intoArray(rows, to + 10 * ldr);
    r11.intoArray(rows, to + 11 * ldr);
    r12.intoArray(rows, to + 12 * ldr);
    r13.intoArray(rows, to + 13 * ldr);
    r14.intoArray(rows, to + 14 * ldr);
    r15.intoArray(rows, to + 15 * ldr);
  }
}
