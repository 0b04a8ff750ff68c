package dev.nabla.maven;

import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.ModelLoader;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.Diagnostic;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.parse.BigStack;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import dev.nabla.compiler.pipeline.GradientChecks;
import dev.nabla.runtime.GradientCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks every model's generated gradients against central finite differences, in double
 * precision, on freshly initialised params and a random batch: what {@code nabla check} does for
 * one file. Fails the build when a gradient is off by more than the tolerance (1e-6), or with the
 * model errors as {@code generate} reports them. Bound to {@code test} by default.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.TEST, threadSafe = true)
public class CheckMojo extends AbstractModelsMojo {
  /** The seed of the params and of the random batch. */
  @Parameter(property = "nabla.check.seed", defaultValue = "1")
  long seed;

  /** Instances in the random batch. */
  @Parameter(property = "nabla.check.batch", defaultValue = "4")
  int batch;

  /** Skips the check (also skipped with {@code -DskipTests}). */
  @Parameter(property = "skipTests", defaultValue = "false")
  boolean skipTests;

  @Override
  public void execute() throws MojoFailureException {
    if (skip || skipTests) {
      getLog().info("Skipping the Nabla gradient check");
      return;
    }
    if (batch < 1) {
      throw new MojoFailureException("<batch> must be at least 1, not " + batch);
    }
    List<Diagnostic> problems = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    int checked = 0;
    for (String file : modelFiles()) {
      Source source = read(file, problems);
      if (source == null) {
        continue;
      }
      Frontend.Result front = BigStack.run(() -> Frontend.run(source));
      problems.addAll(front.diagnostics().sorted());
      if (!front.ok()) {
        continue;
      }
      for (CheckedModel m : front.models()) {
        Diagnostics derivation = new Diagnostics();
        Derivation d = BigStack.run(() -> Derivation.of(m, derivation));
        problems.addAll(derivation.sorted());
        if (d == null) {
          continue;
        }
        List<GradientCheck.Result> results = GradientChecks.run(ModelLoader.load(d, Precision.DOUBLE), seed, batch);
        for (GradientCheck.Result r : results) {
          boolean pass = r.passes(GradientCheck.DEFAULT_TOLERANCE);
          String line = String.format(Locale.ROOT, "%s %s %-16s worst relative error %.2e  %s", file, m.name(), r.name(),
              r.worstRelativeError(), pass ? "ok" : "FAILED (analytic " + r.analytic() + ", numeric " + r.numeric()
                  + " at index " + r.worstIndex() + ")");
          if (pass) {
            getLog().info(line);
          } else {
            getLog().error(line);
            failed.add(m.name() + "." + r.name());
          }
        }
        checked++;
      }
    }
    report(problems, "no gradient was checked in a file with an error");
    if (!failed.isEmpty()) {
      throw new MojoFailureException("gradient check FAILED (tolerance 1e-6) for " + String.join(", ", failed));
    }
    getLog().info("Nabla: gradient check passed for " + checked + " model" + (checked == 1 ? "" : "s"));
  }
}
