package dev.nabla.benchmarks;

import dev.nabla.compiler.cli.CoreRoundTrip;
import dev.nabla.compiler.pipeline.GradientChecks;
import dev.nabla.runtime.DType;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import dev.nabla.runtime.kernels.SgdUpdate;
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
import java.util.function.LongFunction;
import java.util.function.Supplier;
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
 *
 * <p>With {@code -Dstepab.runtimes=CLASSES_A,CLASSES_B} each variant also runs on a runtime build
 * of its own (two {@code runtime/target/classes} directories, e.g. main's and a branch's), loaded
 * by a class loader of its own ahead of this jar, so that a change to the kernels is measured in
 * the whole step, in one JVM, against the same generated code or with it:
 *
 * <pre>git archive main | tar -x -C /tmp/base &amp;&amp; (cd /tmp/base &amp;&amp; mvn -q -o -pl runtime -am compile)
 * java --add-modules jdk.incubator.vector -Dstepab.runtimes=/tmp/base/runtime/target/classes,runtime/target/classes \
 *     -cp benchmarks/target/benchmarks.jar dev.nabla.benchmarks.StepAB DIR_A DIR_B [BATCH] [ROUNDS]</pre>
 *
 * <p>With {@code -Dstepab.updates=UPDATE_A,UPDATE_B} each variant takes its step's update its own
 * way: {@code trainer} (the default: {@code Optimizer.sgd}), {@code separate} ({@code backward()}
 * then {@code p -= (float) lr * g} for each param by {@code SgdUpdate}, as {@code nabla bench} did)
 * or {@code fused} ({@code backwardAndSgd}: the weights' step in their gradients' products, as
 * {@code nabla bench} does now). {@code separate} and {@code fused} give the same bits; DIR_A and
 * DIR_B may be the same directory. {@code none} (forward and backward only: what the update costs,
 * with {@code -Dstepab.tolerance=1e9} since the params then differ) is for diagnosis.
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
    String runtimes = System.getProperty("stepab.runtimes");
    String[] runtime = runtimes == null ? new String[2] : runtimes.split(",", -1);
    if (runtime.length != 2) {
      System.err.println("stepab.runtimes: two runtime class directories, comma-separated, not " + runtimes);
      System.exit(2);
    }
    String[] update = System.getProperty("stepab.updates", "trainer,trainer").split(",", -1);
    if (update.length != 2) {
      System.err.println("stepab.updates: two of trainer, separate, fused, none, comma-separated");
      System.exit(2);
    }
    Variant a = variant(Path.of(args[0]), runtime[0], batch, update[0]);
    Variant b = variant(Path.of(args[1]), runtime[1], batch, update[1]);
    String on = runtimes == null ? "" : " (runtimes A " + runtime[0] + ", B " + runtime[1] + ")";
    if (TOLERANCE == 0) {
      sameNumbers(a, b);
      System.out.printf(Locale.ROOT, "%s: the same loss, gradients and params, bit for bit, over %d SGD steps%s%n",
          a.name(), CHECKED_STEPS, on);
    } else {
      System.out.printf(Locale.ROOT, "%s: loss, gradients and params within %.1e (relative to the step's largest "
          + "magnitude), largest difference %.2e, over %d SGD steps%s%n", a.name(), TOLERANCE, closeNumbers(a, b),
          CHECKED_STEPS, on);
    }
    // Warm-up (C2 must compile the kernels: a few seconds each), then steps per round: about 0.2 s.
    long warmupEnd = System.nanoTime() + WARMUP_NANOS;
    while (System.nanoTime() < warmupEnd) {
      a.apply(100);
      b.apply(100);
    }
    long steps = 100;
    while (a.apply(steps)[1] < 200_000_000L) {
      steps *= 2;
    }
    double[][] ta = new double[2][rounds];
    double[][] tb = new double[2][rounds];
    double[][] ratio = new double[2][rounds];
    double[] trip = new double[rounds];
    double loadBefore = load();
    for (int r = 0; r < rounds; r++) {
      long[] x;
      long[] y;
      if (r % 2 == 0) {
        x = a.apply(steps);
        y = b.apply(steps);
      } else {
        y = b.apply(steps);
        x = a.apply(steps);
      }
      for (int k = 0; k < 2; k++) {
        ta[k][r] = x[k] / 1e3 / steps;
        tb[k][r] = y[k] / 1e3 / steps;
        ratio[k][r] = ta[k][r] / tb[k][r];
      }
      trip[r] = BY_PLACEMENT ? CoreRoundTrip.nanos() : Double.NaN;
    }
    System.out.printf(Locale.ROOT, "batch %d, %d alternating rounds of %d steps (forward, backward, SGD), "
        + "load average %.1f before, %.1f after%n", batch, rounds, steps, loadBefore, load());
    String[] clock = {"CPU time", "wall time"};
    for (int k = 0; k < 2; k++) {
      System.out.printf(Locale.ROOT, "%-9s  A %.2f us, B %.2f us per step (medians); A / B = %.3f (median of the rounds' "
          + "ratios, quartiles %.3f, %.3f)%n", clock[k], median(ta[k]), median(tb[k]), median(ratio[k]),
          quartile(ratio[k], 1), quartile(ratio[k], 3));
    }
    if (BY_PLACEMENT) {
      byPlacement(trip, ta[1], tb[1], ratio[1]);
    }
  }

  /**
   * {@code -Dstepab.placement=true}: after each round, how long a cache line takes from one core
   * to the other and back ({@link CoreRoundTrip}, as {@code nabla bench} prints it), and the
   * rounds' wall times grouped by it. On a virtual machine the
   * host moves the two virtual CPUs between cores that share an L3 (a round trip of 55-140 ns
   * here) and cores that do not (400 ns and more), even within one JVM, and a split step moves
   * data between its threads' cores (BENCHMARKS.md, "Why the medium step was bimodal"): a change
   * can help in one placement and cost in the other.
   */
  private static final boolean BY_PLACEMENT = Boolean.getBoolean("stepab.placement");

  /** Round trips at or above this many ns count as the cores apart. */
  private static final double APART_NANOS = 250;

  private static void byPlacement(double[] trip, double[] ta, double[] tb, double[] ratio) {
    System.out.println("round  round trip   A wall us   B wall us   A / B");
    for (int r = 0; r < trip.length; r++) {
      System.out.printf(Locale.ROOT, "%5d  %7.0f ns  %10.1f  %10.1f  %6.3f%n", r, trip[r], ta[r], tb[r], ratio[r]);
    }
    for (boolean apart : new boolean[] {false, true}) {
      List<Integer> in = new ArrayList<>();
      for (int r = 0; r < trip.length; r++) {
        if (!Double.isNaN(trip[r]) && trip[r] >= APART_NANOS == apart) {
          in.add(r);
        }
      }
      if (in.isEmpty()) {
        continue;
      }
      double[] a = in.stream().mapToDouble(r -> ta[r]).toArray();
      double[] b = in.stream().mapToDouble(r -> tb[r]).toArray();
      double[] q = in.stream().mapToDouble(r -> ratio[r]).toArray();
      System.out.printf(Locale.ROOT, "cores %-8s (%d rounds): A %.1f us, B %.1f us per step (medians); A / B = %.3f%n",
          apart ? "apart" : "together", in.size(), median(a), median(b), median(q));
    }
  }

  /**
   * One variant as the timing loop sees it, in types of {@code java.base} only (a variant on a
   * runtime of its own lives in another class loader): {@code apply(steps)} gives the CPU and wall
   * nanoseconds of that many steps, {@code get()} runs one step and gives its loss, then every
   * gradient and param (by the params' names, in order), {@code toString()} the model's name and
   * params.
   */
  private interface Variant extends LongFunction<long[]>, Supplier<double[]> {
    default String name() {
      return toString().substring(0, toString().indexOf(' '));
    }
  }

  /** A variant on this class loader's runtime, or (runtime not null) on that runtime build. */
  private static Variant variant(Path dir, String runtime, int batch, String update) throws Exception {
    if (runtime == null) {
      Step s = new Step(load(dir, StepAB.class.getClassLoader(), System.getProperty("java.class.path")), batch, update);
      return adapt(s, s, s);
    }
    URL self = StepAB.class.getProtectionDomain().getCodeSource().getLocation();
    URL classes = Path.of(runtime).toUri().toURL();
    ClassLoader loader = new URLClassLoader(new URL[] {classes, self}, ClassLoader.getPlatformClassLoader());
    Object s = loader.loadClass(Step.class.getName()).getMethod("of", Path.class, int.class, String.class)
        .invoke(null, dir, batch, update);
    @SuppressWarnings("unchecked")
    LongFunction<long[]> time = (LongFunction<long[]>) s;
    @SuppressWarnings("unchecked")
    Supplier<double[]> state = (Supplier<double[]>) s;
    return adapt(time, state, s);
  }

  /** A {@code Step} (of this class loader or another) seen as a {@link Variant}. */
  private static Variant adapt(LongFunction<long[]> time, Supplier<double[]> state, Object step) {
    return new Variant() {
      @Override
      public long[] apply(long steps) {
        return time.apply(steps);
      }

      @Override
      public double[] get() {
        return state.get();
      }

      @Override
      public String toString() {
        return step.toString();
      }
    };
  }

  /** One variant: its model, a run of one batch size, and its SGD update (see the class comment). */
  public static final class Step implements LongFunction<long[]>, Supplier<double[]> {
    final Model model;
    final ModelRun run;
    final List<String> params = new ArrayList<>();
    private final Optimizer sgd;
    private final String update;
    private final SgdUpdate separate = new SgdUpdate();
    private final NdArray[] weights;
    private final NdArray[] gradients;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /** The generated code in {@code dir} compiled against and run on this class loader's runtime. */
    public static Step of(Path dir, int batch, String update) throws IOException, ReflectiveOperationException {
      ClassLoader mine = Step.class.getClassLoader();
      StringBuilder cp = new StringBuilder();
      for (URL u : ((URLClassLoader) mine).getURLs()) {
        cp.append(cp.isEmpty() ? "" : java.io.File.pathSeparator).append(Path.of(java.net.URI.create(u.toString())));
      }
      return new Step(load(dir, mine, cp.toString()), batch, update);
    }

    Step(Model model, int batch, String update) {
      if (!List.of("trainer", "separate", "fused", "none").contains(update)) {
        throw new IllegalArgumentException("stepab.updates: " + update + " is not trainer, separate, fused or none");
      }
      this.model = model;
      this.update = update;
      model.initialize(1);
      run = model.newRun(batch);
      GradientChecks.randomBatch(model, run, 1);
      for (TensorSpec p : model.params()) {
        params.add(p.name());
      }
      sgd = Optimizer.sgd(model, LEARNING_RATE);
      run.forward();
      run.backward();
      weights = params.stream().map(model::param).toArray(NdArray[]::new);
      gradients = params.stream().map(run::gradient).toArray(NdArray[]::new);
    }

    double step() {
      double loss = run.forward();
      switch (update) {
        case "fused" -> run.backwardAndSgd(LEARNING_RATE);
        case "none" -> run.backward();
        case "separate" -> {
          run.backward();
          for (int i = 0; i < weights.length; i++) {
            if (weights[i].dtype() == DType.F32) {
              separate.apply(weights[i].floats(), gradients[i].floats(), (float) LEARNING_RATE);
            } else {
              separate.apply(weights[i].doubles(), gradients[i].doubles(), LEARNING_RATE);
            }
          }
        }
        default -> {
          run.backward();
          sgd.step(run);
        }
      }
      return loss;
    }

    @Override
    public double[] get() {
      List<Double> out = new ArrayList<>();
      out.add(step());
      for (String p : params) {
        NdArray g = run.gradient(p);
        for (int i = 0; i < g.size(); i++) {
          out.add(g.getDouble(i));
        }
        NdArray w = model.param(p);
        for (int i = 0; i < w.size(); i++) {
          out.add(w.getDouble(i));
        }
      }
      return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Override
    public String toString() {
      return model.name() + " " + params;
    }

    /** CPU and wall nanoseconds of {@code steps} steps. */
    @Override
    public long[] apply(long steps) {
      long cpu = threads.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      for (long i = 0; i < steps; i++) {
        step();
      }
      return new long[] {threads.getCurrentThreadCpuTime() - cpu, System.nanoTime() - wall};
    }
  }

  private static void sameNumbers(Variant a, Variant b) {
    if (!a.toString().equals(b.toString())) {
      throw new IllegalStateException("the two models have different params: " + a + ", " + b);
    }
    for (int s = 0; s < CHECKED_STEPS; s++) {
      double[] x = a.get();
      double[] y = b.get();
      for (int i = 0; i < x.length; i++) {
        if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(y[i])) {
          throw new IllegalStateException("step " + s + ": " + (i == 0 ? "the loss" : "gradient or param value " + i)
              + " differs: " + x[i] + " against " + y[i]);
        }
      }
    }
  }

  /**
   * For two versions that round differently on purpose (a documented change of the generated
   * numbers), {@code -Dstepab.tolerance=1e-5}: the largest difference of the loss, gradients and
   * params, relative to the largest magnitude among them, which must stay within the tolerance.
   */
  private static final double TOLERANCE = Double.parseDouble(System.getProperty("stepab.tolerance", "0"));

  private static double closeNumbers(Variant a, Variant b) {
    double worst = 0;
    for (int s = 0; s < CHECKED_STEPS; s++) {
      double[] x = a.get();
      double[] y = b.get();
      double scale = Double.MIN_NORMAL;
      double diff = 0;
      for (int i = 0; i < x.length; i++) {
        scale = Math.max(scale, Math.abs(x[i]));
        diff = Math.max(diff, Math.abs(x[i] - y[i]));
      }
      worst = Math.max(worst, diff / scale);
      if (worst > TOLERANCE) {
        throw new IllegalStateException("step " + s + ": a difference of " + worst + " exceeds " + TOLERANCE);
      }
    }
    return worst;
  }

  /** Compiles a directory of generated sources into a fresh class loader and instantiates its model. */
  private static Model load(Path dir, ClassLoader parent, String classPath) throws IOException, ReflectiveOperationException {
    List<Path> sources;
    try (Stream<Path> files = Files.list(dir)) {
      sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no .java files in " + dir);
    }
    Path classes = Files.createTempDirectory("stepab");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> javacArgs = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classPath,
        "--add-modules", "jdk.incubator.vector", "-nowarn"));
    sources.forEach(f -> javacArgs.add(f.toString()));
    if (javac.run(null, null, null, javacArgs.toArray(String[]::new)) != 0) {
      throw new IllegalStateException("the sources in " + dir + " do not compile");
    }
    URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, parent);
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
