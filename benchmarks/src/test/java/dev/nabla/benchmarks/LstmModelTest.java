package dev.nabla.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.ast.Source;
import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.pipeline.Frontend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The LSTM model file that {@code nabla bench} and compare-with-anchors.sh run is the network of
 * {@code anchors_bench.py lstm} (T = 28 steps of 28 inputs, hidden 128, then a dense layer of 10):
 * it checks, and its params are torch.nn.LSTM's and the head's, but for one bias where torch has
 * two.
 */
class LstmModelTest {
  @Test
  void modelFileIsTheAnchorsLstm() throws IOException {
    Path file = Path.of("models", "lstm-t28-i28-h128.nn");
    Frontend.Result result = Frontend.run(new Source(file.toString(), Files.readString(file)));
    assertThat(result.ok()).as(result.diagnostics().sorted().toString()).isTrue();
    CheckedModel model = result.model(null);
    assertThat(model.inputs().getFirst().shape().dims()).containsExactly(28, 28);
    long params = model.params().stream().mapToLong(p -> p.shape().size()).sum();
    // W_ih, W_hh, one bias, then the head's weight and bias
    assertThat(params).isEqualTo(4 * 128 * 28 + 4 * 128 * 128 + 4 * 128 + 10 * 128 + 10);
  }
}
