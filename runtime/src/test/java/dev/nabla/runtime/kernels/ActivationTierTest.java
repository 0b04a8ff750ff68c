package dev.nabla.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The SIMD activation kernels give the same bits in every JIT tier (RELIABILITY.md section 8):
 * a JVM that only interprets ({@code -Xint}), one that stops at C1, and this one after enough
 * calls for C2 print the same checksums of exp, tanh and sigmoid, float and double, over rows
 * with whole vectors, a scalar tail, extreme arguments (the kernels' wide path) and special
 * values. With {@code lanewise(EXP)} and {@code lanewise(TANH)} (the Vector API's Java fallback
 * when interpreted, SVML once compiled) the interpreted checksums differed.
 */
class ActivationTierTest {
  private static final ActivationKernels SIMD = new VectorActivations();
  private static final int ROWS = 2;
  private static final int N = 16 * 4 + 5;

  /** Run in the forked JVMs. */
  public static void main(String[] args) {
    System.out.print(checksums());
  }

  /** One line per kernel and precision: its name and the CRC-32 of its outputs' bits. */
  static String checksums() {
    float[] x = new float[ROWS * N];
    double[] xd = new double[ROWS * N];
    fill(x, xd);
    StringBuilder out = new StringBuilder();
    for (Activations.Fn fn : Activations.Fn.values()) {
      float[] y = new float[x.length];
      double[] yd = new double[xd.length];
      SIMD.apply(fn, ROWS, N, x, 0, y, 0);
      SIMD.apply(fn, ROWS, N, xd, 0, yd, 0);
      CRC32 f = new CRC32();
      CRC32 d = new CRC32();
      for (int i = 0; i < y.length; i++) {
        int b = Float.floatToRawIntBits(y[i]);
        long bd = Double.doubleToRawLongBits(yd[i]);
        for (int k = 0; k < 8; k++) {
          f.update(k < 4 ? b >>> (8 * k) : 0);
          d.update((int) (bd >>> (8 * k)));
        }
      }
      out.append(fn).append(" float ").append(Long.toHexString(f.getValue())).append('\n');
      out.append(fn).append(" double ").append(Long.toHexString(d.getValue())).append('\n');
    }
    return out.toString();
  }

  /** Random arguments, some large (past the fast range), and the special values. */
  private static void fill(float[] x, double[] xd) {
    SplittableRandom r = new SplittableRandom(17);
    for (int i = 0; i < x.length; i++) {
      double scale = i % 23 == 0 ? 150 : i % 5 == 0 ? 30 : 4;
      xd[i] = r.nextDouble(-scale, scale);
      x[i] = (float) xd[i];
    }
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE, -90f, 89f};
    for (int i = 0; i < specials.length; i++) {
      x[19 * i + 3] = specials[i];
      xd[19 * i + 3] = specials[i];
    }
    xd[1] = 710;
    xd[2] = -745.5;
  }

  @Test
  void interpretedC1AndC2GiveTheSameBits() throws IOException, InterruptedException {
    float[] x = new float[ROWS * N];
    double[] xd = new double[ROWS * N];
    fill(x, xd);
    float[] y = new float[x.length];
    double[] yd = new double[xd.length];
    for (int i = 0; i < 3000; i++) { // enough calls for C2 to compile the kernels
      for (Activations.Fn fn : Activations.Fn.values()) {
        SIMD.apply(fn, ROWS, N, x, 0, y, 0);
        SIMD.apply(fn, ROWS, N, xd, 0, yd, 0);
      }
    }
    String compiled = checksums();
    for (String tier : new String[] {"-Xint", "-XX:TieredStopAtLevel=1"}) {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--add-modules", "jdk.incubator.vector", tier,
          "-cp", System.getProperty("java.class.path"), ActivationTierTest.class.getName())
          .redirectErrorStream(false).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
      assertThat(out).as(tier).isEqualTo(compiled);
    }
  }
}
