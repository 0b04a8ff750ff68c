package dev.nabla.compiler.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.compiler.graph.BinaryFn;
import dev.nabla.compiler.graph.UnaryFn;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The "adding a function" checklist (graph/package-info.java), enforced: every elementwise
 * function written as a call has a row in {@link DerivativeCheckTest}, so a new one cannot ship
 * without its finite-difference check.
 */
class DerivativeCoverageTest {
  @Test
  void everyElementwiseFunctionHasAFiniteDifferenceCheck() {
    List<String> losses = DerivativeCheckTest.cases().map(a -> (String) a.get()[1]).toList();
    List<String> names = new ArrayList<>();
    for (UnaryFn fn : UnaryFn.values()) {
      if (fn.isCall()) {
        names.add(fn.sourceName());
      }
    }
    for (BinaryFn fn : BinaryFn.values()) {
      if (!fn.isOperator()) {
        names.add(fn.sourceName());
      }
    }
    List<String> unchecked = names.stream()
        .filter(name -> losses.stream().noneMatch(Pattern.compile("\\b" + name + "\\(").asPredicate()))
        .toList();
    assertThat(unchecked).as("functions with no row in DerivativeCheckTest").isEmpty();
  }
}
