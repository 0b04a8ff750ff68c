package dev.nabla.runtime.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, tanh and sigmoid over whole double vectors of a row, built only from lanewise operations
 * that IEEE 754 rounds exactly (add, sub, mul, div, fma, compare, blend, bit operations), so that
 * every JIT tier gives the same bits (the method, its accuracy and why it is fast are in
 * {@link VectorActivations}). Hand-written next to {@link FloatLaneMath}, not generated from it:
 * the two differ in their constants, polynomial degrees and exponent bits. Each method takes
 * arrays, not vectors, so that no vector crosses a call that C2 might not inline (it would box).
 */
final class DoubleLaneMath {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  /** The vector length: each row's elements from {@code n - n % LANES} on are the caller's. */
  static final int LANES = S.length();

  private static final double LOG2E = 1.4426950408889634;
  /** 1.5 * 2^52 + 1023: {@code x * log2(e) + MAGIC} rounds to an integer n whose bits are 1023 + n. */
  private static final double MAGIC = 0x1.8p52 + 1023;
  private static final long MAGIC_BITS = Double.doubleToRawLongBits(MAGIC);
  /** ln 2 = LN2_HI + LN2_LO; n * LN2_HI is subtracted exactly by the fma. */
  private static final double LN2_HI = 0.6931471805599453;
  private static final double LN2_LO = 2.3190468138462996e-17;
  /**
   * e^r = 1 + (r + r^2 q), q = E2 + E3 r + ... + E11 r^9, on |r| <= ln(2)/2 (Chebyshev fit, relative
   * error 1.0e-17); q by Estrin's scheme (pairs, then r^2, r^4), shorter chains than Horner's.
   */
  private static final double E2 = 0.5000000000000006;
  private static final double E3 = 0.1666666666666667;
  private static final double E4 = 0.04166666666657277;
  private static final double E5 = 0.008333333333326112;
  private static final double E6 = 0.0013888888932619635;
  private static final double E7 = 0.0001984126987490126;
  private static final double E8 = 2.4801504180837137e-05;
  private static final double E9 = 2.7557255297969643e-06;
  private static final double E10 = 2.7626426376580335e-07;
  private static final double E11 = 2.5105259538448494e-08;
  /** e^r - 1 = r + r^2 (M2 + M3 r + ... + M12 r^10) on |r| <= ln(2)/2 (relative error 8.2e-19). */
  private static final double M2 = 0.5;
  private static final double M3 = 0.1666666666666667;
  private static final double M4 = 0.04166666666666667;
  private static final double M5 = 0.008333333333326112;
  private static final double M6 = 0.001388888888888373;
  private static final double M7 = 0.0001984126987490126;
  private static final double M8 = 2.4801587325605324e-05;
  private static final double M9 = 2.7557255297969643e-06;
  private static final double M10 = 2.755727357010214e-07;
  private static final double M11 = 2.5105259538448494e-08;
  private static final double M12 = 2.0914717341716378e-09;
  /** tanh(x) = x + x^3 (T3 + T5 x^2 + ... + T25 x^22) on |x| < TANH_SMALL (relative error 8.0e-18). */
  private static final double T3 = -0.3333333333333333;
  private static final double T5 = 0.13333333333333042;
  private static final double T7 = -0.05396825396789699;
  private static final double T9 = 0.021869488519008305;
  private static final double T11 = -0.008863235103240878;
  private static final double T13 = 0.0035921217511549622;
  private static final double T15 = -0.0014557754120478055;
  private static final double T17 = 0.0005896606577757043;
  private static final double T19 = -0.0002375906496055562;
  private static final double T21 = 9.257116129556769e-05;
  private static final double T23 = -3.12011014257974e-05;
  private static final double T25 = 6.485163482793113e-06;
  private static final double TANH_SMALL = 0.625;
  /** tanh(x) rounds to 1 from about 19.1 on; clamping there keeps e^2x finite. */
  private static final double TANH_MAX = 20;
  /** Up to this |x|, 2^n (n = round(x log2 e)) is a normal double: the fast path. */
  private static final double FAST = 708;
  /** e^x rounds to 0 below EXP_MIN and overflows above EXP_MAX. */
  private static final double EXP_MIN = -746;
  private static final double EXP_MAX = 710;

  private DoubleLaneMath() {
  }

