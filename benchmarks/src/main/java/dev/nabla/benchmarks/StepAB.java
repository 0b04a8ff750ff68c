package dev.nabla.benchmarks;

import dev.nabla.compiler.pipeline.GradientChecks;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import dev.nabla.runtime.train.Optimizer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * An A/B comparison of two versions of one model's generated code (for instance {@code nabla
 * compile} of the same {@code .nn} file by the code generator before and after a change), fair on
 * a busy machine: both are compiled and loaded side by side in one JVM, on the same runtime, with
 * the same params and batch. First it checks that they compute the same numbers, bit for bit: the
 * loss, every gradient and the params after each of a few SGD steps. Then it times training
 * steps (forward, backward and the trainer's SGD update, {@code Optimizer.sgd}) in alternating rounds,
 * by the calling thread's CPU time (what the load moves least) and by wall time, and prints each
 * variant's median round and the median of the rounds' ratios.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     dev.nabla.benchmarks.StepAB DIR_A DIR_B [BATCH] [ROUNDS]</pre>
 *
 * With {@code -Dstepab.tolerance=T} the two need only agree to T, relative to each array's
 * largest element (for a change that rounds differently on purpose).
 *
 * DIR_A and DIR_B each hold the generated {@code .java} files of one model (no other sources).
 * CPU time only measures the whole step when it runs on the calling thread: below the products'
 * and loops' thresholds for splitting (the small networks), or with {@code -Dnabla.threads=1}.
 */
public final class StepAB {
  private static final double LEARNING_RATE = 1e-3;
  private static final int CHECKED_STEPS = 5;
  private static final long WARMUP_NANOS = 10_000_000_000L;

  private StepAB() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: StepAB DIR_A DIR_B [BATCH] [ROUNDS]");
      System.exit(2);
    }
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 21;
    Step a = new Step(load(Path.of(args[0])), batch);
    Step b = new Step(load(Path.of(args[1])), batch);
    if (TOLERANCE == 0) {
      sameNumbers(a, b);
      System.out.printf(Locale.ROOT, "%s: the same loss, gradients and params, bit for bit, over %d SGD steps%n",
          a.model.name(), CHECKED_STEPS);
    } else {
      System.out.printf(Locale.ROOT, "%s: loss, gradients and params within %.1e (relative to each array's largest), "
          + "largest difference %.2e, over %d SGD steps%n", a.model.name(), TOLERANCE, closeNumbers(a, b), CHECKED_STEPS);
    }
    // Warm-up (C2 must compile the kernels: a few seconds each), then steps per round: about 0.2 s.
    long warmupEnd = System.nanoTime() + WARMUP_NANOS;
    while (System.nanoTime() < warmupEnd) {
      a.time(100);
      b.time(100);
    }
    long steps = 100;
    while (a.time(steps)[1] < 200_000_000L) {
      steps *= 2;
    }
    double[][] ta = new double[2][rounds];
    double[][] tb = new double[2][rounds];
    double[][] ratio = new double[2][rounds];
    double loadBefore = load();
    for (int r = 0; r < rounds; r++) {
      long[] x;
      long[] y;
      if (r % 2 == 0) {
        x = a.time(steps);
        y = b.time(steps);
      } else {
        y = b.time(steps);
        x = a.time(steps);
      }
      for (int k = 0; k < 2; k++) {
        ta[k][r] = x[k] / 1e3 / steps;
        tb[k][r] = y[k] / 1e3 / steps;
        ratio[k][r] = ta[k][r] / tb[k][r];
      }
    }
    System.out.printf(Locale.ROOT, "batch %d, %d alternating rounds of %d steps (forward, backward, SGD), "
        + "load average %.1f before, %.1f after%n", batch, rounds, steps, loadBefore, load());
    String[] clock = {"CPU time", "wall time"};
    for (int k = 0; k < 2; k++) {
      System.out.printf(Locale.ROOT, "%-9s  A %.2f us, B %.2f us per step (medians); A / B = %.3f (median of the rounds' "
          + "ratios, quartiles %.3f, %.3f)%n", clock[k], median(ta[k]), median(tb[k]), median(ratio[k]),
          quartile(ratio[k], 1), quartile(ratio[k], 3));
    }
  }

  /** One variant: its model, a run of one batch size, and the trainer's SGD update. */
  private static final class Step {
    final Model model;
    final ModelRun run;
    final List<String> params = new ArrayList<>();
    private final Optimizer sgd;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    Step(Model model, int batch) {
      this.model = model;
      model.initialize(1);
      run = model.newRun(batch);
      GradientChecks.randomBatch(model, run, 1);
      for (TensorSpec p : model.params()) {
        params.add(p.name());
      }
      sgd = Optimizer.sgd(model, LEARNING_RATE);
    }

    double step() {
      double loss = run.forward();
      run.backward();
      sgd.step(run);
      return loss;
    }

    /** CPU and wall nanoseconds of {@code steps} steps. */
    long[] time(long steps) {
      long cpu = threads.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      for (long i = 0; i < steps; i++) {
        step();
      }
      return new long[] {threads.getCurrentThreadCpuTime() - cpu, System.nanoTime() - wall};
    }
  }

  private static void sameNumbers(Step a, Step b) {
    if (!a.params.equals(b.params)) {
      throw new IllegalStateException("the two models have different params: " + a.params + ", " + b.params);
    }
    for (int s = 0; s < CHECKED_STEPS; s++) {
      double la = a.step();
      double lb = b.step();
      if (Double.doubleToRawLongBits(la) != Double.doubleToRawLongBits(lb)) {
        throw new IllegalStateException("step " + s + ": loss " + la + " against " + lb);
      }
      for (String p : a.params) {
        same("step " + s + ": gradient of " + p, a.run.gradient(p), b.run.gradient(p));
        same("step " + s + ": param " + p, a.model.param(p), b.model.param(p));
      }
    }
  }

  /**
   * For two versions that round differently on purpose (a documented change of the generated
   * numbers), {@code -Dstepab.tolerance=1e-5}: the largest difference of the loss, gradients and
   * params, each relative to its array's largest magnitude, which must stay within the tolerance.
   */
  private static final double TOLERANCE = Double.parseDouble(System.getProperty("stepab.tolerance", "0"));

  private static double closeNumbers(Step a, Step b) {
    double worst = 0;
    for (int s = 0; s < CHECKED_STEPS; s++) {
      double la = a.step();
      double lb = b.step();
      worst = Math.max(worst, Math.abs(la - lb) / Math.max(Math.abs(la), Double.MIN_NORMAL));
      for (String p : a.params) {
        worst = Math.max(worst, relative(a.run.gradient(p), b.run.gradient(p)));
        worst = Math.max(worst, relative(a.model.param(p), b.model.param(p)));
      }
      if (worst > TOLERANCE) {
        throw new IllegalStateException("step " + s + ": a difference of " + worst + " exceeds " + TOLERANCE);
      }
    }
    return worst;
  }

  private static double relative(NdArray x, NdArray y) {
    double scale = Double.MIN_NORMAL;
    double diff = 0;
    for (int i = 0; i < x.size(); i++) {
      scale = Math.max(scale, Math.abs(x.getDouble(i)));
      diff = Math.max(diff, Math.abs(x.getDouble(i) - y.getDouble(i)));
    }
    return diff / scale;
  }

  private static void same(String what, NdArray x, NdArray y) {
    for (int i = 0; i < x.size(); i++) {
      if (Double.doubleToRawLongBits(x.getDouble(i)) != Double.doubleToRawLongBits(y.getDouble(i))) {
        throw new IllegalStateException(what + " differs at " + i + ": " + x.getDouble(i) + " against " + y.getDouble(i));
      }
    }
  }

  /** Compiles a directory of generated sources into a fresh class loader and instantiates its model. */
  private static Model load(Path dir) throws IOException, ReflectiveOperationException {
    List<Path> sources;
    try (Stream<Path> files = Files.list(dir)) {
      sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no .java files in " + dir);
    }
    Path classes = Files.createTempDirectory("stepab");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> javacArgs = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
        "--add-modules", "jdk.incubator.vector", "-nowarn"));
    sources.forEach(f -> javacArgs.add(f.toString()));
    if (javac.run(null, null, null, javacArgs.toArray(String[]::new)) != 0) {
      throw new IllegalStateException("the sources in " + dir + " do not compile");
    }
    URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, StepAB.class.getClassLoader());
    for (Path f : sources) {
      String file = f.getFileName().toString();
      String pkg = packageOf(f);
      Class<?> c = loader.loadClass((pkg.isEmpty() ? "" : pkg + ".") + file.substring(0, file.length() - 5));
      if (Model.class.isAssignableFrom(c)) {
        return (Model) c.getDeclaredConstructor().newInstance();
      }
    }
    throw new IllegalArgumentException("no class implementing Model in " + dir);
  }

  private static String packageOf(Path source) throws IOException {
    for (String line : Files.readAllLines(source)) {
      String t = line.strip();
      if (t.startsWith("package ")) {
        return t.substring(8, t.indexOf(';')).strip();
      }
    }
    return "";
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static double median(double[] v) {
    return quartile(v, 2);
  }

  private static double quartile(double[] v, int q) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, q * s.length / 4)];
  }
}
