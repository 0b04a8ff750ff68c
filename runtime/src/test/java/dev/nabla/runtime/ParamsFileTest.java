package dev.nabla.runtime;

import dev.nabla.runtime.io.Npy;
import dev.nabla.runtime.io.Npz;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Params files under bad conditions: a diverged model never overwrites good params, saving is
 * atomic, and a params file that is truncated anywhere, has a wrong dtype or a wrong shape is a
 * {@link NablaDataException} naming the file (and the entry), with the model's params unchanged.
 */
class ParamsFileTest {
  @TempDir Path tmp;

  private static TinyMlp model(long seed) {
    TinyMlp m = new TinyMlp(3, 4, 2, TinyMlp.Loss.CE);
    m.initialize(seed);
    return m;
  }

  private static Map<String, double[]> snapshot(Model m) {
    Map<String, double[]> copy = new LinkedHashMap<>();
    m.paramMap().forEach((k, v) -> {
      double[] d = new double[v.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = v.getDouble(i);
      }
      copy.put(k, d);
    });
    return copy;
  }

  private void assertNoTemporaryFiles() throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void nanOrInfiniteParamsNeverOverwriteGoodOnes() throws IOException {
    Path file = tmp.resolve("params.npz");
    TinyMlp m = model(1);
    m.saveParams(file);
    byte[] good = Files.readAllBytes(file);
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      m.param("b2").setDouble(1, bad);
      assertThatThrownBy(() -> m.saveParams(file)).isInstanceOf(NablaDataException.class)
          .hasMessageContaining(file.toString()).hasMessageContaining("param 'b2'")
          .hasMessageContaining("flat index 1").hasMessageContaining("unchanged");
      assertThat(Files.readAllBytes(file)).isEqualTo(good);
    }
    assertNoTemporaryFiles();
  }

  @Test
  void savingReplacesTheFileWholeThroughATemporaryFile() throws IOException {
    Path file = tmp.resolve("params.npz");
    model(1).saveParams(file);
    TinyMlp second = model(2);
    second.saveParams(file);
    assertNoTemporaryFiles();
    TinyMlp loaded = model(3);
    loaded.loadParams(file);
    assertThat(snapshot(loaded)).usingRecursiveComparison().isEqualTo(snapshot(second));
  }

  @Test
  void aSaveThatFailsLeavesTheOldFile() throws IOException {
    Path file = tmp.resolve("params.npz");
    TinyMlp m = model(1);
    m.saveParams(file);
    byte[] good = Files.readAllBytes(file);
    // The target is now a non-empty directory: the final move fails after the data was written.
    Path dir = tmp.resolve("busy.npz");
    Files.createDirectories(dir.resolve("inside"));
    assertThatThrownBy(() -> m.saveParams(dir)).hasMessageContaining("busy.npz");
    assertThat(Files.readAllBytes(file)).isEqualTo(good);
    assertNoTemporaryFiles();
  }

  @Test
  void aParamsFileTruncatedAnywhereIsADataErrorAndChangesNothing() throws IOException {
    Path file = tmp.resolve("params.npz");
    model(1).saveParams(file);
    byte[] whole = Files.readAllBytes(file);
    TinyMlp m = model(5);
    Map<String, double[]> before = snapshot(m);
    Path cut = tmp.resolve("cut.npz");
    for (int length = 0; length < whole.length; length++) {
      Files.write(cut, Arrays.copyOf(whole, length));
      assertThatThrownBy(() -> m.loadParams(cut)).as("cut at %d of %d", length, whole.length)
          .isInstanceOf(NablaDataException.class).hasMessageContaining("cut.npz");
      assertThat(snapshot(m)).usingRecursiveComparison().isEqualTo(before);
    }
  }

  @Test
  void aWrongDtypeOrShapeNamesTheFileAndTheEntry() throws IOException {
    Path file = tmp.resolve("params.npz");
    Map<String, NdArray> params = new LinkedHashMap<>(model(1).paramMap());
    byte[] int64;
    try (InputStream in = getClass().getResourceAsStream("/dev/nabla/runtime/io/int64.npy")) {
      int64 = in.readAllBytes();
    }
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, NdArray> p : params.entrySet()) {
        z.putNextEntry(new ZipEntry(p.getKey() + ".npy"));
        z.write(p.getKey().equals("b1") ? int64 : Npy.toBytes(p.getValue()));
        z.closeEntry();
      }
    }
    TinyMlp m = model(5);
    Map<String, double[]> before = snapshot(m);
    assertThatThrownBy(() -> m.loadParams(file)).isInstanceOf(NablaDataException.class)
        .hasMessageContaining("params.npz").hasMessageContaining("'b1'");
    params.put("b1", NdArray.zeros(DType.F64, 5));
    Npz.write(file, params);
    assertThatThrownBy(() -> m.loadParams(file)).isInstanceOf(NablaDataException.class)
        .hasMessageContaining("params.npz").hasMessageContaining("param 'b1' is [4]").hasMessageContaining("[5]");
    assertThat(snapshot(m)).usingRecursiveComparison().isEqualTo(before);
  }
}