  /** A constant as a vector (for the rare wide path; small enough that C2 always inlines it). */
  private static DoubleVector c(double v) {
    return DoubleVector.broadcast(S, v);
  }

  /**
   * {@code y[r, j] = e^x[r, j]} over the whole vectors of each of the {@code rows} rows of length
   * {@code n} (the caller does each row's tail); the other kernels likewise.
   */
  static void exp(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    final int l = S.length();
    final int whole = n - n % l;
    DoubleVector log2e = DoubleVector.broadcast(S, LOG2E);
    DoubleVector magic = DoubleVector.broadcast(S, MAGIC);
    DoubleVector ln2hi = DoubleVector.broadcast(S, -LN2_HI);
    DoubleVector ln2lo = DoubleVector.broadcast(S, -LN2_LO);
    DoubleVector e11 = DoubleVector.broadcast(S, E11);
    DoubleVector e10 = DoubleVector.broadcast(S, E10);
    DoubleVector e9 = DoubleVector.broadcast(S, E9);
    DoubleVector e8 = DoubleVector.broadcast(S, E8);
    DoubleVector e7 = DoubleVector.broadcast(S, E7);
    DoubleVector e6 = DoubleVector.broadcast(S, E6);
    DoubleVector e5 = DoubleVector.broadcast(S, E5);
    DoubleVector e4 = DoubleVector.broadcast(S, E4);
    DoubleVector e3 = DoubleVector.broadcast(S, E3);
    DoubleVector e2 = DoubleVector.broadcast(S, E2);
    DoubleVector one = DoubleVector.broadcast(S, 1d);
    for (int row = 0, xi = xOff, yi = yOff; row < rows; row++, xi += n, yi += n) {
      for (int j = 0; j < whole; j += l) {
        DoubleVector v = DoubleVector.fromArray(S, x, xi + j);
        if (v.abs().compare(VectorOperators.GT, FAST).anyTrue()) {
          wide(false, x, xi + j, y, yi + j);
          continue;
        }
        DoubleVector t = v.fma(log2e, magic);
        DoubleVector nf = t.sub(magic);
        DoubleVector r = nf.fma(ln2lo, nf.fma(ln2hi, v));
        DoubleVector r2 = r.mul(r);
        DoubleVector r4 = r2.mul(r2);
        DoubleVector q = e11.fma(r, e10).fma(r4, e9.fma(r, e8).fma(r2, e7.fma(r, e6)));
        q = q.fma(r4, e5.fma(r, e4).fma(r2, e3.fma(r, e2)));
        DoubleVector p = q.fma(r2, r).add(one);
        p.mul(t.reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles()).intoArray(y, yi + j);
      }
    }
  }

  /**
   * {@code y = 1 / (1 + e^-x)} as {@code 1 / (1 + e)} for {@code x >= 0} and {@code e / (1 + e)}
   * below, with {@code e = e^-|x|}: the exponential never overflows.
   */
  static void sigmoid(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    sigmoid(rows, n, x, xOff, n, y, yOff, n);
  }

