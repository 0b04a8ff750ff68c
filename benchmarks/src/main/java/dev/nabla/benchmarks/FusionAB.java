package dev.nabla.benchmarks;

import dev.nabla.compiler.codegen.CodeGenerator;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import java.util.Arrays;
import java.util.Locale;

/**
 * An A/B comparison that stays fair on a busy machine: the same MLP training step (forward and
 * backward) generated with and without fused products, both in one JVM, timed in alternating
 * rounds so that both see the same load; prints each variant's median round and the ratio.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     dev.nabla.benchmarks.FusionAB [ROUNDS] [ACT] [SHAPES]</pre>
 *
 * ACT is the hidden layers' activation (relu, tanh, sigmoid; default relu); SHAPES a comma list
 * of "sizes:batch" (default the three MLPs of the performance issue).
 */
public final class FusionAB {
  private FusionAB() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
    String act = args.length > 1 ? args[1] : "relu";
    String shapes = args.length > 2 ? args[2] : "64-32-10:32,784-256-128-10:256,784-1024-1024-10:256";
    for (String shape : shapes.split(",")) {
      int[] sizes = Mlp.parse(shape.split(":")[0]);
      int batch = Integer.parseInt(shape.split(":")[1]);
      String source = Mlp.source(sizes).replace("relu(", act + "(");
      ModelRun fused = run(source, sizes, batch, true);
      ModelRun separate = run(source, sizes, batch, false);
      if (fused.forward() != separate.forward()) {
        throw new IllegalStateException("the fused and separate steps differ in their loss");
      }
      // Steps per round: about 0.2 s on an idle machine (nominal 100 GFLOP/s).
      int steps = (int) Math.max(20, Math.min(20_000, 0.2 * 100e9 / Mlp.flopsPerStep(sizes, batch)));
      for (int i = 0; i < 5; i++) {
        time(fused, steps);
        time(separate, steps);
      }
      double[] a = new double[rounds];
      double[] b = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        if (r % 2 == 0) {
          a[r] = time(fused, steps);
          b[r] = time(separate, steps);
        } else {
          b[r] = time(separate, steps);
          a[r] = time(fused, steps);
        }
      }
      Arrays.sort(a);
      Arrays.sort(b);
      System.out.printf(Locale.ROOT, "%s %s: fused %.1f us, separate %.1f us (medians of %d alternating rounds of %d steps), "
              + "separate / fused = %.3f%n", shape, act, a[rounds / 2], b[rounds / 2], rounds, steps, b[rounds / 2] / a[rounds / 2]);
    }
  }

  private static ModelRun run(String source, int[] sizes, int batch, boolean fuse) {
    Model model = Mlp.compile(source, new CodeGenerator.Options("ab", Precision.FLOAT, false, fuse));
    model.initialize(1);
    ModelRun run = model.newRun(batch);
    Mlp.fill(run, sizes, 2);
    return run;
  }

  /** Microseconds per step over {@code steps} steps. */
  private static double time(ModelRun run, int steps) {
    long start = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      run.forward();
      run.backward();
    }
    return (System.nanoTime() - start) / 1e3 / steps;
  }
}
