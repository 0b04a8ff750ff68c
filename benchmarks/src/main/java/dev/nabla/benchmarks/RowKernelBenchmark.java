package dev.nabla.benchmarks;

import dev.nabla.runtime.kernels.Activations;
import dev.nabla.runtime.kernels.Softmax;
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
 * The runtime's row kernels over a {@code [256, n]} block, in float and double: softmax,
 * log-softmax (a classifier's last layer, n = 10; a language model's, n = 1000) and tanh (a
 * hidden layer). With {@code n = 1000} a row has a tail shorter than a vector, which the kernels
 * finish in scalar code.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RowKernel</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class RowKernelBenchmark {
  private static final int ROWS = 256;

  @Param({"10", "1000"})
  public int n;

  private float[] x;
  private float[] y;
  private double[] xd;
  private double[] yd;

  @Setup
  public void setup() {
    SplittableRandom random = new SplittableRandom(1);
    x = new float[ROWS * n];
    y = new float[ROWS * n];
    xd = new double[ROWS * n];
    yd = new double[ROWS * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-4, 4);
      xd[i] = x[i];
    }
  }

  @Benchmark
  public float[] softmax() {
    Softmax.softmax(ROWS, n, x, 0, y, 0);
    return y;
  }

  @Benchmark
  public float[] logSoftmax() {
    Softmax.logSoftmax(ROWS, n, x, 0, y, 0);
    return y;
  }

  @Benchmark
  public float[] tanh() {
    Activations.apply(Activations.Fn.TANH, ROWS, n, x, 0, y, 0);
    return y;
  }

  @Benchmark
  public double[] softmaxDouble() {
    Softmax.softmax(ROWS, n, xd, 0, yd, 0);
    return yd;
  }

  @Benchmark
  public double[] logSoftmaxDouble() {
    Softmax.logSoftmax(ROWS, n, xd, 0, yd, 0);
    return yd;
  }

  @Benchmark
  public double[] tanhDouble() {
    Activations.apply(Activations.Fn.TANH, ROWS, n, xd, 0, yd, 0);
    return yd;
  }
}