  /** {@link #sigmoid(int, int, double[], int, double[], int)} on rows {@code xStride} and {@code yStride} apart (a tile of a product's C). */
  static void sigmoid(int rows, int n, double[] x, int xOff, int xStride, double[] y, int yOff, int yStride) {
    final int l = S.length();
    final int whole = n - n % l;
    DoubleVector log2e = DoubleVector.broadcast(S, LOG2E);
    DoubleVector magic = DoubleVector.broadcast(S, MAGIC);
    DoubleVector ln2hi = DoubleVector.broadcast(S, -LN2_HI);
    DoubleVector ln2lo = DoubleVector.broadcast(S, -LN2_LO);
    DoubleVector e11 = DoubleVector.broadcast(S, E11);
    DoubleVector e10 = DoubleVector.broadcast(S, E10);
    DoubleVector e9 = DoubleVector.broadcast(S, E9);
    DoubleVector e8 = DoubleVector.broadcast(S, E8);
    DoubleVector e7 = DoubleVector.broadcast(S, E7);
    DoubleVector e6 = DoubleVector.broadcast(S, E6);
    DoubleVector e5 = DoubleVector.broadcast(S, E5);
    DoubleVector e4 = DoubleVector.broadcast(S, E4);
    DoubleVector e3 = DoubleVector.broadcast(S, E3);
    DoubleVector e2 = DoubleVector.broadcast(S, E2);
    DoubleVector one = DoubleVector.broadcast(S, 1d);
    for (int row = 0, xi = xOff, yi = yOff; row < rows; row++, xi += xStride, yi += yStride) {
      for (int j = 0; j < whole; j += l) {
        DoubleVector x0 = DoubleVector.fromArray(S, x, xi + j);
        DoubleVector v = x0.reinterpretAsLongs().or(Long.MIN_VALUE).reinterpretAsDoubles(); // -|x|
        if (v.compare(VectorOperators.LT, -FAST).anyTrue()) {
          wide(true, x, xi + j, y, yi + j);
          continue;
        }
        DoubleVector t = v.fma(log2e, magic);
        DoubleVector nf = t.sub(magic);
        DoubleVector r = nf.fma(ln2lo, nf.fma(ln2hi, v));
        DoubleVector r2 = r.mul(r);
        DoubleVector r4 = r2.mul(r2);
        DoubleVector q = e11.fma(r, e10).fma(r4, e9.fma(r, e8).fma(r2, e7.fma(r, e6)));
        q = q.fma(r4, e5.fma(r, e4).fma(r2, e3.fma(r, e2)));
        DoubleVector p = q.fma(r2, r).add(one);
        DoubleVector e = p.mul(t.reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles());
        one.blend(e, x0.compare(VectorOperators.LT, 0d)).div(e.add(one)).intoArray(y, yi + j);
      }
    }
  }

  /**
   * {@code y = tanh(x)}: {@code x + x^3 P(x^2)} for {@code |x| < 0.625}, else
   * {@code 1 - 2 / (E + 2)} with {@code E = e^2|x| - 1} (|x| clamped to 20), with the sign of x.
   */
  static void tanh(int rows, int n, double[] x, int xOff, double[] y, int yOff) {
    tanh(rows, n, x, xOff, n, y, yOff, n);
  }

  /** {@link #tanh(int, int, double[], int, double[], int)} on rows {@code xStride} and {@code yStride} apart (a tile of a product's C). */
  static void tanh(int rows, int n, double[] x, int xOff, int xStride, double[] y, int yOff, int yStride) {
    final int l = S.length();
    final int whole = n - n % l;
    DoubleVector log2e = DoubleVector.broadcast(S, LOG2E);
    DoubleVector magic = DoubleVector.broadcast(S, MAGIC);
    DoubleVector ln2hi = DoubleVector.broadcast(S, -LN2_HI);
    DoubleVector ln2lo = DoubleVector.broadcast(S, -LN2_LO);
    DoubleVector m12 = DoubleVector.broadcast(S, M12);
    DoubleVector m11 = DoubleVector.broadcast(S, M11);
    DoubleVector m10 = DoubleVector.broadcast(S, M10);
    DoubleVector m9 = DoubleVector.broadcast(S, M9);
    DoubleVector m8 = DoubleVector.broadcast(S, M8);
    DoubleVector m7 = DoubleVector.broadcast(S, M7);
    DoubleVector m6 = DoubleVector.broadcast(S, M6);
    DoubleVector m5 = DoubleVector.broadcast(S, M5);
    DoubleVector m4 = DoubleVector.broadcast(S, M4);
    DoubleVector m3 = DoubleVector.broadcast(S, M3);
    DoubleVector m2 = DoubleVector.broadcast(S, M2);
    DoubleVector t25 = DoubleVector.broadcast(S, T25);
    DoubleVector t23 = DoubleVector.broadcast(S, T23);
    DoubleVector t21 = DoubleVector.broadcast(S, T21);
    DoubleVector t19 = DoubleVector.broadcast(S, T19);
    DoubleVector t17 = DoubleVector.broadcast(S, T17);
    DoubleVector t15 = DoubleVector.broadcast(S, T15);
    DoubleVector t13 = DoubleVector.broadcast(S, T13);
    DoubleVector t11 = DoubleVector.broadcast(S, T11);
    DoubleVector t9 = DoubleVector.broadcast(S, T9);
    DoubleVector t7 = DoubleVector.broadcast(S, T7);
    DoubleVector t5 = DoubleVector.broadcast(S, T5);
    DoubleVector t3 = DoubleVector.broadcast(S, T3);
    DoubleVector one = DoubleVector.broadcast(S, 1d);
    DoubleVector two = DoubleVector.broadcast(S, 2d);
    DoubleVector max = DoubleVector.broadcast(S, TANH_MAX);
    for (int row = 0, xi = xOff, yi = yOff; row < rows; row++, xi += xStride, yi += yStride) {
      for (int j = 0; j < whole; j += l) {
        DoubleVector x0 = DoubleVector.fromArray(S, x, xi + j);
        DoubleVector a = x0.abs();
        VectorMask<Double> small = a.compare(VectorOperators.LT, TANH_SMALL);
        a = a.blend(max, a.compare(VectorOperators.GT, max)); // NaN compares false and stays
        DoubleVector v = a.add(a);
        DoubleVector t = v.fma(log2e, magic);
        DoubleVector nf = t.sub(magic);
        DoubleVector r = nf.fma(ln2lo, nf.fma(ln2hi, v));
        DoubleVector q = m12.fma(r, m11).fma(r, m10).fma(r, m9).fma(r, m8).fma(r, m7).fma(r, m6).fma(r, m5).fma(r, m4)
            .fma(r, m3).fma(r, m2).fma(r.mul(r), r);
        DoubleVector s = t.reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector big = one.sub(two.div(s.fma(q, s.sub(one)).add(two)));
        DoubleVector u = a.mul(a);
        DoubleVector near0 = t25.fma(u, t23).fma(u, t21).fma(u, t19).fma(u, t17).fma(u, t15).fma(u, t13)
            .fma(u, t11).fma(u, t9).fma(u, t7).fma(u, t5).fma(u, t3).fma(u.mul(a), a);
        LongVector sign = x0.reinterpretAsLongs().and(Long.MIN_VALUE);
        big.blend(near0, small).reinterpretAsLongs().or(sign).reinterpretAsDoubles().intoArray(y, yi + j);
      }
    }
  }

