package dev.nabla.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.runtime.Model;
import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.TensorSpec;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The columns of a model's data, counted exactly. */
class LayoutTest {
  /** A model that only declares inputs and targets: all a layout reads. */
  static Model declaring(List<TensorSpec> inputs, List<TensorSpec> targets) {
    return (Model) Proxy.newProxyInstance(Model.class.getClassLoader(), new Class<?>[] {Model.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "name" -> "Wide";
          case "inputs" -> inputs;
          case "targets" -> targets;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void countsFeaturesTargetsAndClasses() {
    Layout l = Layout.of(declaring(List.of(new TensorSpec("x", new int[] {8, 8})),
        List.of(new TensorSpec("d", new int[] {10}))));
    assertThat(l).isEqualTo(new Layout(64, 10, 10, "model Wide (input x[8, 8]; target d[10])"));
  }

  @Test
  void inputsPastAnIntAreAnErrorNotAWrappedCount() {
    // Issue 12, item 12: 8 inputs of [16384, 16384] are 2^31 values; an int sum wrapped to a negative count.
    List<TensorSpec> inputs = Collections.nCopies(8, new TensorSpec("x", new int[] {16384, 16384}));
    assertThatThrownBy(() -> Layout.of(declaring(inputs, List.of())))
        .isInstanceOf(NablaDataException.class)
        .hasMessageEndingWith(": one row of its data would hold 2147483648 feature and 0 target values, "
            + "more than the 134217728 values a data set may hold");
  }
}
