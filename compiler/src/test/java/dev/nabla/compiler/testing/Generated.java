package dev.nabla.compiler.testing;

import dev.nabla.compiler.codegen.ModelLoader;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import java.util.Map;

/**
 * Test helper: a {@link Compiled} model's generated Java (double precision) run for one batch at
 * chosen values, where {@link Compiled} evaluates the derivative program with the reference
 * evaluator instead.
 */
public final class Generated {
  private final ModelRun run;
  private final double loss;

  private Generated(ModelRun run, double loss) {
    this.run = run;
    this.loss = loss;
  }

  /**
   * Runs a batch of one: {@code values} gives every param, input and target (flat, row-major);
   * the forward and backward passes are run.
   */
  public static Generated run(Compiled c, Map<String, double[]> values) {
    Model model = ModelLoader.load(c.derivation, Precision.DOUBLE);
    ModelRun run = model.newRun(1);
    values.forEach((name, v) -> {
      boolean param = model.params().stream().anyMatch(t -> t.name().equals(name));
      NdArray a = param ? model.param(name) : run.input(name);
      for (int i = 0; i < v.length; i++) {
        a.setDouble(i, v[i]);
      }
    });
    double loss = run.forward();
    run.backward();
    return new Generated(run, loss);
  }

  public double loss() {
    return loss;
  }

  public double[] gradient(String name) {
    return run.gradient(name).toDoubles();
  }
}
