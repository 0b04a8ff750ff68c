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
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The LSTM and GRU that scripts/torch-rnn-equivalence.sh checks against torch.nn (which needs
 * PyTorch, so it is no part of the build) compile and their generated gradients agree with finite
 * differences, so the files the script runs stay valid models.
 */
class TorchRnnModelsTest {
  static final Path DIR = Path.of("..", "scripts", "torch-rnn");

  static Stream<Path> models() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(p -> p.toString().endsWith(".nn")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void compilesAndItsGradientsCheck(Path file) throws IOException {
    Frontend.Result r = Frontend.run(new Source(file.getFileName().toString(), Files.readString(file)));
    assertThat(DiagnosticRenderer.renderAll(r.diagnostics())).isEmpty();
    assertThat(r.models()).hasSize(1);
    for (CheckedModel m : r.models()) {
      Model model = ModelLoader.load(Derivation.of(m, new Diagnostics()), Precision.DOUBLE);
      model.initialize(7);
      ModelRun run = model.newRun(3);
      GradientChecks.randomBatch(model, run, 9);
      for (GradientCheck.Result result : GradientCheck.check(model, run)) {
        assertThat(result.worstRelativeError()).as(file + ": " + result).isLessThanOrEqualTo(1e-6);
      }
    }
  }
}
