package dev.nabla.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.io.Npz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Separate target files, the seeded split, and standardisation. */
class DataSetsTest {
  @TempDir Path dir;

  static Dataset table(int rows) {
    float[] x = new float[rows * 2];
    float[] y = new float[rows];
    for (int r = 0; r < rows; r++) {
      x[2 * r] = r;
      x[2 * r + 1] = 5;
      y[r] = r;
    }
    return new Dataset("t", rows, 2, 1, x, y, null, false);
  }

  @Test
  void featuresAndTargetsFromTwoFiles() throws IOException {
    Path x = Files.writeString(dir.resolve("x.csv"), "1 2\n3 4\n");
    Path y = Files.writeString(dir.resolve("y.csv"), "1.5e+02\n7.0e+01\n");
    Dataset d = DataFiles.read(x, y, CsvReaderTest.ONE, false, DataLimits.DEFAULT);
    assertThat(d.x()).containsExactly(1, 2, 3, 4);
    assertThat(d.y()).containsExactly(150, 70);
  }

  @Test
  void twoFilesWithDifferentRowCounts() throws IOException {
    Path x = Files.writeString(dir.resolve("x.csv"), "1 2\n3 4\n");
    Path y = Files.writeString(dir.resolve("y.csv"), "1\n");
    assertThatThrownBy(() -> DataFiles.read(x, y, CsvReaderTest.ONE, false, DataLimits.DEFAULT))
        .isInstanceOf(NablaDataException.class)
        .hasMessage(x + " has 2 rows but " + y + " has 1: they must hold the same instances in the same order");
  }

  @Test
  void aTargetFileWithTooManyColumns() throws IOException {
    Path x = Files.writeString(dir.resolve("x.csv"), "1 2\n3 4\n");
    Path y = Files.writeString(dir.resolve("y.csv"), "1 2\n3 4\n");
    assertThatThrownBy(() -> DataFiles.read(x, y, CsvReaderTest.ONE, false, DataLimits.DEFAULT))
        .isInstanceOf(NablaDataException.class)
        .hasMessageStartingWith(y + ":1: 2 columns, but model R (input x[2]; target d[1]) needs 1 target value (1 column)");
  }

  @Test
  void splitIsSeededAndDisjoint() {
    Splits.Split a = Splits.split(table(100), 0.2, 7);
    Splits.Split b = Splits.split(table(100), 0.2, 7);
    Splits.Split c = Splits.split(table(100), 0.2, 8);
    assertThat(a.test().rows()).isEqualTo(20);
    assertThat(a.train().rows()).isEqualTo(80);
    assertThat(a.test().y()).containsExactly(b.test().y());
    assertThat(a.test().y()).isNotEqualTo(c.test().y());
    java.util.Set<Float> all = new java.util.HashSet<>();
    for (float v : a.test().y()) {
      all.add(v);
    }
    for (float v : a.train().y()) {
      all.add(v);
    }
    assertThat(all).hasSize(100);
  }

  @Test
  void splitOfTooFewRows() {
    assertThatThrownBy(() -> Splits.split(table(1), 0.2, 1)).isInstanceOf(NablaDataException.class)
        .hasMessage("t: 1 row is too few to hold out a test part of 0.2 and still train");
    assertThat(Splits.split(table(3), 0, 1).test()).isNull();
  }

  @Test
  void standardisationUsesTheTrainingPartOnly() throws IOException {
    Dataset train = table(4);              // column 0: 0 1 2 3, mean 1.5, std sqrt(1.25); column 1 constant
    Dataset test = table(2);
    Standardizer s = Standardizer.fit(train);
    assertThat(s.mean()).containsExactly(1.5, 5);
    assertThat(s.std()[0]).isCloseTo(Math.sqrt(1.25), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(s.std()[1]).isEqualTo(1);
    s.apply(train);
    s.apply(test);
    assertThat(test.x()[0]).isEqualTo((float) (-1.5 / Math.sqrt(1.25)));
    assertThat(test.x()[1]).isEqualTo(0f);
    Map<String, NdArray> params = new LinkedHashMap<>();
    params.put("w", NdArray.of(new double[] {1, 2}, 2));
    s.addTo(params);
    Path file = dir.resolve("p.npz");
    Npz.write(file, params);
    Map<String, NdArray> read = Npz.read(file);
    Standardizer back = Standardizer.take(read, "p.npz", 2);
    assertThat(read.keySet()).containsExactly("w");
    assertThat(back.mean()).containsExactly(s.mean());
    assertThat(back.std()).containsExactly(s.std());
    assertThat(Standardizer.take(read, "p.npz", 2)).isNull();
    assertThatThrownBy(() -> Standardizer.take(Npz.read(file), "p.npz", 3)).isInstanceOf(NablaDataException.class)
        .hasMessageContaining("but the model has 3 features");
  }

  @Test
  void olderVersionsSeparateStandardisationFileIsStillRead() {
    Path file = Standardizer.sidecar(dir.resolve("p.npz"));
    assertThat(file.getFileName().toString()).isEqualTo("p.standardize.npz");
    Map<String, NdArray> arrays = new LinkedHashMap<>();
    arrays.put("mean", NdArray.of(new double[] {1.5, 5}, 2));
    arrays.put("std", NdArray.of(new double[] {2, 1}, 2));
    Npz.write(file, arrays);
    assertThat(Standardizer.load(file, 2).std()).containsExactly(2, 1);
    assertThatThrownBy(() -> Standardizer.load(file, 3)).isInstanceOf(NablaDataException.class)
        .hasMessageContaining("but the model has 3 features");
  }
}
