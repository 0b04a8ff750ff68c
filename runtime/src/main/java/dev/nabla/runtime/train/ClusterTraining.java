package dev.nabla.runtime.train;

import dev.nabla.runtime.Model;
import dev.nabla.runtime.data.Dataset;
import java.io.PrintWriter;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Training on a cluster for a program that must not depend on the cluster's libraries (the
 * {@code nabla} command line): implementations are found with {@link ServiceLoader}; the
 * nabla-spark module provides one for Apache Spark, on the class path only when asked for
 * ({@code ./nabla train --spark} adds it; see docs/spark.md).
 */
public interface ClusterTraining {
  /** The first implementation on the class path, or null. */
  static ClusterTraining find() {
    return ServiceLoader.load(ClusterTraining.class).findFirst().orElse(null);
  }

  /**
   * Connects to the cluster at {@code master} ({@code local[2]}, {@code spark://host:7077}, ...).
   *
   * @param modelClasses class files (binary name to bytes) the executors need and cannot get
   *     elsewhere, such as those of a model compiled in memory; may be empty
   * @param log where to say what was connected to (one line)
   */
  Session open(String master, Map<String, byte[]> modelClasses, PrintWriter log);

  /** A connection to a cluster; closing it ends the cluster application. */
  interface Session extends AutoCloseable {
    /**
     * The steps of training {@code model} on {@code train}, which is sent to the cluster once;
     * the measures are taken here with {@code scorer} (on {@code test}, which may be null), as
     * {@link Trainer} takes them. Run them with {@link Trainer#train(Model, Optimizer, StepSource,
     * int, TrainListener)}.
     */
    StepSource steps(Model model, Dataset train, Dataset test, Scorer scorer, Trainer.Config config);

    /**
     * The steps of training {@code model} on CSV data the cluster's workers read themselves
     * ({@code train} and {@code test}, which may be null, are URIs of a Hadoop file system such as
     * {@code hdfs://} or {@code file://}); nothing of it passes through this JVM. The measures are
     * taken on the workers ({@code task}), on {@code test}, or on {@code train} without it.
     *
     * @throws dev.nabla.runtime.NablaDataException when the data cannot be read or does not fit the model
     */
    default StepSource steps(Model model, String train, String test, Scorer.Task task, Trainer.Config config) {
      throw new UnsupportedOperationException(getClass().getName() + " cannot read data on the cluster");
    }

    @Override
    void close();
  }
}
