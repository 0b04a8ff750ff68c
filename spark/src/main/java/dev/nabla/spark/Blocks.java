package dev.nabla.spark;

import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Layout;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Data as blocks: from a data set on the driver ({@link #parallelize}), from a Spark SQL table
 * of numbers ({@link #fromRows}: Parquet, Hive, JDBC, ...) or from CSV files on any Hadoop file
 * system ({@link #csv}: {@code hdfs://}, {@code s3a://}, {@code file://}, gzipped or not).
 *
 * <p>The columns are the model's ({@link Layout}): the features, then the target values; or,
 * for a model with one target of width {@code K > 1}, the features then a class label
 * {@code 0..K-1}, which becomes a one-hot row, as {@code nabla train} reads CSV files.
 */
public final class Blocks {
  /** Rows per block unless told otherwise: big enough for the batched kernels, small enough to shuffle. */
  public static final int DEFAULT_ROWS = 512;

  private Blocks() {}

  /**
   * {@code data}'s rows, in order, as blocks of at most {@code blockRows} rows and of nearly equal
   * sizes, numbered from 0.
   */
  public static List<Block> of(Dataset data, int blockRows) {
    return of(data, blockRows, 1);
  }

  /** As {@link #of(Dataset, int)}, in at least {@code minBlocks} blocks when there are that many rows. */
  static List<Block> of(Dataset data, int blockRows, int minBlocks) {
    if (blockRows < 1) {
      throw new IllegalArgumentException("blocks need at least 1 row, got " + blockRows);
    }
    int n = data.rows();
    int count = Math.max(Math.min(n, minBlocks), (n + blockRows - 1) / blockRows);
    int f = data.features();
    int t = data.targets();
    List<Block> blocks = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      int from = (int) ((long) k * n / count);
      int to = (int) ((long) (k + 1) * n / count);
      float[] x = new float[(to - from) * f];
      float[] y = new float[(to - from) * t];
      System.arraycopy(data.x(), from * f, x, 0, x.length);
      System.arraycopy(data.y(), from * t, y, 0, y.length);
      blocks.add(new Block(k, to - from, f, t, x, y));
    }
    return blocks;
  }

  /**
   * A data set held by the driver, as an RDD of blocks of at most {@code blockRows} rows, at
   * least one per core of the cluster (its default parallelism) so every core has work. The
   * blocks are sent now, once: the RDD is cached on the executors (memory, then disk) and
   * checkpointed there, so later tasks carry no data (a parallelized collection's tasks would
   * carry their partition's rows every step). Executors lost take their blocks with them: the
   * training fails rather than sending the data again; {@code unpersist} frees them.
   */
  public static JavaRDD<Block> parallelize(JavaSparkContext sc, Dataset data, int blockRows) {
    int cores = sc.defaultParallelism();
    List<Block> blocks = of(data, blockRows, cores);
    JavaRDD<Block> rdd = sc.parallelize(blocks, Math.max(1, Math.min(blocks.size(), cores)));
    rdd.rdd().localCheckpoint();
    rdd.count();
    return rdd;
  }

  /**
   * The rows of a table of numeric columns as blocks of at most {@code blockRows} rows, one
   * partition's rows per block sequence. The table has {@code features + targets} columns, or
   * {@code features + 1} with a class label last (see the class comment), or, for a model
   * without targets, {@code features}; a null, a non-number or a bad label fails the job with a
   * message naming the column.
   */
  public static JavaRDD<Block> fromRows(org.apache.spark.sql.Dataset<Row> rows, Layout layout, int blockRows) {
    if (blockRows < 1) {
      throw new IllegalArgumentException("blocks need at least 1 row, got " + blockRows);
    }
    int columns = rows.columns().length;
    int f = layout.features();
    int t = layout.targets();
    boolean labels = layout.classes() > 1 && columns == f + 1;
    if (columns != f + t && !labels) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "the data has %d columns but %s needs %d (%d features then %d target values)%s; its columns: %s",
          columns, layout.description(), f + t, f, t,
          layout.classes() > 1 ? " or " + (f + 1) + " (the features then a class label 0.." + (t - 1) + ")" : "",
          String.join(", ", rows.columns())));
    }
    return rows.toJavaRDD().mapPartitionsWithIndex(
        (partition, it) -> pack(partition, it, f, t, labels, blockRows), true);
  }

  private static Iterator<Block> pack(int partition, Iterator<Row> it, int f, int t, boolean labels, int blockRows) {
    return new Iterator<>() {
      private long k;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Block next() {
        float[] x = new float[blockRows * f];
        float[] y = new float[blockRows * t];
        int r = 0;
        while (r < blockRows && it.hasNext()) {
          Row row = it.next();
          for (int j = 0; j < f; j++) {
            x[r * f + j] = value(row, j);
          }
          if (labels) {
            float label = value(row, f);
            int c = (int) label;
            if (c != label || c < 0 || c >= t) {
              throw new IllegalArgumentException("column " + (f + 1) + " holds the class label " + label
                  + " but labels are 0.." + (t - 1) + " (row " + row + ")");
            }
            y[r * t + c] = 1;
          } else {
            for (int j = 0; j < t; j++) {
              y[r * t + j] = value(row, f + j);
            }
          }
          r++;
        }
        long id = ((long) partition << 32) | k++;
        if (r < blockRows) {
          x = java.util.Arrays.copyOf(x, r * f);
          y = java.util.Arrays.copyOf(y, r * t);
        }
        return new Block(id, r, f, t, x, y);
      }
    };
  }

  private static float value(Row row, int column) {
    Object v = row.get(column);
    if (v instanceof Number n) {
      return n.floatValue();
    }
    throw new IllegalArgumentException("column " + (column + 1) + " holds " + (v == null ? "no value" : "'" + v + "'")
        + ", not a number (row " + row + ")");
  }

  /**
   * CSV files of numbers ({@code path} as Spark reads it: a file, a directory or a glob on any
   * Hadoop file system; gzipped files are read as such) as blocks. A first line with a field that
   * is not a number is a header (such as {@code 150,4,setosa,versicolor,virginica}) and skipped
   * (in every file). The number of columns is taken from the first line; see {@link #fromRows}
   * for what they must be.
   */
  public static JavaRDD<Block> csv(SparkSession spark, String path, Layout layout, int blockRows) {
    List<Row> first = spark.read().option("header", false).csv(path).limit(1).collectAsList();
    if (first.isEmpty()) {
      throw new IllegalArgumentException(path + " holds no rows");
    }
    Row line = first.getFirst();
    boolean header = false;
    for (int j = 0; j < line.length(); j++) {
      String field = line.getString(j);
      header |= field != null && !field.isBlank() && !isNumber(field);   // an empty field is a missing number
    }
    StructField[] fields = new StructField[line.length()];
    for (int j = 0; j < fields.length; j++) {
      fields[j] = DataTypes.createStructField("c" + (j + 1), DataTypes.FloatType, true);
    }
    org.apache.spark.sql.Dataset<Row> rows = spark.read().schema(new StructType(fields))
        .option("header", header).option("mode", "FAILFAST").csv(path);
    return fromRows(rows, layout, blockRows);
  }

  private static boolean isNumber(String s) {
    if (s == null) {
      return false;
    }
    try {
      Float.parseFloat(s.strip());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
