package dev.nabla.benchmarks;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.codegen.CodeGenerator;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import java.util.ArrayList;
import java.util.List;
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
 * Compiling an N-layer MLP ({@code z_i = W_i @ h + b_i; h = relu(z_i)}, width 64, softmax
 * cross-entropy) all the way to Java source text: parse, check, reverse mode, simplification,
 * memory plan and JavaPoet. The target is under 1 s for 100 layers.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar CompileBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xss512m")
@State(Scope.Benchmark)
public class CompileBenchmark {
  @Param({"10", "100"})
  public int layers;

  private String source;

  @Setup
  public void setup() {
    int[] sizes = new int[layers + 1];
    java.util.Arrays.fill(sizes, 64);
    sizes[layers] = 10;
    source = Mlp.source(sizes);
  }

  @Benchmark
  public List<String> compileToJavaSource() {
    Frontend.Result r = Frontend.run(new Source("deep.nn", source));
    Derivation d = Derivation.of(r.models().getFirst(), new Diagnostics());
    List<String> sources = new ArrayList<>();
    for (JavaFile f : CodeGenerator.generate(d, CodeGenerator.Options.of("bench"))) {
      sources.add(f.toString());
    }
    return sources;
  }
}
