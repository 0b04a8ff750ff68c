package dev.nabla.compiler.random;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.CodeGenerator;
import dev.nabla.compiler.codegen.ModelLoader;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.eval.Evaluator;
import dev.nabla.compiler.parse.BigStack;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import dev.nabla.compiler.print.GradText;
import dev.nabla.compiler.print.ProgramLayout;
import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The properties every model the compiler accepts must have, checked on one model's source:
 *
 * <ol>
 *   <li>(a) the generated Java compiles with {@code -Xlint:all -Werror}, in float and double;
 *   <li>(b) in double precision its gradients pass the finite-difference check of {@code nabla
 *       check} (worst relative error at most 1e-6);
 *   <li>(c) {@code nabla grad} text, appended to the model, checks, and its gradient lines
 *       compute the same numbers as the derivative program (reference evaluator);
 *   <li>(d) compiling twice gives byte-identical sources.
 * </ol>
 *
 * {@link #failure} names the first property that fails (and why), or returns null.
 */
final class ModelChecks {
  private ModelChecks() {}

  /** Which property failed, for shrinking to a model that fails the same way. */
  enum Kind {
    REJECTED,
    JAVAC,
    GRADIENT,
    ROUND_TRIP,
    DETERMINISM,
    CRASH
  }

  record Failure(Kind kind, String message) {
    @Override
    public String toString() {
      return kind + ": " + message;
    }
  }

  static Failure failure(String source) {
    try {
      return BigStack.run(() -> check(source));
    } catch (RuntimeException | Error e) {
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      Kind kind = e instanceof dev.nabla.compiler.codegen.InMemoryJavac.CompilationFailed ? Kind.JAVAC : Kind.CRASH;
      return new Failure(kind, trace.toString());
    }
  }

  private static Failure check(String source) {
    Frontend.Result r = Frontend.run(new Source("random.nn", source));
    if (!r.ok()) {
      return new Failure(Kind.REJECTED, DiagnosticRenderer.renderAll(r.diagnostics()));
    }
    CheckedModel m = r.models().getFirst();
    Diagnostics diagnostics = new Diagnostics();
    Derivation d = Derivation.of(m, diagnostics);
    if (d == null) {
      return new Failure(Kind.REJECTED, DiagnosticRenderer.renderAll(diagnostics));
    }

    // (d) byte-identical sources from a second, independent compilation.
    for (Precision p : Precision.values()) {
      String first = sources(d, p);
      Frontend.Result again = Frontend.run(new Source("random.nn", source));
      String second = sources(Derivation.of(again.models().getFirst(), new Diagnostics()), p);
      if (!first.equals(second)) {
        return new Failure(Kind.DETERMINISM, "two compilations differ (" + p + ")");
      }
    }

    // (a) javac -Xlint:all -Werror (ModelLoader throws CompilationFailed), both precisions.
    ModelLoader.load(d, Precision.FLOAT);
    Model model = ModelLoader.load(d, Precision.DOUBLE);

    // (b) finite differences of the generated double code.
    model.initialize(11);
    int batch = 3;
    ModelRun run = model.newRun(batch);
    SplittableRandom random = new SplittableRandom(source.hashCode());
    List<TensorSpec> all = new ArrayList<>(model.inputs());
    all.addAll(model.targets());
    for (TensorSpec in : all) {
      NdArray a = run.input(in.name());
      for (int i = 0; i < a.size(); i++) {
        a.setDouble(i, random.nextDouble(-1, 1));
      }
    }
    for (GradientCheck.Result result : GradientCheck.check(model, run)) {
      if (!result.passes(GradientCheck.DEFAULT_TOLERANCE)) {
        return new Failure(Kind.GRADIENT, result.toString());
      }
    }

    // (c) the printed derivative program parses back and computes the same numbers.
    return roundTrip(source);
  }

  private static String sources(Derivation d, Precision p) {
    StringBuilder s = new StringBuilder();
    for (JavaFile f : CodeGenerator.generate(d, new CodeGenerator.Options("random", p))) {
      s.append(f);
    }
    return s.toString();
  }

  private static Failure roundTrip(String source) {
    // One instance: a printed param gradient is one instance's, the program's the batch mean.
    Compiled c = Compiled.of(source, 1, 5, -1, 1);
    ProgramLayout layout = ProgramLayout.of(c.derivation.program(), null);
    String text = GradText.render(layout);
    StringBuilder statements = new StringBuilder();
    text.lines().filter(l -> !l.startsWith("#")).forEach(l -> statements.append("  ").append(l).append('\n'));
    int close = source.lastIndexOf('}');
    String extended = source.substring(0, close) + statements + "}\n";
    Frontend.Result back = Frontend.run(new Source("back.nn", extended));
    if (!back.ok()) {
      return new Failure(Kind.ROUND_TRIP, "grad text does not check:\n"
          + DiagnosticRenderer.renderAll(back.diagnostics()) + "\n" + extended);
    }
    CheckedModel m = back.models().getFirst();
    Evaluator reference = c.evaluator();
    Evaluator parsed = c.evaluator();
    for (ProgramLayout.Line line : layout.lines()) {
      if (line.kind() != ProgramLayout.Kind.GRADIENT) {
        continue;
      }
      String name = line.value() == null ? null : c.model.labels().get(line.value());
      for (int t = 0; t < c.batch; t++) {
        double[] expected = reference.value(c.derivation.program().gradients().get(name), t);
        double[] actual = parsed.value(m.values().get(line.name()), t);
        double error = Compiled.worstError(actual, expected);
        if (!(error < 1e-9)) {
          return new Failure(Kind.ROUND_TRIP, line.name() + " differs by " + error + " (instance " + t + ")\n" + text);
        }
      }
    }
    return null;
  }
}
