package dev.nabla.compiler.fuzz;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.CodeGenerator;
import dev.nabla.compiler.codegen.InMemoryJavac;
import dev.nabla.compiler.codegen.ModelLoader;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.graph.Node;
import dev.nabla.compiler.parse.BigStack;
import dev.nabla.compiler.parse.SourceReader;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import dev.nabla.compiler.print.GradLatex;
import dev.nabla.compiler.print.GradText;
import dev.nabla.compiler.print.GraphDot;
import dev.nabla.compiler.print.ProgramLayout;
import dev.nabla.compiler.print.Trace;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The whole compile pipeline on untrusted bytes, as {@code nabla compile} and {@code nabla grad}
 * run it: decode (strict UTF-8), parse, check, differentiate, simplify, print the derivative
 * program, generate the Java sources, and (optionally) compile them with javac.
 *
 * <p>The only acceptable outcomes are success and diagnostics. Anything thrown (an exception, a
 * StackOverflowError, javac rejecting the generated code) escapes to the caller, and so does a
 * hang: the pipeline runs on a thread with the compiler's big stack and is abandoned with an
 * {@link AssertionError} after {@code timeoutMillis}.
 */
final class CompilePipeline {
  private CompilePipeline() {}

  /** What one run produced: the number of diagnostics and of generated files. */
  record Outcome(int diagnostics, int generatedFiles) {}

  static Outcome run(byte[] data, boolean javac, long timeoutMillis) {
    Object[] result = new Object[1];
    Throwable[] failure = new Throwable[1];
    Thread worker =
        Thread.ofPlatform()
            .name("nabla-fuzz")
            .daemon(true)
            .stackSize(BigStack.STACK_BYTES)
            .unstarted(() -> {
              try {
                result[0] = pipeline(data, javac);
              } catch (Throwable t) {
                failure[0] = t;
              }
            });
    worker.start();
    try {
      worker.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    if (worker.isAlive()) {
      AssertionError hang = new AssertionError(
          "the pipeline did not finish within " + timeoutMillis + " ms (a hang) on " + data.length + " bytes");
      hang.setStackTrace(worker.getStackTrace());
      throw hang;
    }
    if (failure[0] instanceof RuntimeException r) {
      throw r;
    }
    if (failure[0] instanceof Error e) {
      throw e;
    }
    if (failure[0] != null) {
      throw new AssertionError(failure[0]);
    }
    return (Outcome) result[0];
  }

  private static Outcome pipeline(byte[] data, boolean javac) {
    Diagnostics diagnostics = new Diagnostics();
    Source source = SourceReader.decode("fuzz.nn", data, diagnostics);
    if (source == null) {
      mustHaveErrors(diagnostics);
      DiagnosticRenderer.renderAll(diagnostics);
      return new Outcome(diagnostics.sorted().size(), 0);
    }
    Frontend.Result result = Frontend.run(source);
    DiagnosticRenderer.renderAll(result.diagnostics());
    if (!result.ok()) {
      return new Outcome(result.diagnostics().sorted().size(), 0);
    }
    if (result.models().isEmpty()) {
      throw new AssertionError("no error, but no model either");
    }
    List<JavaFile> files = new ArrayList<>();
    int count = result.diagnostics().sorted().size();
    for (CheckedModel m : result.models()) {
      Diagnostics d = new Diagnostics();
      Derivation derivation = Derivation.of(m, d);
      DiagnosticRenderer.renderAll(d);
      count += d.sorted().size();
      if (derivation == null) {
        mustHaveErrors(d);
        continue;
      }
      GradText.render(ProgramLayout.of(derivation.program(), null));
      GradLatex.render(ProgramLayout.of(derivation.program(), null));
      Trace.render(derivation);
      GraphDot.forward(m, derivation.program().forward());
      GraphDot.derivative(derivation.program());
      List<JavaFile> generated =
          CodeGenerator.generate(derivation, new CodeGenerator.Options("fuzz", Precision.FLOAT));
      for (JavaFile f : generated) {
        f.toString();
      }
      files.addAll(generated);
    }
    if (javac && !files.isEmpty()) {
      // Rejected generated code throws InMemoryJavac.CompilationFailed: a bug.
      InMemoryJavac.compile(files, List.of("-Xlint:all", "-Werror"));
      for (CheckedModel m : result.models()) {
        runSmall(Derivation.of(m, new Diagnostics()));
      }
    }
    return new Outcome(count, files.size());
  }

  /**
   * Runs a small model's generated double code forward and backward on a batch of 2 random
   * instances: an exception there (an index out of bounds, a wrong buffer size) is a bug. Values
   * may be NaN (the inputs are not chosen for the model's functions); only crashes count.
   */
  private static void runSmall(Derivation d) {
    if (d == null) {
      return;
    }
    long elements = 0;
    for (Node n : d.model().graph().nodes()) {
      elements += n.shape().size();
    }
    if (elements > 100_000) {
      return;
    }
    Model model = ModelLoader.load(d, Precision.DOUBLE);
    model.initialize(1);
    ModelRun run = model.newRun(2);
    SplittableRandom random = new SplittableRandom(7);
    List<TensorSpec> all = new ArrayList<>(model.inputs());
    all.addAll(model.targets());
    for (TensorSpec in : all) {
      NdArray a = run.input(in.name());
      for (int i = 0; i < a.size(); i++) {
        a.setDouble(i, random.nextDouble(-1, 1));
      }
    }
    run.forward();
    run.backward();
    for (TensorSpec p : model.params()) {
      run.gradient(p.name());
    }
    for (String in : model.gradInputs()) {
      run.gradient(in);
    }
    for (TensorSpec o : model.outputs()) {
      run.output(o.name());
    }
  }

  private static void mustHaveErrors(Diagnostics d) {
    if (!d.hasErrors()) {
      throw new AssertionError("a phase gave up without reporting an error");
    }
  }
}
