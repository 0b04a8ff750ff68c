package dev.nabla.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.codegen.ModelLoader;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Splits;
import dev.nabla.runtime.train.Feeder;
import dev.nabla.runtime.train.Optimizer;
import dev.nabla.runtime.train.Scorer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A whole training step of the generated digits model as the trainer runs it (copy a batch in,
 * forward, count the right classes, backward, the optimizer's update) allocates nothing, for
 * every optimizer and both precisions.
 */
class TrainingStepAllocationTest {
  @Test
  void aTrainingStepAllocatesNothing() throws Exception {
    String source = Files.readString(Path.of("..", "samples", "models", "digits.nn"));
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    threads.getThreadAllocatedBytes(id);
    int rows = 100;
    float[] x = new float[rows * 64];
    float[] y = new float[rows * 10];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < 64; j++) {
        x[r * 64 + j] = (r * 7 + j) % 17 / 16f;
      }
      y[r * 10 + r % 10] = 1;
    }
    Dataset data = new Dataset("synthetic", rows, 64, 10, x, y, null, false);
    int[] order = Splits.identity(rows);
    for (Precision precision : Precision.values()) {
      Model model = ModelLoader.load(Compiled.of(source).derivation, precision);
      model.initialize(1);
      ModelRun run = model.newRun(32);
      Feeder feeder = new Feeder(model);
      Scorer scorer = Scorer.of(model, Scorer.Task.CLASSIFICATION);
      for (Optimizer.Kind kind : Optimizer.Kind.values()) {
        Optimizer opt = Optimizer.of(kind, model, 1e-3).clipNorm(1);
        for (int i = 0; i < 300; i++) {
          step(feeder, scorer, run, data, order, opt, i);
        }
        // A steady state that allocates nothing has a round of 100 steps at 0 bytes; a one-off
        // allocation (the JIT replacing code) may spoil a round, a per-step one spoils every round.
        // The SIMD kernels allocate their vectors until C2 has compiled them, hence the warm-up
        // before each round.
        List<Long> rounds = new ArrayList<>();
        for (int round = 0; round < 12 && (rounds.isEmpty() || rounds.getLast() != 0); round++) {
          for (int i = 0; i < 2000; i++) {
            step(feeder, scorer, run, data, order, opt, i);
          }
          long before = threads.getThreadAllocatedBytes(id);
          for (int i = 0; i < 100; i++) {
            step(feeder, scorer, run, data, order, opt, i);
          }
          rounds.add(threads.getThreadAllocatedBytes(id) - before);
        }
        assertThat(rounds).as(kind + " " + precision + ": bytes allocated by rounds of 100 training steps").contains(0L);
      }
    }
  }

  private static void step(Feeder feeder, Scorer scorer, ModelRun run, Dataset data, int[] order, Optimizer opt,
      int i) {
    feeder.fill(run, data, order, (i % 3) * 32);
    run.forward();
    scorer.correct(run);
    run.backward();
    opt.step(run);
  }
}
