package dev.nabla.compiler.autodiff;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated code of loops (issue 17: the forward loop over t and the backward loop from
 * T - 1 down, codegen/RecurrenceCode) in double precision: every gradient, the sequence's
 * included, against finite differences, and each param's gradient equal to the reference
 * evaluator's ({@link DerivativeChecks#generated}), on one model per construct of the
 * recurrence ({@link RecurrenceModels}, the models the evaluator's check uses too).
 */
class RecurrenceGeneratedCheckTest {
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.nabla.compiler.autodiff.RecurrenceModels#cases")
  void generatedCodePassesTheFiniteDifferenceCheck(String name, String body) {
    DerivativeChecks.generated(name, "model M {\n" + RecurrenceModels.HEAD + body + "}\n", -1, 1);
  }
}
