package dev.nabla.runtime.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused work of {@link SmallGemmF64}'s products ({@link GemmEpilogue}) on the finished C, a
 * block of whole rows: what {@code VectorGemmF64.finish} does, with the bias of the tanh and
 * sigmoid forms and the factor of the scaled sums also added and multiplied in vectors (there they
 * are scalar loops). Columns past a row's last whole vector go to the scalar
 * {@code GemmEpilogueF64}, as there.
 *
 * <p>The same bits as those: each element gets the same operation (a sum, a product, {@code max}
 * with zero, the derivative's factor), and tanh and sigmoid go to the same row kernel
 * ({@link ActivationKernels}) with the same columns in its vector part.
 *
 * <p>The float version, {@code SmallEpilogueF32}, is generated from this file ({@code FloatTwins}).
 */
final class SmallEpilogueF64 {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

  private SmallEpilogueF64() {
  }

  /**
   * The work {@code e} on C, {@code [m, n]} at {@code cOff} in rows of n; {@code row} is C's first
   * row in the whole product (where its rows of Y and of the saved values are).
   */
  static void finish(GemmEpilogue e, double[] c, int cOff, int m, int n, int row) {
    final int l = S.length();
    final int whole = n - n % l;
    switch (e.kind) {
      case BIAS_ACT -> biasAct(e, c, cOff, m, n, whole, row);
      case DERIVATIVE -> derivative(e, c, cOff, m, n, whole, row);
      case SUMS -> {
        scale(c, cOff, m, n, whole, (double) e.scale);
        if (e.update != null) {
          sgdStep((double[]) e.update, e.updateOff + row * n, c, cOff, m, n, whole, (double) e.rate);
        }
      }
    }
    if (whole < n) {
      // The columns past the whole vectors, all of the work on them (the above did none).
      e.finish(c, cOff + whole, n, row, whole, m, n - whole);
    }
  }

  private static void biasAct(GemmEpilogue e, double[] c, int cOff, int m, int n, int whole, int row) {
    final int l = S.length();
    double[] bias = (double[]) e.bias;
    double[] y = (double[]) e.y;
    int yOff = e.yOff + row * n;
    boolean relu = e.act == Gemm.Act.RELU;
    // relu with Y over C: C's values after the bias are not kept, only Y's.
    boolean keepC = !(relu && y == c && yOff == cOff);
    // Each branch stores its vectors: no vector is merged from two branches (C2 may then keep it
    // as an object).
    if (bias != null) {
      // By columns of vectors, so that each vector of the bias is read once.
      for (int j = 0; j < whole; j += l) {
        DoubleVector b = DoubleVector.fromArray(S, bias, e.biasOff + j);
        for (int i = 0, at = cOff + j, yAt = yOff + j; i < m; i++, at += n, yAt += n) {
          DoubleVector v = DoubleVector.fromArray(S, c, at).add(b);
          if (keepC) {
            v.intoArray(c, at);
          }
          if (relu) {
            v.max(0d).intoArray(y, yAt);
          }
        }
      }
    } else if (relu) {
      for (int i = 0; i < m; i++) {
        for (int j = 0, at = cOff + i * n, yAt = yOff + i * n; j < whole; j += l) {
          DoubleVector.fromArray(S, c, at + j).max(0d).intoArray(y, yAt + j);
        }
      }
    }
    if (e.act == Gemm.Act.TANH || e.act == Gemm.Act.SIGMOID) {
      // The activation through the same calls as before and as the packed kernel's tiles
      // (GemmEpilogueF64.finish, the row kernel a row at a time), with the bias already added:
      // the SIMD tanh and sigmoid give different bits in different JIT tiers (RELIABILITY.md
      // section 8), and a call of its own here got compiled apart from theirs (ColumnBandsTest
      // compares a small product with its bands through the packed kernel bit for bit).
      GemmEpilogue activation = e.withoutBias(); // e itself is shared by a split product's threads
      try {
        activation.finish(c, cOff, n, row, 0, m, whole);
      } finally {
        activation.clear();
      }
    }
  }

  private static void derivative(GemmEpilogue e, double[] c, int cOff, int m, int n, int whole, int row) {
    final int l = S.length();
    double[] s = (double[]) e.saved;
    int sOff = e.savedOff + row * n;
    DoubleVector one = DoubleVector.broadcast(S, 1d);
    DoubleVector zero = DoubleVector.zero(S);
    for (int i = 0; i < m; i++) {
      int at = cOff + i * n;
      int sAt = sOff + i * n;
      for (int j = 0; j < whole; j += l) {
        DoubleVector v = DoubleVector.fromArray(S, c, at + j);
        DoubleVector z = DoubleVector.fromArray(S, s, sAt + j);
        // Each case stores its own product (no vector merged from the cases).
        switch (e.act) {
          // Scalars.step: 1 for z >= 0 (and -0), 0 below and for NaN
          case RELU -> v.mul(zero.blend(one, z.compare(VectorOperators.GE, 0d))).intoArray(c, at + j);
          case TANH -> v.mul(one.sub(z.mul(z))).intoArray(c, at + j);
          case SIGMOID -> v.mul(z.mul(one.sub(z))).intoArray(c, at + j);
          case IDENTITY -> {
          }
        }
      }
    }
  }

  /** {@code c *= scale} on the whole vectors of each row (the batch mean's 1/B of a weight gradient). */
  private static void scale(double[] c, int cOff, int m, int n, int whole, double scale) {
    final int l = S.length();
    DoubleVector f = DoubleVector.broadcast(S, scale);
    if (whole == n) {
      for (int j = cOff, end = cOff + m * n; j < end; j += l) {
        DoubleVector.fromArray(S, c, j).mul(f).intoArray(c, j);
      }
      return;
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0, at = cOff + i * n; j < whole; j += l) {
        DoubleVector.fromArray(S, c, at + j).mul(f).intoArray(c, at + j);
      }
    }
  }

  /**
   * The plain SGD step {@code W = W - rate * C} on the whole vectors of C's rows, W laid out as C
   * at {@code wOff}: the packed kernel's epilogue (and {@code SgdUpdate}) element for element, a
   * product then a difference, so the same bits.
   */
  private static void sgdStep(double[] w, int wOff, double[] c, int cOff, int m, int n, int whole, double rate) {
    final int l = S.length();
    DoubleVector r = DoubleVector.broadcast(S, rate);
    for (int i = 0; i < m; i++) {
      for (int j = 0, at = cOff + i * n, wAt = wOff + i * n; j < whole; j += l) {
        DoubleVector g = DoubleVector.fromArray(S, c, at + j);
        DoubleVector.fromArray(S, w, wAt + j).sub(g.mul(r)).intoArray(w, wAt + j);
      }
    }
  }
}