  /**
   * One vector at any range (the fast paths' rare exception): x clamped to [EXP_MIN, EXP_MAX]
   * (NaN stays NaN), and 2^n applied as 2^(n/2) 2^(n - n/2) so that both factors are normal; for
   * x in the fast range the result has the fast path's bits (the first product is exact). For
   * the sigmoid, the exponential of -|x| and the same finish as {@link #sigmoid}.
   */
  private static void wide(boolean sigmoid, double[] x, int xi, double[] y, int yi) {
    DoubleVector x0 = DoubleVector.fromArray(S, x, xi);
    // The sigmoid's -|x| by the sign bit (a scalar choice: a choice of vectors could box them).
    DoubleVector v = x0.reinterpretAsLongs().or(sigmoid ? Long.MIN_VALUE : 0L).reinterpretAsDoubles();
    v = v.blend(EXP_MIN, v.compare(VectorOperators.LT, EXP_MIN));
    v = v.blend(EXP_MAX, v.compare(VectorOperators.GT, EXP_MAX));
    DoubleVector magic = DoubleVector.broadcast(S, MAGIC);
    DoubleVector t = v.fma(DoubleVector.broadcast(S, LOG2E), magic);
    DoubleVector nf = t.sub(magic);
    DoubleVector r = nf.fma(DoubleVector.broadcast(S, -LN2_HI), v);
    r = nf.fma(DoubleVector.broadcast(S, -LN2_LO), r);
    DoubleVector one = DoubleVector.broadcast(S, 1d);
    DoubleVector r2 = r.mul(r);
    DoubleVector r4 = r2.mul(r2);
    DoubleVector q47 = c(E9).fma(r, c(E8)).fma(r2, c(E7).fma(r, c(E6)));
    DoubleVector q = c(E11).fma(r, c(E10)).fma(r4, q47);
    q = q.fma(r4, c(E5).fma(r, c(E4)).fma(r2, c(E3).fma(r, c(E2))));
    DoubleVector p = q.fma(r2, r).add(one);
    LongVector k = t.reinterpretAsLongs().sub(MAGIC_BITS);
    LongVector k1 = k.lanewise(VectorOperators.ASHR, 1);
    DoubleVector s1 = k1.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
    DoubleVector s2 = k.sub(k1).add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
    DoubleVector e = p.mul(s1).mul(s2);
    if (sigmoid) {
      one.blend(e, x0.compare(VectorOperators.LT, 0d)).div(e.add(one)).intoArray(y, yi);
    } else {
      e.intoArray(y, yi);
    }
  }
}
