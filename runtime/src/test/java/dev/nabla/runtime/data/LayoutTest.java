package dev.nabla.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The columns of a model's data, counted exactly. */
class LayoutTest {
  /** A model that only declares inputs and targets: all a layout reads. */
  record Declared(List<TensorSpec> inputs, List<TensorSpec> targets) implements Model {
    @Override
    public String name() {
      return "Wide";
    }

    @Override
    public DType dtype() {
      return DType.F32;
    }

    @Override
    public List<TensorSpec> params() {
      return List.of();
    }

    @Override
    public List<TensorSpec> outputs() {
      return List.of();
    }

    @Override
    public List<String> gradInputs() {
      return List.of();
    }

    @Override
    public List<String> hyperNames() {
      return List.of();
    }

    @Override
    public double hyper(String name) {
      throw new IllegalArgumentException(name);
    }

    @Override
    public void setHyper(String name, double value) {
      throw new IllegalArgumentException(name);
    }

    @Override
    public NdArray param(String name) {
      throw new IllegalArgumentException(name);
    }

    @Override
    public void initialize(long seed) {
    }

    @Override
    public ModelRun newRun(int batchSize) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void countsFeaturesTargetsAndClasses() {
    Layout l = Layout.of(new Declared(List.of(new TensorSpec("x", new int[] {8, 8})),
        List.of(new TensorSpec("d", new int[] {10}))));
    assertThat(l).isEqualTo(new Layout(64, 10, 10, "model Wide (input x[8, 8]; target d[10])"));
  }

  @Test
  void inputsPastAnIntAreAnErrorNotAWrappedCount() {
    // Issue 12, item 12: 8 inputs of [16384, 16384] are 2^31 values; an int sum wrapped to a negative count.
    List<TensorSpec> inputs = Collections.nCopies(8, new TensorSpec("x", new int[] {16384, 16384}));
    assertThatThrownBy(() -> Layout.of(new Declared(inputs, List.of())))
        .isInstanceOf(NablaDataException.class)
        .hasMessageEndingWith(": one row of its data would hold 2147483648 feature and 0 target values, "
            + "more than the 134217728 values a data set may hold");
  }
}
