package dev.nabla.benchmarks;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
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
 * Building the simplified derivative of a chain of N layers h = tanh(w_i * h): parse, check,
 * reverse mode and simplification. The time should grow linearly with N.
 *
 * <pre>java -Xss512m -jar benchmarks/target/benchmarks.jar Chain</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xss512m")
@State(Scope.Benchmark)
public class ChainBenchmark {
  @Param({"10", "100", "1000"})
  public int layers;

  private String source;

  @Setup
  public void setup() {
    StringBuilder s = new StringBuilder("model Chain {\n  input x; target d;\n");
    for (int i = 1; i <= layers; i++) {
      s.append("  param w").append(i).append(" = uniform(0.5, 1.5);\n");
    }
    s.append("  h0 = x;\n");
    for (int i = 1; i <= layers; i++) {
      s.append("  h").append(i).append(" = tanh(w").append(i).append(" * h").append(i - 1).append(");\n");
    }
    s.append("  output y = h").append(layers).append(";\n  loss L = l2(y, d);\n}\n");
    source = s.toString();
  }

  @Benchmark
  public Derivation derive() {
    Frontend.Result r = Frontend.run(new Source("chain.nn", source));
    return Derivation.of(r.models().getFirst(), new Diagnostics());
  }
}
