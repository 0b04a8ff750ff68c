package dev.nabla.compiler.cli;

import dev.nabla.compiler.codegen.InMemoryJavac;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.train.ClusterTraining;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --spark MASTER} of {@code nabla train}: data-parallel training on Apache Spark. The
 * command line has no Spark on its class path; the nabla-spark module provides the
 * {@link ClusterTraining} hook, and {@code ./nabla} adds it and Spark's jars when it sees
 * {@code --spark} (docs/spark.md).
 */
final class SparkOption {
  @Option(names = "--spark", paramLabel = "MASTER",
      description = "train data-parallel on Apache Spark: local[N] or a master URL such as spark://host:7077 (see docs/spark.md)")
  String master;

  /** The cluster hook, checked before any work; null without {@code --spark}. */
  ClusterTraining find(CommandLine cli) {
    if (master == null) {
      return null;
    }
    ClusterTraining cluster = ClusterTraining.find();
    if (cluster == null) {
      throw new CommandLine.ParameterException(cli, "--spark needs the nabla-spark module and Spark on the class path;"
          + " ./nabla adds them when it sees --spark (see docs/spark.md)");
    }
    return cluster;
  }

  /** Starts the Spark application for {@code model} (its in-memory classes go to the executors); null without a hook. */
  ClusterTraining.Session open(ClusterTraining cluster, Model model, PrintWriter out) {
    if (cluster == null) {
      return null;
    }
    try {
      return cluster.open(master, InMemoryJavac.classFiles(model.getClass()), out);
    } catch (Exception e) {                  // Spark throws its checked SparkException undeclared
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new NablaDataException("cannot start Spark at " + master + ": " + root.getMessage());
    }
  }
}
