package dev.nabla.spark;

import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.Rng;
import dev.nabla.runtime.TensorSpec;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Splits;
import dev.nabla.runtime.train.Feeder;
import dev.nabla.runtime.train.Scorer;
import java.lang.reflect.InvocationTargetException;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The executor side: an instance of the model class, built from its name on the executor (the
 * class comes with the user's jar; no live model object is ever sent), and its runs by batch
 * size. One per task thread, kept between steps: the tasks of a step run at once, and each needs
 * params it may overwrite and buffers of its own. A worker loads the broadcast params once per
 * step, however many blocks its tasks hold.
 */
final class Worker {
  /** Runs kept per worker: blocks of a few sizes need a few; more are made again when needed. */
  private static final int MAX_RUNS = 8;

  private static final ThreadLocal<Worker> WORKERS = new ThreadLocal<>();

  private final String className;
  private final ClassLoader loader;
  private final Model model;
  private final Feeder feeder;
  private final Map<Integer, ModelRun> runs = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, ModelRun> eldest) {
      return size() > MAX_RUNS;
    }
  };
  private final Map<ModelRun, NdArray[]> gradients = new IdentityHashMap<>();
  private final String[] paramNames;
  private Scorer scorer;
  private Params loaded;

  private Worker(String className, ClassLoader loader) {
    this.className = className;
    this.loader = loader;
    this.model = instantiate(className, loader);
    this.feeder = new Feeder(model);
    this.paramNames = model.params().stream().map(TensorSpec::name).toArray(String[]::new);
  }

  /** This thread's worker for the model class {@code className}, made on first use. */
  static Worker of(String className) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    Worker w = WORKERS.get();
    if (w == null || !w.className.equals(className) || w.loader != loader) {
      w = new Worker(className, loader);
      WORKERS.set(w);
    }
    return w;
  }

  /** A new instance of the generated model class, which must be on the executors' class path. */
  static Model instantiate(String className, ClassLoader loader) {
    try {
      Class<?> c = Class.forName(className, true, loader);
      if (!Model.class.isAssignableFrom(c)) {
        throw new IllegalArgumentException(className + " is not a compiled Nabla model (it does not implement "
            + Model.class.getName() + ")");
      }
      return (Model) c.getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the executor cannot load the model class " + className
          + ": ship the jar that holds it with spark-submit --jars (see docs/spark.md)", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot make the model " + className + ": " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make the model " + className + ": " + e, e);
    }
  }

  private void load(Params params) {
    if (params != loaded) {
      params.copyInto(model);
      loaded = params;
    }
  }

  private Scorer scorer(Scorer.Task task) {
    if (scorer == null || scorer.task() != task) {
      scorer = Scorer.of(model, task);
    }
    return scorer;
  }

  private ModelRun run(int size) {
    ModelRun r = runs.computeIfAbsent(size, model::newRun);
    if (gradients.size() > MAX_RUNS) {
      gradients.keySet().retainAll(runs.values());
    }
    return r;
  }

  private NdArray[] gradientsOf(ModelRun run) {
    return gradients.computeIfAbsent(run, r -> {
      NdArray[] g = new NdArray[paramNames.length];
      for (int i = 0; i < g.length; i++) {
        g[i] = r.gradient(paramNames[i]);
      }
      return g;
    });
  }

  /**
   * Adds the block's share of a training step to {@code acc}: its rows in this epoch's order
   * (the block's own shuffle, seeded by the seed, the epoch and the block's id) are cut into
   * {@code steps} nearly equal chunks, and step {@code step} takes chunk
   * {@code (step + id) mod steps} (the rotation spreads small blocks over the steps). With one
   * step per epoch (full batch) the block is used whole, in its order.
   */
  GradientSum addStep(GradientSum acc, Block block, Params params, Scorer.Task task, Schedule schedule) {
    load(params);
    int r = block.rows();
    int steps = schedule.steps();
    int chunk = (int) Math.floorMod(schedule.step() + block.id(), (long) steps);
    int from = (int) ((long) chunk * r / steps);
    int size = (int) ((long) (chunk + 1) * r / steps) - from;
    if (size == 0) {
      return acc;
    }
    int[] order = Splits.identity(r);
    if (steps > 1) {
      Splits.shuffle(order, Rng.forStream(schedule.seed(), "shuffle " + schedule.epoch() + " " + block.id()));
    }
    ModelRun run = run(size);
    feeder.fill(run, block.asDataset(), order, from);
    double loss = run.forward();
    long right = task == Scorer.Task.CLASSIFICATION ? scorer(task).correct(run) : 0;
    run.backward();
    acc.add(gradientsOf(run), size, loss, right);
    return acc;
  }

  /** Adds the measures of the whole block at {@code params} to {@code acc} (see {@link Scorer#evaluate}). */
  ScoreSum addScore(ScoreSum acc, Block block, Params params, Scorer.Task task) {
    load(params);
    Scorer s = scorer(task);
    int r = block.rows();
    if (r == 0) {
      return acc;
    }
    Dataset data = block.asDataset();
    int width = data.targets();
    boolean regression = s.task() == Scorer.Task.REGRESSION && width > 0;
    float[] y = data.y();
    int[] order = Splits.identity(r);
    double lossSum = 0;
    long right = 0;
    double[] residual = regression ? new double[width] : null;
    for (int from = 0; from < r; from += Scorer.EVAL_BATCH) {
      int size = Math.min(Scorer.EVAL_BATCH, r - from);
      ModelRun run = run(size);
      feeder.fill(run, data, order, from);
      lossSum += run.forward() * size;
      if (s.task() == Scorer.Task.CLASSIFICATION) {
        right += s.correct(run);
      } else if (regression) {
        NdArray out = run.output(s.output());
        for (int i = 0; i < size; i++) {
          for (int j = 0; j < width; j++) {
            double dv = y[(from + i) * width + j] - out.getDouble(i * width + j);
            residual[j] += dv * dv;
          }
        }
      }
    }
    double[] mean = null;
    double[] m2 = null;
    if (regression) {
      mean = new double[width];
      m2 = new double[width];
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < width; j++) {
          mean[j] += y[i * width + j];
        }
      }
      for (int j = 0; j < width; j++) {
        mean[j] /= r;
      }
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < width; j++) {
          double dv = y[i * width + j] - mean[j];
          m2[j] += dv * dv;
        }
      }
    }
    acc.add(lossSum, r, right, mean, m2, residual);
    return acc;
  }
}
