package dev.nabla.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, tanh and sigmoid over whole float vectors of a row, built only from lanewise operations
 * that IEEE 754 rounds exactly (add, sub, mul, div, fma, compare, blend, bit operations), so that
 * every JIT tier gives the same bits (the method, its accuracy and why it is fast are in
 * {@link VectorActivations}). Hand-written next to {@link DoubleLaneMath}, not generated from it:
 * the two differ in their constants, polynomial degrees and exponent bits. Each method takes
 * arrays, not vectors, so that no vector crosses a call that C2 might not inline (it would box).
 */
final class FloatLaneMath {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** The vector length: each row's elements from {@code n - n % LANES} on are the caller's. */
  static final int LANES = S.length();

  private static final float LOG2E = 1.44269504088896341f;
  /** 1.5 * 2^23 + 127: {@code x * log2(e) + MAGIC} rounds to an integer n whose bits are 127 + n. */
  private static final float MAGIC = 0x1.8p23f + 127f;
  private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
  /** ln 2 = LN2_HI + LN2_LO; n * LN2_HI is subtracted exactly by the fma. */
  private static final float LN2_HI = 0.693147182464599609375f;
  private static final float LN2_LO = -1.904654299957768e-09f;
  /** e^r = 1 + r + r^2 (E2 + E3 r + ... + E6 r^4) on |r| <= ln(2)/2 (Chebyshev fit, relative error 1.0e-8). */
  private static final float E2 = 0.5f;
  private static final float E3 = 0.16666504740715027f;
  private static final float E4 = 0.041666463017463684f;
  private static final float E5 = 0.008369184099137783f;
  private static final float E6 = 0.0013933685841038823f;
  /** e^r - 1 = r + r^2 (M2 + M3 r + ... + M7 r^5) on |r| <= ln(2)/2 (relative error 1.8e-9). */
  private static final float M2 = 0.5f;
  private static final float M3 = 0.1666666716337204f;
  private static final float M4 = 0.041666463017463684f;
  private static final float M5 = 0.00833331048488617f;
  private static final float M6 = 0.0013933685841038823f;
  private static final float M7 = 0.00019891030387952924f;
  /** tanh(x) = x + x^3 (T3 + T5 x^2 + ... + T13 x^10) on |x| < TANH_SMALL (relative error 4.2e-9). */
  private static final float T3 = -0.3333333432674408f;
  private static final float T5 = 0.13333304226398468f;
  private static final float T7 = -0.053959257900714874f;
  private static final float T9 = 0.02176891826093197f;
  private static final float T11 = -0.008343945257365704f;
  private static final float T13 = 0.002292744815349579f;
  private static final float TANH_SMALL = 0.625f;
  /** tanh(x) rounds to 1 from about 9.01 on; clamping there keeps e^2x finite. */
  private static final float TANH_MAX = 10f;
  /** Up to this |x|, 2^n (n = round(x log2 e)) is a normal float: the fast path. */
  private static final float FAST = 87f;
  /** e^x rounds to 0 below EXP_MIN and overflows above EXP_MAX. */
  private static final float EXP_MIN = -104f;
  private static final float EXP_MAX = 89f;

  private FloatLaneMath() {
  }

  /**
   * {@code y[r, j] = e^x[r, j]} over the whole vectors of each of the {@code rows} rows of length
   * {@code n} (the caller does each row's tail); the other kernels likewise.
   */
  static void exp(int rows, int n, float[] x, int xOff, float[] y, int yOff) {
    final int l = S.length();
    final int whole = n - n % l;
    FloatVector log2e = FloatVector.broadcast(S, LOG2E);
    FloatVector magic = FloatVector.broadcast(S, MAGIC);
    FloatVector ln2hi = FloatVector.broadcast(S, -LN2_HI);
    FloatVector ln2lo = FloatVector.broadcast(S, -LN2_LO);
    FloatVector e6 = FloatVector.broadcast(S, E6);
    FloatVector e5 = FloatVector.broadcast(S, E5);
    FloatVector e4 = FloatVector.broadcast(S, E4);
    FloatVector e3 = FloatVector.broadcast(S, E3);
    FloatVector e2 = FloatVector.broadcast(S, E2);
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (int row = 0, xi = xOff, yi = yOff; row < rows; row++, xi += n, yi += n) {
      for (int j = 0; j < whole; j += l) {
        FloatVector v = FloatVector.fromArray(S, x, xi + j);
        if (v.abs().compare(VectorOperators.GT, FAST).anyTrue()) {
          wide(false, x, xi + j, y, yi + j);
          continue;
        }
        FloatVector t = v.fma(log2e, magic);
        FloatVector nf = t.sub(magic);
        FloatVector r = nf.fma(ln2lo, nf.fma(ln2hi, v));
        FloatVector p = e6.fma(r, e5).fma(r, e4).fma(r, e3).fma(r, e2).fma(r, one).fma(r, one);
        p.mul(t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats()).intoArray(y, yi + j);
      }
    }
  }

