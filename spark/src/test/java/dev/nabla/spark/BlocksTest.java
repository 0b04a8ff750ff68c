package dev.nabla.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Layout;
import dev.nabla.spark.models.Iris;
import dev.nabla.spark.models.Regression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data into blocks: from the driver, from Spark SQL rows, from CSV files (header, labels, errors). */
class BlocksTest {
  private final SparkSession spark = LocalSpark.session();

  @Test
  void driverDataIsCutInNearlyEqualBlocksInOrder() {
    Dataset d = TestData.line(10, 1);
    List<Block> blocks = Blocks.of(d, 4);
    assertThat(blocks).extracting(Block::rows).containsExactly(3, 3, 4);
    assertThat(blocks).extracting(Block::id).containsExactly(0L, 1L, 2L);
    assertThat(blocks.get(1).asDataset().x()).containsExactly(Arrays.copyOfRange(d.x(), 30, 60));
    List<Block> spread = Blocks.parallelize(LocalSpark.context(), d, 100).collect();
    assertThat(spread).extracting(Block::rows).containsExactly(5, 5);     // one per core of local[2]
  }

  @Test
  void csvFilesWithAHeaderAndClassLabelsBecomeOneHotBlocks(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("a.csv"), "sepal,width,petal,width,class\n1,2,3,4,0\n5,6,7,8,2\n");
    Files.writeString(dir.resolve("b.csv"), "sepal,width,petal,width,class\n9,10,11,12,1\n");
    List<Block> blocks = Blocks.csv(spark, dir.toString(), Layout.of(new Iris()), 512).collect();
    float[] x = new float[0];
    float[] y = new float[0];
    for (Block b : blocks.stream().sorted(Comparator.comparing(b -> b.asDataset().x()[0])).toList()) {
      x = concat(x, b.asDataset().x());
      y = concat(y, b.asDataset().y());
    }
    assertThat(x).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    assertThat(y).containsExactly(1, 0, 0, 0, 0, 1, 0, 1, 0);
  }

  @Test
  void rowsOfTheRightWidthAreBlockedPerPartition() {
    StructType schema = new StructType();
    for (int j = 0; j < 11; j++) {
      schema = schema.add("c" + j, DataTypes.DoubleType);
    }
    List<Row> rows = new java.util.ArrayList<>();
    for (int r = 0; r < 7; r++) {
      Object[] v = new Object[11];
      for (int j = 0; j < 11; j++) {
        v[j] = (double) (r * 11 + j);
      }
      rows.add(RowFactory.create(v));
    }
    List<Block> blocks = Blocks.fromRows(spark.createDataFrame(rows, schema).repartition(1), Layout.of(new Regression()), 3)
        .collect();
    assertThat(blocks).extracting(Block::rows).containsExactly(3, 3, 1);
    assertThat(blocks).extracting(b -> b.asDataset().targets()).containsOnly(1);
    assertThat(blocks).extracting(Block::id).doesNotHaveDuplicates();
  }

  @Test
  void badDataIsRefusedWithTheColumnAndTheValue(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> Blocks.fromRows(spark.range(3).toDF(), Layout.of(new Iris()), 16))
        .hasMessageContaining("the data has 1 columns but model Iris")
        .hasMessageContaining("needs 7 (4 features then 3 target values) or 5");
    Files.writeString(dir.resolve("bad.csv"), "1,2,3,4,7\n");
    assertThatThrownBy(() -> Blocks.csv(spark, dir.toString(), Layout.of(new Iris()), 16).collect())
        .hasStackTraceContaining("column 5 holds the class label 7.0 but labels are 0..2");
    Files.writeString(dir.resolve("bad.csv"), "1,2,,4,1\n");
    assertThatThrownBy(() -> Blocks.csv(spark, dir.toString(), Layout.of(new Iris()), 16).collect())
        .hasStackTraceContaining("column 3 holds no value, not a number");
  }

  private static float[] concat(float[] a, float[] b) {
    float[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
