package dev.nabla.benchmarks;

import dev.nabla.runtime.kernels.Activations;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
 * The cure RELIABILITY.md section 8 proposes for the SIMD kernels' tier-dependent bits, measured
 * against what the kernels used: {@code lanewise(EXP)}/{@code lanewise(TANH)} (SVML once C2
 * compiles them, a Java fallback before) against exp, tanh and sigmoid built only from lanewise
 * operations (the same bits in every tier): the earlier attempt ({@link #polynomialExp}, Cephes'
 * expf with {@code min}/{@code max} clamps and {@code convert(F2I)}), and the kernels that landed
 * ({@code laneMath*}: {@link Activations#apply}, i.e. {@code FloatLaneMath}); and
 * {@code reduceLanes(ADD)} against a sum of the lanes in a fixed order. Rows of 1024 floats: exp
 * of softmax arguments (x - max in [-20, 0]), tanh and sigmoid of arguments in [-4, 4]; ns per
 * row. To run every variant in one JVM (the kernels share the Vector API's profiles, as in a
 * training step), in-process:
 *
 * <pre>java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar TierIndependentExp -f 0</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class TierIndependentExpBenchmark {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int N = 1024;

  private float[] x;
  private float[] y;
  /** Hidden-layer arguments for tanh and sigmoid. */
  private float[] z;

  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(1);
    x = new float[N];
    y = new float[N];
    z = new float[N];
    for (int i = 0; i < N; i++) {
      x[i] = (float) r.nextDouble(-20, 0);
      z[i] = (float) r.nextDouble(-4, 4);
    }
  }

  @Benchmark
  public float[] laneMathExp() {
    Activations.apply(Activations.Fn.EXP, 1, N, x, 0, y, 0);
    return y;
  }

  /** The tanh kernel before: {@code lanewise(TANH)}. */
  @Benchmark
  public float[] lanewiseTanh() {
    for (int j = 0; j < N; j += S.length()) {
      FloatVector.fromArray(S, z, j).lanewise(VectorOperators.TANH).intoArray(y, j);
    }
    return y;
  }

  @Benchmark
  public float[] laneMathTanh() {
    Activations.apply(Activations.Fn.TANH, 1, N, z, 0, y, 0);
    return y;
  }

  /** The sigmoid kernel before: {@code 1 / (1 + lanewise(EXP) of -x)}. */
  @Benchmark
  public float[] lanewiseSigmoid() {
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (int j = 0; j < N; j += S.length()) {
      FloatVector e = FloatVector.fromArray(S, z, j).neg().lanewise(VectorOperators.EXP);
      one.div(one.add(e)).intoArray(y, j);
    }
    return y;
  }

  @Benchmark
  public float[] laneMathSigmoid() {
    Activations.apply(Activations.Fn.SIGMOID, 1, N, z, 0, y, 0);
    return y;
  }

  @Benchmark
  public float[] lanewiseExp() {
    for (int j = 0; j < N; j += S.length()) {
      FloatVector.fromArray(S, x, j).lanewise(VectorOperators.EXP).intoArray(y, j);
    }
    return y;
  }

  @Benchmark
  public float[] polynomialExp() {
    for (int j = 0; j < N; j += S.length()) {
      exp(FloatVector.fromArray(S, x, j)).intoArray(y, j);
    }
    return y;
  }

  @Benchmark
  public float reduceLanes() {
    float s = 0;
    for (int j = 0; j < N; j += S.length()) {
      s += FloatVector.fromArray(S, x, j).reduceLanes(VectorOperators.ADD);
    }
    return s;
  }

  @Benchmark
  public float fixedOrderLanes() {
    float s = 0;
    for (int j = 0; j < N; j += S.length()) {
      FloatVector v = FloatVector.fromArray(S, x, j);
      float lanes = 0;
      for (int l = 0; l < S.length(); l++) {
        lanes += v.lane(l);
      }
      s += lanes;
    }
    return s;
  }

  /**
   * e^x as Cephes' expf computes it: x = n ln 2 + r with |r| <= ln 2 / 2 (ln 2 in two parts),
   * e^r by a degree-6 polynomial, times 2^n put into the exponent bits. Within 1 ulp of exp
   * over [-87, 88]; clamped there (so 2^n stays normal).
   */
  static FloatVector exp(FloatVector x) {
    x = x.max(-87.33654f).min(88.72283f);
    FloatVector n = x.mul(1.44269504088896341f).add(0x1.8p23f).sub(0x1.8p23f); // round to nearest
    FloatVector r = n.fma(FloatVector.broadcast(S, -0.693359375f), x);
    r = n.fma(FloatVector.broadcast(S, 2.12194440e-4f), r);
    FloatVector p = FloatVector.broadcast(S, 1.9875691500E-4f);
    p = p.fma(r, FloatVector.broadcast(S, 1.3981999507E-3f));
    p = p.fma(r, FloatVector.broadcast(S, 8.3334519073E-3f));
    p = p.fma(r, FloatVector.broadcast(S, 4.1665795894E-2f));
    p = p.fma(r, FloatVector.broadcast(S, 1.6666665459E-1f));
    p = p.fma(r, FloatVector.broadcast(S, 5.0000001201E-1f));
    p = p.fma(r.mul(r), r).add(1f);
    IntVector e = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
    return p.mul((FloatVector) e.reinterpretAsFloats());
  }
}
