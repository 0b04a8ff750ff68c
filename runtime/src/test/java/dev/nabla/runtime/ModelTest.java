package dev.nabla.runtime;

import dev.nabla.runtime.io.Npz;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelTest {
  @TempDir
  Path tmp;

  @Test
  void tensorSpecIsAValue() {
    int[] shape = {32, 64};
    TensorSpec s = new TensorSpec("W1", shape);
    shape[0] = 1;
    assertThat(s.shape()).containsExactly(32, 64);
    s.shape()[1] = 0;
    assertThat(s.shape()).containsExactly(32, 64);
    assertThat(s).isEqualTo(new TensorSpec("W1", new int[] {32, 64}))
        .hasSameHashCodeAs(new TensorSpec("W1", new int[] {32, 64}))
        .isNotEqualTo(new TensorSpec("W1", new int[] {64, 32}));
    assertThat(s.toString()).isEqualTo("W1[32, 64]");
    assertThat(s.size()).isEqualTo(2048);
    assertThat(s.rank()).isEqualTo(2);
    assertThat(s.batchShape(8)).containsExactly(8, 32, 64);
    assertThat(new TensorSpec("t", new int[0]).toString()).isEqualTo("t[]");
    assertThatThrownBy(() -> new TensorSpec("x", new int[] {-1})).hasMessageContaining("negative");
  }

  @Test
  void paramMapIsLiveAndOrdered() {
    TinyMlp m = new TinyMlp(3, 2, 2, TinyMlp.Loss.L2);
    Map<String, NdArray> p = m.paramMap();
    assertThat(p.keySet()).containsExactly("W1", "b1", "W2", "b2");
    p.get("b1").setDouble(0, 5);
    assertThat(m.param("b1").getDouble(0)).isEqualTo(5);
  }

  @Test
  void initializeIsReproducible() {
    TinyMlp a = new TinyMlp(3, 4, 2, TinyMlp.Loss.L2);
    TinyMlp b = new TinyMlp(3, 4, 2, TinyMlp.Loss.L2);
    a.initialize(17);
    b.initialize(17);
    assertThat(a.paramMap()).isEqualTo(b.paramMap());
    b.initialize(18);
    assertThat(a.param("W1")).isNotEqualTo(b.param("W1"));
  }

  @Test
  void saveThenLoadRestoresEveryParam() {
    TinyMlp a = new TinyMlp(3, 4, 2, TinyMlp.Loss.CE);
    a.initialize(1);
    Path f = tmp.resolve("p.npz");
    a.saveParams(f);
    assertThat(Npz.read(f).keySet()).containsExactly("W1", "b1", "W2", "b2");
    TinyMlp b = new TinyMlp(3, 4, 2, TinyMlp.Loss.CE);
    b.loadParams(f);
    assertThat(b.paramMap()).isEqualTo(a.paramMap());
  }

  @Test
  void loadingConvertsFloat32() {
    TinyMlp m = new TinyMlp(1, 1, 1, TinyMlp.Loss.L2);
    Map<String, NdArray> v = new LinkedHashMap<>();
    v.put("W1", NdArray.ofFloats(new float[] {0.5f}, 1, 1));
    v.put("b1", NdArray.ofFloats(new float[] {1.5f}, 1));
    v.put("W2", NdArray.of(new double[] {2}, 1, 1));
    v.put("b2", NdArray.of(new double[] {3}, 1));
    m.loadParams(v, "mem");
    assertThat(m.param("W1").getDouble(0)).isEqualTo(0.5);
    assertThat(m.param("W1").dtype()).isEqualTo(DType.F64);
  }

  @Test
  void loadingChecksNamesAndShapesAndChangesNothingOnError() {
    TinyMlp m = new TinyMlp(3, 2, 2, TinyMlp.Loss.L2);
    m.initialize(1);
    Map<String, NdArray> before = copy(m.paramMap());
    Map<String, NdArray> bad = copy(m.paramMap());
    bad.put("W1", NdArray.zeros(DType.F64, 3, 2));
    bad.remove("b2");
    bad.put("extra", NdArray.scalar(1));
    bad.get("b1").setDouble(0, 123);
    assertThatThrownBy(() -> m.loadParams(bad, "p.npz")).isInstanceOf(NablaDataException.class)
        .hasMessageStartingWith("p.npz: ")
        .hasMessageContaining("param 'W1' is [2, 3] in model TinyMlp but [3, 2] in the file")
        .hasMessageContaining("param 'b2' [2] is missing")
        .hasMessageContaining("'extra' is not a param of model TinyMlp");
    assertThat(m.paramMap()).isEqualTo(before);
  }

  @Test
  void setInputsFillsTheBatchWithChecks() {
    TinyMlp m = new TinyMlp(3, 2, 2, TinyMlp.Loss.L2);
    ModelRun run = m.newRun(2);
    Map<String, NdArray> batch = new LinkedHashMap<>();
    batch.put("x", NdArray.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    batch.put("d", NdArray.of(new double[] {1, 0, 0, 1}, 2, 2));
    run.setInputs(batch, "B.npz");
    assertThat(run.input("x").doubles()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(run.input("d").doubles()).containsExactly(1, 0, 0, 1);
    batch.put("x", NdArray.zeros(DType.F64, 4, 3));
    batch.remove("d");
    assertThatThrownBy(() -> run.setInputs(batch, "B.npz")).isInstanceOf(NablaDataException.class)
        .hasMessageContaining("'x' is [4, 3] but model TinyMlp expects [2, 3] (batch size 2")
        .hasMessageContaining("'d' [2, 2] is missing");
    assertThat(run.input("x").doubles()).containsExactly(1, 2, 3, 4, 5, 6);
  }

  private static Map<String, NdArray> copy(Map<String, NdArray> m) {
    Map<String, NdArray> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v.copy()));
    return out;
  }
}
