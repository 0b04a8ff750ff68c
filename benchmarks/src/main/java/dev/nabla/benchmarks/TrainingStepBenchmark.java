package dev.nabla.benchmarks;

import dev.nabla.compiler.codegen.Precision;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
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
 * One training step of a generated MLP: forward and backward over a batch (no optimizer), float.
 * {@code shape} is "layer sizes:batch".
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar TrainingStep</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class TrainingStepBenchmark {
  @Param({"64-32-10:32", "784-256-128-10:256", "784-1024-1024-10:256"})
  public String shape;

  private ModelRun run;

  @Setup
  public void setup() {
    String[] parts = shape.split(":");
    int[] sizes = Mlp.parse(parts[0]);
    int batch = Integer.parseInt(parts[1]);
    Model model = Mlp.compile(Mlp.source(sizes), Precision.FLOAT);
    model.initialize(1);
    run = model.newRun(batch);
    Mlp.fill(run, sizes, 2);
  }

  @Benchmark
  public double step() {
    double loss = run.forward();
    run.backward();
    return loss;
  }
}
