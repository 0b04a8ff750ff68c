package dev.nabla.runtime.train;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.HeapLimits;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import dev.nabla.runtime.kernels.BatchLoops;
import java.util.List;
import java.util.Locale;

/**
 * Updates a model's params from the gradients of a {@link ModelRun}, in place.
 *
 * <p>The rules (g is a param's gradient of the batch-mean loss, after clipping; t counts steps
 * from 1; state starts at 0; the arithmetic is double, the params keep the model's dtype):
 * <ul>
 *   <li>{@link Kind#SGD}: {@code p -= lr g}.</li>
 *   <li>{@link Kind#MOMENTUM} (heavy ball, as PyTorch's SGD with momentum):
 *       {@code v = mu v + g; p -= lr v}; default {@code mu = 0.9}.</li>
 *   <li>{@link Kind#ADAM} (Kingma and Ba 2015): {@code m = b1 m + (1 - b1) g;
 *       v = b2 v + (1 - b2) g²; p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)};
 *       defaults {@code b1 = 0.9, b2 = 0.999, eps = 1e-8}.</li>
 * </ul>
 * Default learning rates ({@link #defaultLearningRate}): SGD 0.1, momentum 0.01 (its steps are
 * about {@code 1 / (1 - mu) = 10} times larger), Adam 0.001.
 *
 * <p><b>Clipping</b> by global norm (off unless {@link #clipNorm(double)} is set): with
 * {@code n = sqrt(sum over every param of |g|²)}, when {@code n > c} every gradient is scaled by
 * {@code c / n} before the update.
 *
 * <p><b>Non-finite gradients.</b> {@link #step} returns the global norm; when it is NaN or
 * infinite nothing is updated, so the params stay finite.
 *
 * <p><b>Threads.</b> The norm's sum of squares is taken in chunks in a fixed order
 * ({@link GradientNorm}) and each param's update is split by ranges of its elements across the
 * kernels' thread pool ({@link BatchLoops}; every element is updated by the same arithmetic
 * wherever it runs), so a step gives the same bits on one thread or several.
 *
 * <p>All state is allocated when the optimizer is made; a step allocates nothing.
 */
public final class Optimizer {
  /** The update rule. */
  public enum Kind {
    /** Plain stochastic gradient descent. */
    SGD,
    /** SGD with heavy-ball momentum. */
    MOMENTUM,
    /** Adam. */
    ADAM;

    /** The name on the command line: {@code sgd}, {@code momentum}, {@code adam}. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Default momentum. */
  public static final double MOMENTUM = 0.9;
  /** Default Adam beta1. */
  public static final double BETA1 = 0.9;
  /** Default Adam beta2. */
  public static final double BETA2 = 0.999;
  /** Default Adam epsilon. */
  public static final double EPSILON = 1e-8;

  // Package-private for ParamUpdateF64 and its float twin, which apply the rules.
  final Kind kind;
  final double lr;
  final double mu;
  final double beta1;
  final double beta2;
  final double eps;
  private double clip;
  private final String[] names;
  private final NdArray[] params;
  private final Views gradients;
  private final GradientNorm norm2;
  private final Update update = new Update();
  final double[][] m;
  final double[][] v;
  private long t;
  private double beta1Power = 1;
  private double beta2Power = 1;

  private Optimizer(Model model, Kind kind, double lr, double mu, double beta1, double beta2, double eps) {
    if (!(lr > 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException("the learning rate must be positive and finite, got " + lr);
    }
    if (!(mu >= 0 && mu < 1) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)) {
      throw new IllegalArgumentException("momentum and betas must be in [0, 1) and eps positive");
    }
    this.kind = kind;
    this.lr = lr;
    this.mu = mu;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    List<TensorSpec> specs = model.params();
    int n = specs.size();
    names = new String[n];
    params = new NdArray[n];
    m = new double[n][];
    v = new double[n][];
    long state = (kind == Kind.SGD ? 0 : 1) + (kind == Kind.ADAM ? 1 : 0);
    long values = state * specs.stream().mapToLong(TensorSpec::size).sum();
    HeapLimits.reserve("the " + kind.name().toLowerCase(Locale.ROOT) + " optimizer's state for model "
        + model.name() + " (" + values + " double values)", values * Double.BYTES);
    for (int i = 0; i < n; i++) {
      names[i] = specs.get(i).name();
      params[i] = model.param(names[i]);
      int size = params[i].size();
      m[i] = kind == Kind.SGD ? null : new double[size];
      v[i] = kind == Kind.ADAM ? new double[size] : null;
    }
    gradients = new Views(Views.Kind.GRADIENT, names);
    int[] sizes = new int[n];
    for (int i = 0; i < n; i++) {
      sizes[i] = params[i].size();
    }
    norm2 = new GradientNorm(sizes);
  }

