package dev.nabla.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares a model's analytic gradients with central finite differences of its mean loss.
 *
 * <p>For every entry {@code w} of every param (and of every input declared {@code grad}), with
 * {@code L} the batch-mean loss returned by {@link ModelRun#forward()} and {@code L0} its value at
 * the unperturbed point:
 * <pre>
 *   numeric(h) = (L(w + h) - L(w - h)) / ((w + h) - (w - h))    (the step actually taken)
 *   err(h)     = |analytic - numeric(h)| / max(|analytic| + |numeric(h)|, floor * max(1, |L0|))
 *   error      = min(err(h), err(h / 10))    with h = step * max(1, |w|)
 * </pre>
 * <ul>
 *   <li>The error is 0 for equal values and at most 1; it is NaN if a value is NaN, and a NaN
 *       counts as the worst error and fails every tolerance.</li>
 *   <li>The floor makes it an absolute error (relative to the loss) for gradients near zero:
 *       finite differences carry rounding noise of about {@code 1e-16 * |L| / h}, which a pure
 *       relative error would blow up for tiny or exactly-zero gradients. With the defaults a
 *       correct double-precision model typically scores 1e-10 to 1e-7.</li>
 *   <li>Two steps: a step that happens to cross a kink (relu, abs, max, maxpool) gives a wrong
 *       difference quotient; the smaller step rarely crosses it too. A wrong gradient fails at both
 *       steps.</li>
 * </ul>
 *
 * <p>Defaults: relative step {@value #DEFAULT_STEP} (near the optimum {@code eps^(1/3)} for
 * central differences), floor {@value #DEFAULT_FLOOR}, tolerance {@value #DEFAULT_TOLERANCE}
 * (the threshold of {@code nabla check}). The model must be double precision and the run's
 * inputs and targets filled. Every perturbed value is restored bit-for-bit and the run is left
 * after a fresh forward and backward pass. Cost: four forward passes per checked entry.
 */
public final class GradientCheck {
  /** Default relative finite-difference step. */
  public static final double DEFAULT_STEP = 1e-5;
  /** Default denominator floor of the relative error. */
  public static final double DEFAULT_FLOOR = 1e-2;
  /** Default pass threshold for the worst relative error. */
  public static final double DEFAULT_TOLERANCE = 1e-6;

  /**
   * The worst entry of one param or {@code grad} input.
   *
   * @param name the param or input name
   * @param worstRelativeError the largest error (see the class comment); 0 for an empty array
   * @param worstIndex its flat row-major index, -1 for an empty array
   * @param analytic the gradient the model computed there
   * @param numeric the finite-difference estimate there
   */
  public record Result(String name, double worstRelativeError, int worstIndex, double analytic, double numeric) {
    /** True if the worst error is at most {@code tolerance} (never for NaN). */
    public boolean passes(double tolerance) {
      return worstRelativeError <= tolerance;
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%s: worst relative error %.3e at flat index %d "
          + "(analytic %.10g, numeric %.10g)", name, worstRelativeError, worstIndex, analytic, numeric);
    }
  }

  /** Told after each checked entry, so a caller can show progress on a large model. */
  @FunctionalInterface
  public interface Progress {
    /**
     * {@code done} of {@code total} entries (of all params and grad inputs) are checked; the
     * current one belongs to {@code name}.
     */
    void checked(String name, long done, long total);
  }

  private GradientCheck() {
  }

  /** Checks with the defaults; see {@link #check(Model, ModelRun, double, double)}. */
  public static List<Result> check(Model model, ModelRun run) {
    return check(model, run, DEFAULT_STEP, DEFAULT_FLOOR);
  }

  /**
   * Checks every param (in declaration order) and then every {@code grad} input.
   *
   * @param step the relative step: {@code h = step * max(1, |w|)}
   * @param floor the denominator floor, multiplied by {@code max(1, |L0|)}
   *
   * @throws IllegalArgumentException if the model is not {@link DType#F64} or the settings are
   *     not positive
   * @throws IllegalStateException if a gradient has the wrong shape
   */
  public static List<Result> check(Model model, ModelRun run, double step, double floor) {
    return check(model, run, step, floor, (name, done, total) -> { });
  }

  /** {@link #check(Model, ModelRun, double, double)}, telling {@code progress} after each entry. */
  public static List<Result> check(Model model, ModelRun run, double step, double floor, Progress progress) {
    if (model.dtype() != DType.F64) {
      throw new IllegalArgumentException("GradientCheck needs a double-precision model; "
          + model.name() + " is " + model.dtype());
    }
    if (!(step > 0) || !(floor > 0)) {
      throw new IllegalArgumentException("GradientCheck: step and floor must be positive, got "
          + step + " and " + floor);
    }
    List<String> names = new ArrayList<>();
    List<NdArray> values = new ArrayList<>();
    for (TensorSpec p : model.params()) {
      names.add(p.name());
      values.add(model.param(p.name()));
    }
    for (String g : model.gradInputs()) {
      names.add(g);
      values.add(run.input(g));
    }
    double loss0 = run.forward();
    run.backward();
    double effectiveFloor = floor * Math.max(1.0, Math.abs(loss0));
    long copied = 0;
    for (NdArray v : values) {
      copied += v.size();
    }
    HeapLimits.reserve("the gradient check's copy of model " + model.name() + "'s gradients (" + copied
        + " double values)", copied * Double.BYTES);
    List<double[]> analytic = new ArrayList<>();
    for (int t = 0; t < names.size(); t++) {
      NdArray grad = run.gradient(names.get(t));
      if (!grad.hasShape(values.get(t).shape())) {
        throw new IllegalStateException("GradientCheck: gradient of '" + names.get(t) + "' is "
            + grad.shapeString() + " but the value is " + values.get(t).shapeString());
      }
      analytic.add(grad.toDoubles());
    }
    List<Result> results = new ArrayList<>();
    long total = values.stream().mapToLong(NdArray::size).sum();
    long before = 0;
    try {
      for (int t = 0; t < names.size(); t++) {
        String name = names.get(t);
        long offset = before;
        results.add(checkOne(name, values.get(t).doubles(), analytic.get(t), run, step, effectiveFloor,
            i -> progress.checked(name, offset + i + 1, total)));
        before += values.get(t).size();
      }
    } finally {
      run.forward();
      run.backward();
    }
    return results;
  }

  private static Result checkOne(String name, double[] v, double[] analytic, ModelRun run,
      double step, double floor, java.util.function.IntConsumer checked) {
    double worst = 0;
    int worstIndex = -1;
    double worstA = 0;
    double worstN = 0;
    for (int i = 0; i < v.length; i++) {
      double h = step * Math.max(1.0, Math.abs(v[i]));
      double numeric = difference(v, i, h, run);
      double err = relativeError(analytic[i], numeric, floor);
      double numericSmall = difference(v, i, h / 10, run);
      double errSmall = relativeError(analytic[i], numericSmall, floor);
      if (errSmall < err || (Double.isNaN(err) && !Double.isNaN(errSmall))) {
        err = errSmall;
        numeric = numericSmall;
      }
      if (worstIndex < 0 || err > worst || (Double.isNaN(err) && !Double.isNaN(worst))) {
        worst = err;
        worstIndex = i;
        worstA = analytic[i];
        worstN = numeric;
      }
      checked.accept(i);
    }
    return new Result(name, worst, worstIndex, worstA, worstN);
  }

  /** The central difference of the loss in {@code v[i]} with step {@code h}; restores {@code v[i]}. */
  private static double difference(double[] v, int i, double h, ModelRun run) {
    double w = v[i];
    try {
      v[i] = w + h;
      double up = v[i];
      double lossUp = run.forward();
      v[i] = w - h;
      double down = v[i];
      double lossDown = run.forward();
      return (lossUp - lossDown) / (up - down);
    } finally {
      v[i] = w;
    }
  }

  /** {@code |a - n| / max(|a| + |n|, floor)}; NaN if either is NaN. */
  public static double relativeError(double analytic, double numeric, double floor) {
    double diff = Math.abs(analytic - numeric);
    if (diff == 0) {
      return 0;
    }
    return diff / Math.max(Math.abs(analytic) + Math.abs(numeric), floor);
  }

  /** The largest error among {@code results} (NaN if any is NaN, 0 if empty). */
  public static double worst(List<Result> results) {
    double worst = 0;
    for (Result r : results) {
      if (Double.isNaN(r.worstRelativeError())) {
        return Double.NaN;
      }
      worst = Math.max(worst, r.worstRelativeError());
    }
    return worst;
  }
}
