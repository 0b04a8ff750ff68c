package dev.nabla.samples;

import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Trains the XOR sample ({@code models/xor.nn}, generated into {@link Xor}, {@link XorForward} and
 * {@link XorBackward} by the annotation processor) on its four points with plain full-batch
 * gradient descent, written against the runtime's {@link Model} / {@link ModelRun} API, and
 * prints the loss and the final predictions.
 *
 * <pre>
 * java -cp samples/target/classes:runtime/target/classes dev.nabla.samples.TrainXor [seed] [steps]
 * </pre>
 */
public final class TrainXor {
  /** The four XOR points, one per row, and their labels. */
  static final double[] X = {0, 0, 0, 1, 1, 0, 1, 1};
  static final double[] D = {0, 1, 1, 0};

  /** Step size of the gradient descent. */
  static final double LEARNING_RATE = 1.0;

  private TrainXor() {}

  /** The losses before and after training, and the trained outputs for the four points. */
  record Result(double initialLoss, double finalLoss, double[] outputs) {
    /** How many of the four points the model classifies correctly (output above 0.5 means 1). */
    int correct() {
      int n = 0;
      for (int i = 0; i < outputs.length; i++) {
        n += (outputs[i] > 0.5) == (D[i] > 0.5) ? 1 : 0;
      }
      return n;
    }
  }

  public static void main(String[] args) {
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    Result r = train(seed, steps, System.out);
    for (int i = 0; i < 4; i++) {
      System.out.printf(Locale.ROOT, "xor(%.0f, %.0f) = %.3f%n", X[2 * i], X[2 * i + 1], r.outputs()[i]);
    }
    System.out.printf(Locale.ROOT, "%d of 4 correct%n", r.correct());
  }

  /** Trains a fresh model from {@code seed}, logging the loss every few hundred steps. */
  static Result train(long seed, int steps, PrintStream log) {
    Xor model = new Xor();
    model.initialize(seed);
    XorForward run = model.newRun(4);
    run.input("x").copyFrom(NdArray.of(X, 4, 2));
    run.input("d").copyFrom(NdArray.of(D, 4, 1));
    double initial = run.forward();
    for (int step = 1; step <= steps; step++) {
      run.backward();
      sgdStep(model, run, LEARNING_RATE);
      double loss = run.forward();
      if (log != null && (step % 250 == 0 || step == steps)) {
        log.printf(Locale.ROOT, "step %5d  loss %.6f%n", step, loss);
      }
    }
    double last = run.forward();
    return new Result(initial, last, run.output("y").toDoubles());
  }

  /** Plain SGD on every param: {@code w -= rate * dL/dw}, with the gradients of the last backward. */
  static void sgdStep(Model model, ModelRun run, double rate) {
    for (TensorSpec p : model.params()) {
      NdArray w = model.param(p.name());
      NdArray g = run.gradient(p.name());
      for (int i = 0; i < w.size(); i++) {
        w.setDouble(i, w.getDouble(i) - rate * g.getDouble(i));
      }
    }
  }
}
