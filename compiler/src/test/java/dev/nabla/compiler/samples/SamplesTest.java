package dev.nabla.compiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.ModelLoader;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.compiler.diag.DiagnosticRenderer;
import dev.nabla.compiler.diag.Diagnostics;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.pipeline.Frontend;
import dev.nabla.compiler.pipeline.GradientChecks;
import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample model compiles, its generated code builds without warnings, and its gradients
 * check; so do the LSTM and GRU that scripts/torch-rnn-equivalence.sh checks against torch.nn
 * (which needs PyTorch, so it is no part of the build), to keep the files the script runs valid.
 */
class SamplesTest {
  static final Path MODELS = Path.of("..", "samples", "models");
  static final Path TORCH_RNN = Path.of("..", "scripts", "torch-rnn");

  static Stream<Path> samples() throws IOException {
    List<Path> all = new ArrayList<>();
    for (Path dir : List.of(MODELS, TORCH_RNN)) {
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(p -> p.toString().endsWith(".nn")).sorted().forEach(all::add);
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void sampleCompilesAndItsGradientsCheck(Path file) throws IOException {
    Frontend.Result r = Frontend.run(new Source(file.getFileName().toString(), Files.readString(file)));
    assertThat(DiagnosticRenderer.renderAll(r.diagnostics())).isEmpty();
    for (CheckedModel m : r.models()) {
      Derivation d = Derivation.of(m, new Diagnostics());
      ModelLoader.load(d, Precision.FLOAT); // builds with -Xlint:all -Werror
      Model model = ModelLoader.load(d, Precision.DOUBLE);
      model.initialize(7);
      ModelRun run = model.newRun(3);
      GradientChecks.randomBatch(model, run, 9);
      for (GradientCheck.Result result : GradientCheck.check(model, run)) {
        assertThat(result.worstRelativeError()).as(file + ": " + result).isLessThanOrEqualTo(1e-6);
      }
    }
  }
}
