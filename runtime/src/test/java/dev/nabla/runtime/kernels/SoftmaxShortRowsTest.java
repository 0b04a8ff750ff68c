package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@link SoftmaxShortRows} gives the scalar kernel's bits ({@code ScalarSoftmaxF32}, which float
 * rows shorter than a vector ran through before): on random rows of every such length, wide
 * (arguments down to where exp underflows and past it), confident (the log-softmax's exact
 * path), with special values, offsets, in place, more rows than one block; at the float arguments
 * where the lane exponential alone rounds to another float than {@code Math.exp}; in a
 * {@code -Xint} JVM as after C2.
 *
 * <p>How many floats differ without the guard: {@link #countOverAllFloats} over every float in
 * [-104, -0] (the softmax's {@code x - max}, down to where {@code (float) Math.exp} is 0), run by
 * hand with {@code -Dnabla.softmax.exhaustive=true} (about a minute); the result is in
 * {@link #DIFFERING}. The always-run test counts a sample of every 251st float.
 */
class SoftmaxShortRowsTest {
  private static final SoftmaxKernels SCALAR = new SoftmaxKernels.Scalar();
  private static final SoftmaxKernels SIMD = new VectorSoftmax();
  /** Below this, (float) Math.exp is 0 (its argument rounds past half the smallest subnormal). */
  private static final float LOWEST = -104f;

  /**
   * Every float argument t in [-104, -0] whose lane exponential rounds to another float than
   * {@code Math.exp(t)}: none. The exhaustive count (2026-11-26, JDK 25.0.3, AVX-512): 1,120,927,745
   * floats, 0 differing, the lanes within 1.0 ulp of {@code Math.exp} wherever the result is a
   * normal float; the guard sent 2,184,117 of them to {@code Math.exp}, all with results below the
   * smallest normal float (t < -87.34). The arguments the kernels see are doubles
   * ({@code (double) x - max}), not only floats: {@link #nearMidpointsTheGuardDecides} finds
   * doubles where the lanes do round otherwise.
   */
  static final float[] DIFFERING = {};

  /** Run in the forked JVM: the checksums of {@link #checksums()}. */
  public static void main(String[] args) {
    System.out.print(checksums());
  }

  @Test
  void shortRowsGiveTheScalarKernelsBits() {
    SplittableRandom random = new SplittableRandom(5);
    for (int n = 1; n < 16; n++) {
      for (double spread : new double[] {3, 30, 120}) {
        int rows = 2 * SoftmaxShortRows.CAP / n + 3; // several blocks, the last one short
        float[] x = new float[1 + rows * n];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) random.nextDouble(-spread, spread);
        }
        assertSameBits(rows, n, x, 1, "n=" + n + " spread=" + spread);
      }
    }
  }

  @Test
  void confidentRowsAndSpecialValuesGiveTheScalarKernelsBits() {
    int n = 10;
    int rows = 12;
    float[] x = new float[rows * n];
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-2, 2);
    }
    // Confident rows: the others' exponentials sum to about 1e-5, 1e-8, 1e-12 (exact log path).
    for (int r = 0; r < 3; r++) {
      x[r * n + 4] = 14f + 7 * r;
    }
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE,
        Float.MAX_VALUE, -Float.MAX_VALUE};
    for (int i = 0; i < specials.length; i++) {
      x[(3 + i) * n + i] = specials[i];
    }
    java.util.Arrays.fill(x, 10 * n, 11 * n, Float.NEGATIVE_INFINITY); // a row of -inf: NaN
    java.util.Arrays.fill(x, 11 * n, 12 * n, 3f); // equal elements
    assertSameBits(rows, n, x, 0, "special rows");
  }

  @Test
  void theGuardCatchesEveryArgumentWhereTheLanesRoundOtherwise() {
    // One row per differing argument: [t, 0] (x - max = t exactly), and the sampled differences.
    List<Float> arguments = new ArrayList<>();
    for (float t : DIFFERING) {
      arguments.add(t);
    }
    Count sample = countOverAllFloats(251);
    arguments.addAll(sample.differing);
    for (float t : arguments) {
      assertSameBits(1, 2, new float[] {t, 0f}, 0, "argument " + t);
      assertThat(SoftmaxShortRows.nearFloatBoundary(laneExp(t))).as("guard at %s", t).isTrue();
    }
    System.out.println("SoftmaxShortRows: every 251st float in [-104, -0]: " + sample);
    // The log-softmax bound counts on the max's term being exactly 1 in the lanes as in Math.exp.
    assertThat(laneExp(0f)).isEqualTo(1.0);
    assertThat(laneExp(-0f)).isEqualTo(1.0);
    // The guard's bound K holds with a wide margin: the lanes and Math.exp are at most 2 ulps apart.
    assertThat(sample.worstUlps).isLessThanOrEqualTo(SoftmaxShortRows.K / 4.0);
  }

  @Test
  void nearMidpointsTheGuardDecides() {
    // Doubles t whose exp lies within a few ulps of a float rounding boundary: ln of midpoints
    // between floats, and their neighbours.
    SplittableRandom random = new SplittableRandom(31);
    int differing = 0;
    int cases = 0;
    double[] t = new double[DoubleLaneMath.LANES];
    double[] lane = new double[t.length];
    for (int k = 0; k < 20_000; k++) {
      float f = (float) Math.exp(-random.nextDouble(0, 87));
      double midpoint = f + Math.ulp(f) / 2.0; // exact in double
      double center = Math.log(midpoint);
      for (int i = 0; i < t.length; i++) {
        t[i] = center + (i - t.length / 2) * Math.ulp(center);
      }
      DoubleLaneMath.exp(1, t.length, t, 0, lane, 0);
      for (int i = 0; i < t.length; i++) {
        if (t[i] > 0) {
          continue;
        }
        cases++;
        boolean differs = (float) lane[i] != (float) Math.exp(t[i]);
        if (differs) {
          differing++;
          assertThat(SoftmaxShortRows.nearFloatBoundary(lane[i])).as("guard at %s", t[i]).isTrue();
        }
      }
    }
    System.out.println("SoftmaxShortRows: " + differing + " of " + cases
        + " double arguments next to float midpoints round otherwise without the guard");
    assertThat(differing).as("the guard is needed: some lanes do round otherwise").isPositive();
  }

  @Test
  @EnabledIfSystemProperty(named = "nabla.softmax.exhaustive", matches = "true")
  void countOverEveryFloat() {
    Count all = countOverAllFloats(1);
    System.out.println("SoftmaxShortRows: every float in [-104, -0]: " + all);
    System.out.println("differing: " + all.differing);
    List<Float> pinned = new ArrayList<>();
    for (float t : DIFFERING) {
      pinned.add(t);
    }
    assertThat(all.differing).isEqualTo(pinned);
  }

  @Test
  void interpretedAndCompiledGiveTheSameBits() throws IOException, InterruptedException {
    for (int i = 0; i < 2000; i++) { // enough calls for C2 to compile the kernel
      checksums();
    }
    String compiled = checksums();
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-Xint",
        "-cp", System.getProperty("java.class.path"), SoftmaxShortRowsTest.class.getName())
        .redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    assertThat(out).as("-Xint").isEqualTo(compiled);
  }

  /** CRC-32 of the softmax and log-softmax bits of rows of 10, some confident, some wide. */
  static String checksums() {
    int n = 10;
    int rows = 40;
    float[] x = new float[rows * n];
    SplittableRandom random = new SplittableRandom(23);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-i % 7 * 15, 3);
    }
    float[] y = new float[x.length];
    float[] logY = new float[x.length];
    SIMD.softmaxAndLog(rows, n, x, 0, y, 0, logY, 0);
    CRC32 crc = new CRC32();
    for (int i = 0; i < x.length; i++) {
      int a = Float.floatToRawIntBits(y[i]);
      int b = Float.floatToRawIntBits(logY[i]);
      for (int k = 0; k < 4; k++) {
        crc.update(a >>> (8 * k));
        crc.update(b >>> (8 * k));
      }
    }
    return Long.toHexString(crc.getValue()) + "\n";
  }

  /** Softmax, log-softmax and the pair, each against the scalar kernel's bits, and in place. */
  private static void assertSameBits(int rows, int n, float[] x, int off, String what) {
    int size = rows * n;
    float[] y = new float[off + size];
    float[] logY = new float[off + size];
    float[] yWant = new float[off + size];
    float[] logYWant = new float[off + size];
    SCALAR.softmaxAndLog(rows, n, x, off, yWant, off, logYWant, off);
    SIMD.softmaxAndLog(rows, n, x, off, y, off, logY, off);
    assertBits(y, yWant, what + " softmax (pair)");
    assertBits(logY, logYWant, what + " log-softmax (pair)");
    float[] alone = x.clone();
    SIMD.softmax(rows, n, alone, off, alone, off); // in place
    SCALAR.softmax(rows, n, x, off, yWant, off);
    assertBits(java.util.Arrays.copyOfRange(alone, off, off + size),
        java.util.Arrays.copyOfRange(yWant, off, off + size), what + " softmax");
    alone = x.clone();
    SIMD.logSoftmax(rows, n, alone, off, alone, off);
    SCALAR.logSoftmax(rows, n, x, off, logYWant, off);
    assertBits(java.util.Arrays.copyOfRange(alone, off, off + size),
        java.util.Arrays.copyOfRange(logYWant, off, off + size), what + " log-softmax");
  }

  private static void assertBits(float[] got, float[] want, String what) {
    for (int i = 0; i < got.length; i++) {
      if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want[i])
          && !(Float.isNaN(got[i]) && Float.isNaN(want[i]))) {
        throw new AssertionError(what + " at " + i + ": " + got[i] + " against the scalar " + want[i]);
      }
    }
  }

  private static double laneExp(float t) {
    double[] a = new double[DoubleLaneMath.LANES];
    java.util.Arrays.fill(a, t);
    DoubleLaneMath.exp(1, a.length, a, 0, a, 0);
    return a[0];
  }

  /** What {@link #countOverAllFloats} found. */
  record Count(long floats, long guarded, double worstUlps, List<Float> differing) {
    @Override
    public String toString() {
      return floats + " floats, " + differing.size() + " round to another float than Math.exp without the guard, "
          + guarded + " guarded (take Math.exp), lanes within " + worstUlps + " ulps of Math.exp";
    }
  }

  /**
   * Every {@code step}-th float t from -0 down to {@link #LOWEST}: how many of the lane
   * exponentials round to another float than {@code Math.exp(t)} (which), how many the guard
   * sends to {@code Math.exp}, and the lanes' worst distance from {@code Math.exp} in ulps.
   */
  static Count countOverAllFloats(int step) {
    int first = Float.floatToRawIntBits(-0f);
    int last = Float.floatToRawIntBits(LOWEST);
    int block = 1 << 12;
    double[] arg = new double[block];
    double[] lane = new double[block];
    long floats = 0;
    long guarded = 0;
    double worst = 0;
    List<Float> differing = new ArrayList<>();
    for (long bits = first; bits <= last; ) {
      int count = 0;
      for (; count < block && bits <= last; bits += step) {
        arg[count++] = Float.intBitsToFloat((int) bits);
      }
      int whole = count + (DoubleLaneMath.LANES - count % DoubleLaneMath.LANES) % DoubleLaneMath.LANES;
      java.util.Arrays.fill(arg, count, whole, arg[count - 1]); // the last vector padded
      DoubleLaneMath.exp(1, whole, arg, 0, lane, 0);
      for (int i = 0; i < count; i++) {
        double exact = Math.exp(arg[i]);
        if ((float) lane[i] != (float) exact) {
          differing.add((float) arg[i]);
        }
        if (SoftmaxShortRows.nearFloatBoundary(lane[i])) {
          guarded++;
        } else if (exact >= Float.MIN_NORMAL) {
          worst = Math.max(worst, Math.abs(lane[i] - exact) / Math.ulp(lane[i]));
        }
      }
      floats += count;
    }
    return new Count(floats, guarded, worst, differing);
  }
}
