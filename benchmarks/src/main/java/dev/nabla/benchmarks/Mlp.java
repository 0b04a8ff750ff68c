package dev.nabla.benchmarks;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.ModelLoader;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import java.util.SplittableRandom;

/**
 * The MLPs of the benchmarks (relu hidden layers, softmax cross-entropy), as {@code .nn}
 * source, compiled in memory, with a random batch: the same networks torch_reference.py times.
 */
final class Mlp {
  private Mlp() {}

  /** {@code .nn} source of an MLP with the given layer sizes, e.g. 784,256,128,10. */
  static String source(int[] sizes) {
    StringBuilder s = new StringBuilder("model Mlp {\n");
    s.append("  input x[").append(sizes[0]).append("];\n");
    s.append("  target d[").append(sizes[sizes.length - 1]).append("];\n");
    for (int i = 1; i < sizes.length; i++) {
      s.append("  param W").append(i).append('[').append(sizes[i]).append(", ").append(sizes[i - 1]).append("] = he;\n");
      s.append("  param b").append(i).append('[').append(sizes[i]).append("];\n");
    }
    String h = "x";
    for (int i = 1; i < sizes.length; i++) {
      String z = "W" + i + " @ " + h + " + b" + i;
      if (i < sizes.length - 1) {
        s.append("  h").append(i).append(" = relu(").append(z).append(");\n");
        h = "h" + i;
      } else {
        s.append("  output Y = softmax(").append(z).append(");\n");
      }
    }
    s.append("  loss L = cross_entropy(Y, d);\n}\n");
    return s.toString();
  }

  static int[] parse(String sizes) {
    String[] parts = sizes.split("-");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Integer.parseInt(parts[i]);
    }
    return out;
  }

  /** FLOPs of one training step as torch_reference.py counts them: 6 * B * sum(fan_in * fan_out). */
  static double flopsPerStep(int[] sizes, int batch) {
    double macs = 0;
    for (int i = 1; i < sizes.length; i++) {
      macs += (double) sizes[i - 1] * sizes[i];
    }
    return 6 * batch * macs;
  }

  static Model compile(String source, Precision precision) {
    return compile(source, new dev.nabla.compiler.codegen.CodeGenerator.Options("mlp", precision));
  }

  static Model compile(String source, dev.nabla.compiler.codegen.CodeGenerator.Options options) {
    Frontend.Result r = Frontend.run(new Source("mlp.nn", source));
    if (!r.ok()) {
      throw new IllegalStateException(DiagnosticRenderer.renderAll(r.diagnostics()));
    }
    CheckedModel m = r.models().getFirst();
    return ModelLoader.load(Derivation.of(m, new Diagnostics()), options);
  }

  /** Random inputs in [-1, 1] and one-hot targets. */
  static void fill(ModelRun run, int[] sizes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    NdArray x = run.input("x");
    for (int i = 0; i < x.size(); i++) {
      x.setDouble(i, random.nextDouble(-1, 1));
    }
    NdArray d = run.input("d");
    int classes = sizes[sizes.length - 1];
    for (int b = 0; b < run.batchSize(); b++) {
      d.setDouble(b * classes + random.nextInt(classes), 1);
    }
  }
}