  /** Plain stochastic gradient descent. */
  public static Optimizer sgd(Model model, double lr) {
    return new Optimizer(model, Kind.SGD, lr, 0, BETA1, BETA2, EPSILON);
  }

  /** SGD with (heavy-ball) momentum {@code mu}. */
  public static Optimizer momentum(Model model, double lr, double mu) {
    return new Optimizer(model, Kind.MOMENTUM, lr, mu, BETA1, BETA2, EPSILON);
  }

  /** Adam. */
  public static Optimizer adam(Model model, double lr, double beta1, double beta2, double eps) {
    return new Optimizer(model, Kind.ADAM, lr, 0, beta1, beta2, eps);
  }

  /** An optimizer of the given kind with its default constants. */
  public static Optimizer of(Kind kind, Model model, double lr) {
    return switch (kind) {
      case SGD -> sgd(model, lr);
      case MOMENTUM -> momentum(model, lr, MOMENTUM);
      case ADAM -> adam(model, lr, BETA1, BETA2, EPSILON);
    };
  }

  /** The default learning rate of a kind: SGD 0.1, momentum 0.01, Adam 0.001. */
  public static double defaultLearningRate(Kind kind) {
    return switch (kind) {
      case SGD -> 0.1;
      case MOMENTUM -> 0.01;
      case ADAM -> 0.001;
    };
  }

  /** Clips gradients to global norm {@code maxNorm} (0 turns clipping off); returns this. */
  public Optimizer clipNorm(double maxNorm) {
    if (!(maxNorm >= 0) || !Double.isFinite(maxNorm)) {
      throw new IllegalArgumentException("the clipping norm must be 0 (off) or positive, got " + maxNorm);
    }
    this.clip = maxNorm;
    return this;
  }

  /** The update rule. */
  public Kind kind() {
    return kind;
  }

  /** The learning rate. */
  public double learningRate() {
    return lr;
  }

  /** The clipping norm, 0 when off. */
  public double clipNorm() {
    return clip;
  }

  /** The number of updates made so far. */
  public long steps() {
    return t;
  }

  /** A short description: {@code "adam lr 0.001"}, with the clipping norm when set. */
  @Override
  public String toString() {
    return kind.cliName() + " lr " + lr + (clip > 0 ? " clip " + clip : "");
  }

  /**
   * Updates every param from {@code run}'s gradients (after {@code run.backward()}); returns the
   * global gradient norm before clipping. When the norm is not finite nothing is updated.
   */
  public double step(ModelRun run) {
    return step(gradients.of(run));
  }

  /**
   * Updates every param from {@code grads}, the gradients of the batch-mean loss one per param in
   * declaration order with the params' shapes and dtype (e.g. summed over a cluster); returns the
   * global gradient norm before clipping. When the norm is not finite nothing is updated.
   */
  public double step(NdArray[] grads) {
    if (grads.length != params.length) {
      throw new IllegalArgumentException(grads.length + " gradients for " + params.length + " params");
    }
    for (int i = 0; i < grads.length; i++) {
      if (grads[i].dtype() != params[i].dtype() || grads[i].size() != params[i].size()) {
        throw new IllegalArgumentException("gradient " + i + " is " + grads[i].dtype() + " " + grads[i].shapeString()
            + " for param " + names[i] + ", " + params[i].dtype() + " " + params[i].shapeString());
      }
    }
    double norm = Math.sqrt(norm2.sumOfSquares(grads));
    if (!Double.isFinite(norm)) {
      return norm;
    }
    double scale = clip > 0 && norm > clip ? clip / norm : 1;
    t++;
    beta1Power *= beta1;                       // beta^t as a running product (StrictMath.pow allocates)
    beta2Power *= beta2;
    update.run(grads, scale, 1 - beta1Power, 1 - beta2Power);
    return norm;
  }

  /**
   * A step's update of every param, handed to {@link BatchLoops} one param at a time: loop i
   * updates elements {@code [from, to)} of param i.
   */
  private final class Update implements BatchLoops.Body {
    private NdArray[] grads;
    private double scale;
    private double bc1;
    private double bc2;

    void run(NdArray[] grads, double scale, double bc1, double bc2) {
      this.grads = grads;
      this.scale = scale;
      this.bc1 = bc1;
      this.bc2 = bc2;
      try {
        for (int i = 0; i < params.length; i++) {
          BatchLoops.run(this, i, params[i].size(), kind == Kind.ADAM ? 8 : 2);
        }
      } finally {
        this.grads = null;
      }
    }

    @Override
    public void rows(int i, int from, int to) {
      NdArray p = params[i];
      if (p.dtype() == DType.F32) {
        ParamUpdateF32.update(Optimizer.this, i, p.floats(), grads[i].floats(), scale, bc1, bc2, from, to);
      } else {
        ParamUpdateF64.update(Optimizer.this, i, p.doubles(), grads[i].doubles(), scale, bc1, bc2, from, to);
      }
    }
  }
}
