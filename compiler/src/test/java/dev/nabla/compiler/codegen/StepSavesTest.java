package dev.nabla.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.palantir.javapoet.JavaFile;
import dev.nabla.compiler.pipeline.Derivation;
import dev.nabla.compiler.testing.Compiled;
import dev.nabla.runtime.kernels.PackedGemm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The backward loop of an LSTM reads what it needs of each forward step from the forward loop
 * ({@link StepSaves}) instead of recomputing the step from the saved states: no product with the
 * forward weights and no activation in the backward class, the gates and {@code tanh(c)} read
 * in place from their {@code [T, B, H]} arrays, the previous cell state read in place from its
 * {@code [B, T, H]} sequence (no copy of rows per step), the adjoint states' updates written into
 * the states' arrays (no copy after each step), and the saved arrays counted with the
 * loops' other arrays in the memory check. The numbers are checked by
 * {@code RecurrenceGeneratedCheckTest} (finite differences, the evaluator's gradients).
 */
class StepSavesTest {
  private static final String LSTM = RecurrenceSourceTest.lstm(8);

  private static String file(List<JavaFile> files, String suffix) {
    return files.stream().filter(f -> f.typeSpec().name().endsWith(suffix)).findFirst().orElseThrow().toString();
  }

  @Test
  void theBackwardLoopReadsTheForwardStepsValuesInPlace() {
    List<JavaFile> files = CodeGenerator.generate(Compiled.of(LSTM).derivation,
        new CodeGenerator.Options("p", Precision.FLOAT));
    String backward = file(files, "Backward");
    String forward = file(files, "Forward");
    for (String gate : List.of("i", "f", "g", "o")) {
      assertThat(forward).contains("this." + gate + "_saved = new float[batch * 128]");
      assertThat(backward).containsPattern("f\\." + gate + "_saved\\[step\\w* \\* batch \\* 16 \\+ ");
    }
    assertThat(backward).as("no recomputed pre-activations or gates")
        .doesNotContain("model.Wx").doesNotContain("Activations.apply");
    assertThat(backward).as("no rows copied into the step's arrays").doesNotContain("Steps.slot(");
    assertThat(backward).containsPattern("f\\.t[0-9]+\\[step\\w* \\* 16 \\+ b \\* 128 \\+ j\\]");
    assertThat(backward).as("the adjoint states updated in their own arrays, not copied after the step")
        .containsPattern("model\\.Wh, 0, Wh_packedT\\w*, dh_t, 0, false\\);").contains("      dc_t[i] = ")
        .doesNotContain("_next");
  }

  @Test
  void theSavedArraysAreAllocatedWithTheLoopsArraysAndCounted() {
    Derivation derivation = Compiled.of(LSTM).derivation;
    Plan plan = new Plan(derivation.program(), new JavaNames(), true);
    RecurrencePlan forward = plan.recurrences().stream().filter(r -> !r.op.reverse()).findFirst().orElseThrow();
    assertThat(forward.saved).hasSize(5); // i, f, g, o and tanh(c)
    for (RecurrencePlan.Saved s : forward.saved) {
      assertThat(forward.fields).contains(new RecurrencePlan.Field(s.field(), 8 * 16, true));
    }
    MemoryStats stats = MemoryStats.of(derivation, plan);
    long loops = 0;
    for (RecurrencePlan r : plan.recurrences()) {
      loops += r.fields.stream().filter(RecurrencePlan.Field::batched).mapToLong(RecurrencePlan.Field::size).sum();
    }
    assertThat(loops).isGreaterThanOrEqualTo(5 * 8 * 16);
    assertThat(stats.perInstance()).isGreaterThan(loops);
    // Wh packed once per loop for its per-step product (PackedGemm): scratch shared by the batch
    for (RecurrencePlan r : plan.recurrences()) {
      assertThat(r.packed).as("the packed products of a loop").hasSize(1);
      RecurrencePlan.Packed p = r.packed.getFirst();
      assertThat(p.n() * p.k()).isEqualTo(64 * 16);
      assertThat(r.fields).contains(new RecurrencePlan.Field(p.field(), PackedGemm.length(p.n(), p.k()), false));
    }
    long fixed = plan.recurrences().stream().flatMap(r -> r.fields.stream()).filter(f -> !f.batched())
        .mapToLong(RecurrencePlan.Field::size).sum();
    assertThat(fixed).isGreaterThanOrEqualTo(2 * 64 * 16);
    assertThat(stats.fixed()).isGreaterThan(fixed);
  }
}