  /**
   * {@code y = 1 / (1 + e^-x)} as {@code 1 / (1 + e)} for {@code x >= 0} and {@code e / (1 + e)}
   * below, with {@code e = e^-|x|}: the exponential never overflows.
   */
  static void sigmoid(int rows, int n, float[] x, int xOff, float[] y, int yOff) {
    sigmoid(rows, n, x, xOff, n, y, yOff, n);
  }

  /** {@link #sigmoid(int, int, float[], int, float[], int)} on rows {@code xStride} and {@code yStride} apart (a tile of a product's C). */
  static void sigmoid(int rows, int n, float[] x, int xOff, int xStride, float[] y, int yOff, int yStride) {
    final int l = S.length();
    final int whole = n - n % l;
    FloatVector log2e = FloatVector.broadcast(S, LOG2E);
    FloatVector magic = FloatVector.broadcast(S, MAGIC);
    FloatVector ln2hi = FloatVector.broadcast(S, -LN2_HI);
    FloatVector ln2lo = FloatVector.broadcast(S, -LN2_LO);
    FloatVector e6 = FloatVector.broadcast(S, E6);
    FloatVector e5 = FloatVector.broadcast(S, E5);
    FloatVector e4 = FloatVector.broadcast(S, E4);
    FloatVector e3 = FloatVector.broadcast(S, E3);
    FloatVector e2 = FloatVector.broadcast(S, E2);
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (int row = 0, xi = xOff, yi = yOff; row < rows; row++, xi += xStride, yi += yStride) {
      for (int j = 0; j < whole; j += l) {
        FloatVector x0 = FloatVector.fromArray(S, x, xi + j);
        FloatVector v = x0.reinterpretAsInts().or(Integer.MIN_VALUE).reinterpretAsFloats(); // -|x|
        if (v.compare(VectorOperators.LT, -FAST).anyTrue()) {
          wide(true, x, xi + j, y, yi + j);
          continue;
        }
        FloatVector t = v.fma(log2e, magic);
        FloatVector nf = t.sub(magic);
        FloatVector r = nf.fma(ln2lo, nf.fma(ln2hi, v));
        FloatVector p = e6.fma(r, e5).fma(r, e4).fma(r, e3).fma(r, e2).fma(r, one).fma(r, one);
        FloatVector e = p.mul(t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
        one.blend(e, x0.compare(VectorOperators.LT, 0f)).div(e.add(one)).intoArray(y, yi + j);
      }
    }
  }

  /**
   * {@code y = tanh(x)}: {@code x + x^3 P(x^2)} for {@code |x| < 0.625}, else
   * {@code 1 - 2 / (E + 2)} with {@code E = e^2|x| - 1} (|x| clamped to 10), with the sign of x.
   */
  static void tanh(int rows, int n, float[] x, int xOff, float[] y, int yOff) {
    tanh(rows, n, x, xOff, n, y, yOff, n);
  }

  /** {@link #tanh(int, int, float[], int, float[], int)} on rows {@code xStride} and {@code yStride} apart (a tile of a product's C). */
  static void tanh(int rows, int n, float[] x, int xOff, int xStride, float[] y, int yOff, int yStride) {
    final int l = S.length();
    final int whole = n - n % l;
    FloatVector log2e = FloatVector.broadcast(S, LOG2E);
    FloatVector magic = FloatVector.broadcast(S, MAGIC);
    FloatVector ln2hi = FloatVector.broadcast(S, -LN2_HI);
    FloatVector ln2lo = FloatVector.broadcast(S, -LN2_LO);
    FloatVector m7 = FloatVector.broadcast(S, M7);
    FloatVector m6 = FloatVector.broadcast(S, M6);
    FloatVector m5 = FloatVector.broadcast(S, M5);
    FloatVector m4 = FloatVector.broadcast(S, M4);
    FloatVector m3 = FloatVector.broadcast(S, M3);
    FloatVector m2 = FloatVector.broadcast(S, M2);
    FloatVector t13 = FloatVector.broadcast(S, T13);
    FloatVector t11 = FloatVector.broadcast(S, T11);
    FloatVector t9 = FloatVector.broadcast(S, T9);
    FloatVector t7 = FloatVector.broadcast(S, T7);
    FloatVector t5 = FloatVector.broadcast(S, T5);
    FloatVector t3 = FloatVector.broadcast(S, T3);
    FloatVector one = FloatVector.broadcast(S, 1f);
    FloatVector two = FloatVector.broadcast(S, 2f);
    FloatVector max = FloatVector.broadcast(S, TANH_MAX);
    for (int row = 0, xi = xOff, yi = yOff; row < rows; row++, xi += xStride, yi += yStride) {
      for (int j = 0; j < whole; j += l) {
        FloatVector x0 = FloatVector.fromArray(S, x, xi + j);
        FloatVector a = x0.abs();
        VectorMask<Float> small = a.compare(VectorOperators.LT, TANH_SMALL);
        a = a.blend(max, a.compare(VectorOperators.GT, max)); // NaN compares false and stays
        FloatVector v = a.add(a);
        FloatVector t = v.fma(log2e, magic);
        FloatVector nf = t.sub(magic);
        FloatVector r = nf.fma(ln2lo, nf.fma(ln2hi, v));
        FloatVector q = m7.fma(r, m6).fma(r, m5).fma(r, m4).fma(r, m3).fma(r, m2).fma(r.mul(r), r);
        FloatVector s = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector big = one.sub(two.div(s.fma(q, s.sub(one)).add(two)));
        FloatVector u = a.mul(a);
        FloatVector near0 = t13.fma(u, t11).fma(u, t9).fma(u, t7).fma(u, t5).fma(u, t3).fma(u.mul(a), a);
        IntVector sign = x0.reinterpretAsInts().and(Integer.MIN_VALUE);
        big.blend(near0, small).reinterpretAsInts().or(sign).reinterpretAsFloats().intoArray(y, yi + j);
      }
    }
  }

  /**
   * One vector at any range (the fast paths' rare exception): x clamped to [EXP_MIN, EXP_MAX]
   * (NaN stays NaN), and 2^n applied as 2^(n/2) 2^(n - n/2) so that both factors are normal; for
   * x in the fast range the result has the fast path's bits (the first product is exact). For
   * the sigmoid, the exponential of -|x| and the same finish as {@link #sigmoid}.
   */
  private static void wide(boolean sigmoid, float[] x, int xi, float[] y, int yi) {
    FloatVector x0 = FloatVector.fromArray(S, x, xi);
    // The sigmoid's -|x| by the sign bit (a scalar choice: a choice of vectors could box them).
    FloatVector v = x0.reinterpretAsInts().or(sigmoid ? Integer.MIN_VALUE : 0).reinterpretAsFloats();
    v = v.blend(EXP_MIN, v.compare(VectorOperators.LT, EXP_MIN));
    v = v.blend(EXP_MAX, v.compare(VectorOperators.GT, EXP_MAX));
    FloatVector magic = FloatVector.broadcast(S, MAGIC);
    FloatVector t = v.fma(FloatVector.broadcast(S, LOG2E), magic);
    FloatVector nf = t.sub(magic);
    FloatVector r = nf.fma(FloatVector.broadcast(S, -LN2_HI), v);
    r = nf.fma(FloatVector.broadcast(S, -LN2_LO), r);
    FloatVector one = FloatVector.broadcast(S, 1f);
    FloatVector p = FloatVector.broadcast(S, E6).fma(r, FloatVector.broadcast(S, E5));
    p = p.fma(r, FloatVector.broadcast(S, E4)).fma(r, FloatVector.broadcast(S, E3));
    p = p.fma(r, FloatVector.broadcast(S, E2)).fma(r, one).fma(r, one);
    IntVector k = t.reinterpretAsInts().sub(MAGIC_BITS);
    IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);
    FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    FloatVector s2 = k.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    FloatVector e = p.mul(s1).mul(s2);
    if (sigmoid) {
      one.blend(e, x0.compare(VectorOperators.LT, 0f)).div(e.add(one)).intoArray(y, yi);
    } else {
      e.intoArray(y, yi);
    }
  }
}
