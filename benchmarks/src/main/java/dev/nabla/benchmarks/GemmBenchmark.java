package dev.nabla.benchmarks;

import dev.nabla.runtime.kernels.Gemm;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The runtime's float matrix products at n x n x n, in the three layouts the generated code
 * uses. GFLOP/s = 2 n^3 / time.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar Gemm</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class GemmBenchmark {
  @Param({"64", "256", "1024"})
  public int n;

  private float[] a;
  private float[] b;
  private float[] c;
  private double[] ad;
  private double[] bd;
  private double[] cd;

  @Setup
  public void setup() {
    SplittableRandom random = new SplittableRandom(1);
    a = new float[n * n];
    b = new float[n * n];
    c = new float[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextDouble(-1, 1);
      b[i] = (float) random.nextDouble(-1, 1);
    }
    ad = new double[n * n];
    bd = new double[n * n];
    cd = new double[n * n];
    for (int i = 0; i < a.length; i++) {
      ad[i] = a[i];
      bd[i] = b[i];
    }
  }

  @Benchmark
  public float[] ab() {
    Gemm.ab(n, n, n, a, 0, b, 0, c, 0, false);
    return c;
  }

  @Benchmark
  public float[] abT() {
    Gemm.abT(n, n, n, a, 0, b, 0, c, 0, false);
    return c;
  }

  @Benchmark
  public float[] aTb() {
    Gemm.aTb(n, n, n, a, 0, b, 0, c, 0, false);
    return c;
  }

  /** A·B in double (PyTorch's figure to compare with: its float64 matrix product). */
  @Benchmark
  public double[] abDouble() {
    Gemm.ab(n, n, n, ad, 0, bd, 0, cd, 0, false);
    return cd;
  }
}
