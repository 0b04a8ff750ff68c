package dev.nabla.compiler.cli;

import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.FlopCount;
import dev.nabla.compiler.codegen.MemoryStats;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.runtime.kernels.Gemm;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.PhaseTimes;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nabla bench FILE.nn --batch B}: times training steps (forward, backward and a plain SGD
 * update, {@link ModelRun#backwardAndSgd}) on a random batch after a warm-up, and reports steps/s, samples/s, GFLOP/s of the
 * matrix products and bytes allocated per step. With {@code --profile} the model is compiled with
 * per-phase timers ({@link PhaseTimes}) and the time per step of each product, loop and
 * reduction is printed after the totals.
 */
@Command(name = "bench", description = "Time training steps (forward + backward + SGD update) of a model.")
final class BenchCommand extends ModelCommand {
  @Option(names = "--batch", paramLabel = "B", description = "instances per step (default: 32)")
  int batch = 32;

  @Mixin
  PrecisionOption precision;

  @Option(names = "--seconds", paramLabel = "S", description = "how long to measure (default: 3)")
  double seconds = 3;

  @Option(names = "--warmup", paramLabel = "S", description = "seconds of warm-up first, so the JIT compiles the kernels (default: 5)")
  double warmup = 5;

  @Option(names = "--lr", paramLabel = "R", description = "SGD learning rate (default: 1e-3)")
  double lr = 1e-3;

  @Option(names = "--profile", description = "also print the time per step of each phase (product, loop, reduction, update)")
  boolean profile;

  @Override
  boolean profile() {
    return profile;
  }

  @Override
  Precision precision() {
    return precision.get();
  }

  @Override
  int run(Model model, CheckedModel checked) {
    if (batch < 1 || !(seconds > 0) || !(warmup >= 0)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--batch and --seconds must be positive, --warmup at least 0");
    }
    model.initialize(1);
    ModelRun run = model.newRun(batch);
    dev.nabla.compiler.pipeline.GradientChecks.randomBatch(model, run, 1);
    long warmupEnd = System.nanoTime() + (long) (warmup * 1e9);
    while (System.nanoTime() < warmupEnd) {
      step(run);
    }
    List<PhaseTimes> phases = run.phaseTimes();
    phases.forEach(PhaseTimes::reset);
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().threadId();
    long allocatedBefore = threads.getThreadAllocatedBytes(thread);
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long steps = 0;
    long now;
    do {
      step(run);
      steps++;
      now = System.nanoTime();
    } while (now < end);
    long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
    double elapsed = (now - start) / 1e9;
    Derivation d = Derivation.of(checked, new Diagnostics());
    double flops = FlopCount.perStep(d, batch);
    long buffers = MemoryStats.of(d).bytes(batch, precision());
    out().printf(Locale.ROOT, "%s: batch %d, %s, %s%n", model.name(), batch,
        precision().name().toLowerCase(Locale.ROOT), Gemm.implementation());
    out().printf(Locale.ROOT,
        "%.1f steps/s, %.0f samples/s, %.2f GFLOP/s, %.1f us/step, %d bytes allocated per step, %d bytes of buffers%n",
        steps / elapsed, steps * batch / elapsed, flops * steps / elapsed / 1e9, elapsed / steps * 1e6,
        allocated / steps, buffers);
    // Measured right after the timed steps, while the host still runs the virtual CPUs where
    // the steps ran: which cores the step's two threads got (see CoreRoundTrip).
    double roundTrip = CoreRoundTrip.nanos();
    out().println("a cache line from one core to another and back: " + (Double.isFinite(roundTrip)
        ? String.format(Locale.ROOT, "%.0f ns", roundTrip)
        : "not measured (one processor, or the other thread was not scheduled in time)"));
    if (profile) {
      PhaseReport.print(out(), phases, steps, elapsed);
    }
    return ExitCodes.OK;
  }

  /**
   * One training step: forward, backward and the plain SGD step of every param
   * ({@link ModelRun#backwardAndSgd}: a weight matrix is updated inside its gradient's product
   * where the generated code can, each of the others in a loop split across the pool). No
   * allocation.
   */
  private void step(ModelRun run) {
    run.forward();
    run.backwardAndSgd(lr);
  }
}
