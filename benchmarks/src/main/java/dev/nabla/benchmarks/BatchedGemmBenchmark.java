package dev.nabla.benchmarks;

import dev.nabla.runtime.kernels.BatchedGemm;
import dev.nabla.runtime.kernels.Gemm;
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
 * The attention scores of a batch, {@code [64, 4, 16, 16] @ [64, 4, 16, 16]ᵀ} in float: the 256
 * products in one {@link BatchedGemm} call against 256 calls of {@link Gemm#abT} (what the
 * generated code would do per instance and head without the batched entry point).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar BatchedGemm</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class BatchedGemmBenchmark {
  private static final int COUNT = 64 * 4;
  private static final int T = 16;
  private static final int D = 16;

  private float[] q;
  private float[] k;
  private float[] s;

  @Setup
  public void setup() {
    SplittableRandom random = new SplittableRandom(1);
    q = new float[COUNT * T * D];
    k = new float[COUNT * T * D];
    s = new float[COUNT * T * T];
    for (int i = 0; i < q.length; i++) {
      q[i] = (float) random.nextDouble(-1, 1);
      k[i] = (float) random.nextDouble(-1, 1);
    }
  }

  @Benchmark
  public float[] oneBatchedCall() {
    BatchedGemm.gemm(false, true, 1, COUNT, T, T, D, q, 0, 0, T * D, k, 0, 0, T * D, s, 0, 0, T * T, false);
    return s;
  }

  @Benchmark
  public float[] oneCallPerProduct() {
    for (int i = 0; i < COUNT; i++) {
      Gemm.abT(T, T, D, q, i * T * D, k, i * T * D, s, i * T * T, false);
    }
    return s;
  }
}
