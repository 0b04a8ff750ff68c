package dev.nabla.benchmarks;

import dev.nabla.runtime.kernels.Gemm;
import dev.nabla.runtime.kernels.Scalars;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A dense layer's work around its products, done in separate passes (as the generated code did
 * before the fused products) against the fused {@link Gemm} overloads, on the second layer of
 * the 784-1024-1024-10 MLP at batch 256 (float): forward {@code Z = X·Wᵀ + b}, {@code Y =
 * relu(Z)}; backward {@code dZ = (dY'·W') * step(Z)}; weight and bias gradients
 * {@code dW = dZᵀ·X}, {@code db = sum_b dZ}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar GemmEpilogue</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class GemmEpilogueBenchmark {
  private static final int B = 256;
  private static final int IN = 1024;
  private static final int OUT = 1024;

  private float[] x;
  private float[] w;
  private float[] bias;
  private float[] z;
  private float[] y;
  private float[] p;
  private float[] dz;
  private float[] dw;
  private float[] db;

  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(1);
    x = floats(r, B * IN);
    w = floats(r, OUT * IN);
    bias = floats(r, OUT);
    z = new float[B * OUT];
    y = new float[B * OUT];
    p = new float[B * OUT];
    dz = floats(r, B * OUT);
    dw = new float[OUT * IN];
    db = new float[OUT];
  }

  @Benchmark
  public float[] forwardSeparate() {
    Gemm.abT(B, OUT, IN, x, 0, w, 0, p, 0, false);
    for (int b = 0; b < B; b++) {
      for (int j = 0; j < OUT; j++) {
        z[b * OUT + j] = p[b * OUT + j] + bias[j];
      }
    }
    for (int i = 0; i < B * OUT; i++) {
      y[i] = Scalars.relu(z[i]);
    }
    return y;
  }

  @Benchmark
  public float[] forwardFused() {
    Gemm.abT(B, OUT, IN, x, 0, w, 0, z, 0, bias, 0, Gemm.Act.RELU, y, 0);
    return y;
  }

  @Benchmark
  public float[] backwardMaskSeparate() {
    Gemm.ab(B, IN, OUT, dz, 0, w, 0, p, 0, false);
    for (int i = 0; i < B * IN; i++) {
      y[i] = p[i] * Scalars.step(z[i]);
    }
    return y;
  }

  @Benchmark
  public float[] backwardMaskFused() {
    Gemm.ab(B, IN, OUT, dz, 0, w, 0, y, 0, Gemm.Act.RELU, z, 0);
    return y;
  }

  @Benchmark
  public float[] gradientsSeparate() {
    Gemm.aTb(OUT, IN, B, dz, 0, x, 0, dw, 0, false);
    for (int j = 0; j < OUT; j++) {
      db[j] = 0;
    }
    for (int b = 0; b < B; b++) {
      for (int j = 0; j < OUT; j++) {
        db[j] += dz[b * OUT + j];
      }
    }
    return db;
  }

  @Benchmark
  public float[] gradientsFused() {
    Gemm.aTb(OUT, IN, B, dz, 0, x, 0, dw, 0, db, 0);
    return db;
  }

  private static float[] floats(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextDouble(-1, 1);
    }
    return a;
  }
}
