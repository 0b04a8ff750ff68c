package dev.nabla.compiler.cli;

import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.pipeline.GradientChecks;
import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Model;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla check FILE.nn}: the generated code's gradients in double precision against
 * central finite differences, on freshly initialised params and a random batch.
 */
@Command(name = "check", description = "Check the generated gradients against finite differences (double precision).")
final class CheckCommand extends ModelCommand {
  @Option(names = "--seed", paramLabel = "S", description = "seed for params and the random batch (default: 1)")
  long seed = 1;

  @Option(names = "--batch", paramLabel = "B", description = "instances in the random batch (default: 4)")
  int batch = 4;

  @Override
  Precision precision() {
    return Precision.DOUBLE;
  }

  /** Between plain progress lines (tests shorten it). */
  static long progressInterval = CheckProgress.LINE_INTERVAL_NANOS;

  @Override
  void checkOptions() {
    if (batch < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--batch must be at least 1, not " + batch);
    }
  }

  @Override
  int run(Model model, CheckedModel checked) {
    List<GradientCheck.Result> results;
    try (CheckProgress progress = new CheckProgress(err(), TrainProgress.stdoutIsTerminal() ? System.err : null,
        progressInterval)) {
      results = GradientChecks.run(model, seed, batch, progress);
    }
    boolean ok = true;
    for (GradientCheck.Result r : results) {
      boolean pass = r.passes(GradientCheck.DEFAULT_TOLERANCE);
      ok &= pass;
      out().println(String.format(Locale.ROOT, "%-16s worst relative error %.2e  %s",
          r.name(), r.worstRelativeError(), pass ? "ok" : "FAILED (analytic " + r.analytic() + ", numeric " + r.numeric() + " at index " + r.worstIndex() + ")"));
    }
    out().println(ok ? "gradient check passed" : "gradient check FAILED (tolerance 1e-6)");
    return ok ? ExitCodes.OK : ExitCodes.ERRORS;
  }
}
