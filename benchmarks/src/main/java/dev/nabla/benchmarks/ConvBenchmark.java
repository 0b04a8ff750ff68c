package dev.nabla.benchmarks;

import dev.nabla.runtime.kernels.ConvPlan;
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
 * The convolution ops of the LeNet-5 and wider-CNN layers ({@link ConvLayers}) over a batch of
 * 64, float, on each path of {@link ConvPlan.Path} ({@code GEMM_GROUPS} differs from
 * {@code GEMM} in the kernel's adjoint only). GFLOP/s = 2 B o (c kh kw) (oh ow) / time for each op.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ConvBenchmark</pre>
 *
 * On a busy machine prefer {@code KernelRounds conv}, which runs both paths in turn in one JVM.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ConvBenchmark {
  @Param({"lenet1", "lenet2", "cnn1", "cnn2"})
  public String layer;

  @Param({"GEMM", "GEMM_GROUPS", "DIRECT"})
  public ConvPlan.Path path;

  @Param("64")
  public int batch;

  private ConvLayers conv;

  @Setup
  public void setup() {
    conv = new ConvLayers(layer, batch, path);
  }

  @Benchmark
  public float[] forward() {
    conv.forward();
    return conv.y;
  }

  @Benchmark
  public float[] inputGrad() {
    conv.inputGrad();
    return conv.dx;
  }

  @Benchmark
  public float[] kernelGrad() {
    conv.kernelGrad();
    return conv.dk;
  }
}
