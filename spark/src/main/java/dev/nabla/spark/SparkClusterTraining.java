package dev.nabla.spark;

import dev.nabla.runtime.Model;
import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Layout;
import dev.nabla.runtime.train.ClusterTraining;
import dev.nabla.runtime.train.Scorer;
import dev.nabla.runtime.train.StepSource;
import dev.nabla.runtime.train.Trainer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code nabla train --spark MASTER}: the {@link ClusterTraining} the command line finds with
 * {@link java.util.ServiceLoader} when this module is on its class path. A session is one Spark
 * application. The model, compiled in memory by the command, reaches the executors as a jar of
 * its class files written here ({@code spark.jars}); on a cluster (not {@code local[N]}) the jars
 * holding the Nabla runtime and this module go along, so the executors need nothing installed but
 * Spark. Any {@code spark.*} system property ({@code -Dspark.executor.memory=4g} in
 * {@code NABLA_JAVA_OPTS}) configures the application as {@code spark-submit --conf} would.
 */
public final class SparkClusterTraining implements ClusterTraining {
  /** Rows per block of the driver's data. */
  static final int BLOCK_ROWS = Blocks.DEFAULT_ROWS;

  /** A configuration key naming the session that made the application. */
  private static final String MARK = "spark.nabla.session";

  @Override
  public Session open(String master, Map<String, byte[]> modelClasses, PrintWriter log) {
    Path jar = modelClasses.isEmpty() ? null : writeJar(modelClasses);
    boolean local = master.startsWith("local");
    List<String> jars = new ArrayList<>();
    if (jar != null) {
      jars.add(jar.toUri().toString());
    }
    if (!local) {
      addCodeSource(jars, Model.class);
      addCodeSource(jars, SparkClusterTraining.class);
    }
    SparkConf conf = new SparkConf()
        .setMaster(master)
        .setAppName("nabla train")
        .setIfMissing("spark.ui.enabled", Boolean.toString(!local));
    if (local) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    // A JVM holds one Spark application: join a running one (a test's, a notebook's) and leave it
    // running. Its executors then see one class per name: one model of a name per application.
    // getOrCreate ignores the conf of a running one, so the mark tells whether this one made it.
    String mark = UUID.randomUUID().toString();
    conf.set(MARK, mark);
    JavaSparkContext sc;
    boolean joined;
    try {
      sc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
      joined = !mark.equals(sc.getConf().get(MARK, ""));
      if (joined && !sc.master().equals(master)) {
        throw new IllegalStateException("this JVM runs a Spark application at " + sc.master() + " already");
      }
      for (String j : jars) {
        sc.addJar(j);
      }
    } catch (Exception e) {                  // Spark throws its checked SparkException undeclared
      delete(jar);
      throw e;
    }
    log.println("spark  " + sc.master() + (joined ? " (the running application)" : "") + ": " + sc.defaultParallelism() + " cores, application " + sc.sc().applicationId()
        + (sc.sc().uiWebUrl().isDefined() ? ", UI " + sc.sc().uiWebUrl().get() : ""));
    log.flush();
    SparkTrainer trainer = new SparkTrainer(sc);
    List<JavaRDD<Block>> cached = new ArrayList<>();
    return new Session() {
      @Override
      public StepSource steps(Model model, Dataset train, Dataset test, Scorer scorer, Trainer.Config config) {
        return trainer.steps(model, trainer.parallelize(model, train, BLOCK_ROWS), train, test, scorer, config);
      }

      @Override
      public StepSource steps(Model model, String train, String test, Scorer.Task task, Trainer.Config config) {
        SparkSession spark = SparkSession.builder().getOrCreate();     // on the running context
        JavaRDD<Block> trainBlocks = read(spark, train, model, "training");
        JavaRDD<Block> testBlocks = test == null ? null : read(spark, test, model, "test");
        try {
          return trainer.steps(model, trainBlocks, testBlocks, Scorer.of(model, task).task(), config);
        } catch (Exception e) {              // Spark throws its checked SparkException undeclared
          throw new NablaDataException("cannot read the data on the executors: " + rootMessage(e));
        }
      }

      /** Blocks of the CSV data at {@code uri}, cached and checkpointed on the executors until the session closes. */
      private JavaRDD<Block> read(SparkSession spark, String uri, Model model, String what) {
        JavaRDD<Block> blocks;
        try {
          // Asked here first: Spark would log a stack trace for a path it cannot find before failing
          org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
          org.apache.hadoop.fs.FileStatus[] found = path.getFileSystem(sc.hadoopConfiguration()).globStatus(path);
          if (found == null || found.length == 0) {
            throw new NablaDataException("cannot read the " + what + " data " + uri + ": there is no such file");
          }
          blocks = Blocks.csv(spark, uri, Layout.of(model), BLOCK_ROWS);
        } catch (NablaDataException e) {
          throw e;
        } catch (Exception e) {              // no file system for the scheme, no access, Spark's AnalysisException
          throw new NablaDataException("cannot read the " + what + " data " + uri + ": " + rootMessage(e));
        }
        blocks.rdd().localCheckpoint();
        cached.add(blocks);
        return blocks;
      }

      @Override
      public void close() {
        cached.forEach(b -> b.unpersist(false));
        if (joined) {
          // The running application lists the jar for good (Spark has no removeJar): its later tasks fetch
          // every listed jar, so it stays until this JVM ends (deleteOnExit).
          return;
        }
        try {
          sc.stop();
        } finally {
          delete(jar);
        }
      }
    };
  }

  /** The message of the innermost cause: Spark wraps the executors' errors in job failures. */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage().lines().findFirst().orElse("") : root.toString();
  }

  /** A temporary jar of the class files, deleted when the session closes. */
  static Path writeJar(Map<String, byte[]> classes) {
    try {
      Path jar = Files.createTempFile("nabla-model-", ".jar");
      jar.toFile().deleteOnExit();             // also when the JVM ends without closing the session
      try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
          out.putNextEntry(new JarEntry(c.getKey().replace('.', '/') + ".class"));
          out.write(c.getValue());
          out.closeEntry();
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model's classes for the executors: " + e.getMessage(), e);
    }
  }

  /** Adds the jar {@code c} was loaded from (nothing for a classes directory: only a build has those). */
  private static void addCodeSource(List<String> jars, Class<?> c) {
    try {
      Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(p) && !jars.contains(p.toUri().toString())) {
        jars.add(p.toUri().toString());
      }
    } catch (URISyntaxException | NullPointerException | SecurityException e) {
      // unknown location: the cluster must have the jar already
    }
  }

  private static void delete(Path jar) {
    if (jar != null) {
      try {
        Files.deleteIfExists(jar);
      } catch (IOException e) {
        // a temporary file; the OS cleans its temp directory
      }
    }
  }
}
