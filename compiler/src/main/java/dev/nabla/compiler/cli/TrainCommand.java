package dev.nabla.compiler.cli;

import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.TensorSpec;
import dev.nabla.runtime.data.Data;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Layout;
import dev.nabla.runtime.data.Splits;
import dev.nabla.runtime.data.Standardizer;
import dev.nabla.runtime.train.ClusterTraining;
import dev.nabla.runtime.train.Optimizer;
import dev.nabla.runtime.train.Score;
import dev.nabla.runtime.train.Scorer;
import dev.nabla.runtime.train.StepSource;
import dev.nabla.runtime.train.TrainResult;
import dev.nabla.runtime.train.Trainer;
import dev.nabla.runtime.train.Training;
import dev.nabla.runtime.train.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nabla train FILE.nn --data DATA ...}: trains a model compiled in memory and writes its
 * params, the standardisation (with {@code --standardize}) and a picture of the training curves.
 * The last line of the output is {@code test accuracy 0.9667} (classifier) or
 * {@code test R2 0.4812} (regression). See docs/training.md for every decision.
 */
@Command(name = "train", sortOptions = false,
    description = "Train a model on a data set; write the params (.npz) and a loss-curve picture (.png).")
final class TrainCommand extends ModelCommand {
  @Option(names = "--data", paramLabel = "DATA", required = true,
      description = "training data: a CSV file (optionally gzipped), an IDX images file or an IDX directory;"
          + " with --spark also a URI (hdfs://, s3a://, file://...) of CSV data the executors read")
  String data;

  @Option(names = "--target-file", paramLabel = "FILE",
      description = "the targets in a separate CSV file (then DATA holds the features only)")
  Path targetFile;

  @Option(names = "--test", paramLabel = "DATA", description = "separate test data (instead of --test-split)")
  String test;

  @Option(names = "--test-target-file", paramLabel = "FILE", description = "the targets of --test in a separate file")
  Path testTargetFile;

  @Option(names = "--test-split", paramLabel = "F",
      description = "fraction of DATA held out for testing (default: 0.2; an IDX directory with t10k files uses those)")
  Double testSplit;

  @Option(names = "--standardize", description = "standardise features with the training part's mean and std")
  boolean standardize;

  @Option(names = "--epochs", paramLabel = "E", description = "passes over the training data (default: 20)")
  int epochs = 20;

  @Option(names = "--batch", paramLabel = "B", description = "instances per step (default: 32)")
  int batch = 32;

  @Option(names = "--lr", paramLabel = "R", description = "learning rate (default: sgd 0.1, momentum 0.01, adam 0.001)")
  Double lr;

  @Option(names = "--optimizer", paramLabel = "sgd|momentum|adam", description = "the update rule (default: adam)")
  String optimizer = "adam";

  @Option(names = "--clip", paramLabel = "N", description = "clip gradients to this global norm (default: off)")
  double clip;

  @Option(names = "--seed", paramLabel = "S", description = "seed of initialisation, split and shuffling (default: 1)")
  long seed = 1;

  @Option(names = "-o", paramLabel = "P.npz", description = "the params file to write (default: FILE's name with .npz)")
  Path output;

  @Option(names = "--task", paramLabel = "auto|classification|regression",
      description = "what to measure: accuracy or R2 (default: auto, from the targets)")
  String task = "auto";

  @Mixin
  PrecisionOption precision;

  @Mixin
  SparkOption spark;

  @Override
  Precision precision() {
    return precision.get();
  }

  /** The params file to write: {@code -o}, or FILE's name with {@code .npz} in the working directory. */
  private Path paramsFile() {
    return output != null ? output : Path.of(stem(file) + ".npz");
  }

  @Override
  void checkOptions() {
    Outputs.Input[] inputs = {new Outputs.Input("the model file", file), new Outputs.Input("--data", local("--data", data)),
        new Outputs.Input("--target-file", targetFile), new Outputs.Input("--test", local("--test", test)),
        new Outputs.Input("--test-target-file", testTargetFile)};
    Path params = paramsFile();
    Outputs.check(spec.commandLine(), "-o", params, inputs);
    Outputs.check(spec.commandLine(), "the curves' picture", CurvePlot.pathFor(params), inputs);
  }

  @Override
  int run(Model model, CheckedModel checked) throws IOException {
    return train(model);
  }

  private int train(Model model) throws IOException {
    CommandLine cli = spec.commandLine();
    Optimizer.Kind kind = switch (optimizer) {
      case "sgd" -> Optimizer.Kind.SGD;
      case "momentum" -> Optimizer.Kind.MOMENTUM;
      case "adam" -> Optimizer.Kind.ADAM;
      default -> throw new CommandLine.ParameterException(cli, "--optimizer is sgd, momentum or adam, not '" + optimizer + "'");
    };
    Scorer.Task forced = parseTask(task, cli);
    if (epochs < 1 || batch < 1) {
      throw new CommandLine.ParameterException(cli, "--epochs and --batch must be at least 1");
    }
    double rate = lr != null ? lr : Optimizer.defaultLearningRate(kind);
    if (!(rate > 0) || !Double.isFinite(rate)) {
      throw new CommandLine.ParameterException(cli, "--lr must be a positive number, not " + lr);
    }
    if (!(clip >= 0) || !Double.isFinite(clip)) {
      throw new CommandLine.ParameterException(cli, "--clip must be 0 (off) or a positive number");
    }
    if (testSplit != null && !(testSplit >= 0 && testSplit < 1)) {
      throw new CommandLine.ParameterException(cli, "--test-split must be at least 0 and below 1, not " + testSplit);
    }
    if (test != null && testSplit != null) {
      throw new CommandLine.ParameterException(cli, "give either --test or --test-split, not both");
    }
    if (testTargetFile != null && test == null) {
      throw new CommandLine.ParameterException(cli, "--test-target-file goes with --test");
    }
    ClusterTraining cluster = spark.find(cli);
    if (isUri(data) || isUri(test)) {
      checkExecutorData(cli, cluster);
      Trainer trainer = new Trainer();
      Scorer scorer = Scorer.of(model, forced != null ? forced : Scorer.infer(model));
      int paramCount = model.params().stream().mapToInt(TensorSpec::size).sum();
      out().println("model  " + model.name() + ": " + paramCount + " params, " + describe(scorer));
      return fitAndWrite(model, cluster, scorer.task(), test != null, null, rate, trainer::requestStop,
          (session, progress) -> {
            Trainer.Config config = new Trainer.Config(epochs, batch, seed);
            StepSource steps = session.steps(model, data, test, scorer.task(), config);
            out().println("data   " + data + ": " + steps.rows() + (steps.rows() == 1 ? " row" : " rows")
                + ", read by the executors" + (test != null ? "; test data " + test + ", read by the executors" : ""));
            model.initialize(seed);
            Optimizer opt = Optimizer.of(kind, model, rate).clipNorm(clip);
            out().println(String.format(Locale.ROOT, "train  %s, batch %d, %d epochs, seed %d", opt,
                Math.min(batch, steps.rows()), epochs, seed));
            out().flush();
            return trainer.train(model, opt, steps, epochs, progress);
          });
    }

    // Data.
    Layout layout = Layout.of(model);
    Path data = local("--data", this.data);
    Path test = local("--test", this.test);
    Dataset all = Data.read(data, targetFile, model);
    out().println("data   " + DataLoading.describe(all, layout));
    Dataset train;
    Dataset testPart;
    Dataset idxTest = test == null && testSplit == null ? Data.idxTestPart(data, model) : null;
    if (test != null) {
      train = all;
      testPart = Data.readTest(test, testTargetFile, model);
      out().println("test   " + DataLoading.describe(testPart, layout));
    } else if (idxTest != null) {
      train = all;
      testPart = idxTest;
      out().println("test   " + DataLoading.describe(testPart, layout));
    } else {
      double fraction = testSplit != null ? testSplit : 0.2;
      Splits.Split split = Data.split(all, fraction, seed);
      train = split.train();
      testPart = split.test();
      out().println(String.format(Locale.ROOT, "split  %d rows for training, %d for testing (--test-split %s, seed %d)",
          train.rows(), testPart == null ? 0 : testPart.rows(), fraction, seed));
    }
    Standardizer standardizer = null;
    if (standardize) {
      standardizer = Data.standardize(train, testPart);
      out().println("scale  standardised " + train.features() + " features with the training part's mean and std");
    }
    // The same Training a user's program makes (see dev.nabla.runtime's overview).
    Training training = Training.of(model).data(train).testData(testPart).task(forced)
        .optimizer(kind).learningRate(rate).clipNorm(clip).epochs(epochs).batch(batch).seed(seed);
    Scorer scorer = training.scorer();
    int paramCount = model.params().stream().mapToInt(TensorSpec::size).sum();
    out().println("model  " + model.name() + ": " + paramCount + " params, " + describe(scorer));

    // Training.
    out().println(String.format(Locale.ROOT, "train  %s, batch %d, %d epochs, seed %d", training.optimizer(),
        training.effectiveBatch(), epochs, seed));
    return fitAndWrite(model, cluster, scorer.task(), testPart != null, standardizer, rate, training::requestStop,
        (session, progress) -> training.on(session).listener(progress).fit());
  }

  /** How a training runs once the cluster session (null without {@code --spark}) and the progress are open. */
  private interface Fit {
    TrainResult fit(ClusterTraining.Session session, TrainProgress progress);
  }

  /**
   * Runs {@code fit} with the progress lines, stopping on Ctrl-C ({@code stop}), then writes the
   * params, the curves and the last line; the same for data on this machine and on the executors.
   */
  private int fitAndWrite(Model model, ClusterTraining cluster, Scorer.Task task, boolean hasTest,
      Standardizer standardizer, double rate, Runnable stop, Fit fit) throws IOException {
    Path params = paramsFile();
    Path plot = CurvePlot.pathFor(params);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = Thread.ofPlatform().name("nabla-train-interrupt").unstarted(() -> {
      stop.run();
      try {
        finished.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Runtime.getRuntime().addShutdownHook(hook);
    Outputs.finishBeforeCleanup(finished);
    PrintStream terminal = TrainProgress.stdoutIsTerminal() ? System.out : null;
    try {
      TrainResult result;
      try (ClusterTraining.Session session = spark.open(cluster, model, out());
          TrainProgress progress = new TrainProgress(out(), terminal, task, hasTest)) {
        result = fit.fit(session, progress);
      } catch (TrainingDivergedException e) {
        out().flush();
        err().println("nabla: training stopped: " + diverged(e, rate));
        err().flush();
        return ExitCodes.ERRORS;
      }
      if (result.stopped()) {
        out().println("interrupted in epoch " + result.stoppedEpoch() + " after " + result.stoppedStep() + " steps; "
            + (result.bestEpoch() > 0 ? "keeping the params of epoch " + result.bestEpoch()
                : "no epoch finished, keeping the params as they are"));
      }
      ParamsFile.write(params, model, standardizer);
      ParamsFile.removeOldSidecar(params);
      String pictured = "";
      if (!result.history().isEmpty()) {
        try {
          CurvePlot.write(plot, model.name(), result.history(), task, hasTest);
          pictured = " and the curves " + plot;
        } catch (IOException | RuntimeException | Error e) {
          err().println("nabla: warning: could not draw " + plot + ": "
              + (e instanceof java.io.UncheckedIOException ? e.getMessage() : e.toString()));
        }
      }
      out().println("wrote  " + params + (result.bestEpoch() > 0 ? " (epoch " + result.bestEpoch() + ")" : "")
          + (standardizer != null ? " with the standardisation" : "") + pictured);
      out().println(finalLine(result, task));
      out().flush();
      return ExitCodes.OK;
    } finally {
      finished.countDown();
      Outputs.finished(finished);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting (Ctrl-C): the hook is running and has just been released
      }
    }
  }

  /**
   * Data the executors read is a URI of a Hadoop file system ({@code hdfs://host/x.csv},
   * {@code file:///x.csv}); a plain path is read here. A scheme of one letter is a Windows drive.
   */
  static boolean isUri(String arg) {
    return arg != null && arg.matches("[A-Za-z][A-Za-z0-9+.-]+://.*");
  }

  /** {@code arg} as a path of this machine, or null for none or a URI the executors read. */
  private Path local(String option, String arg) {
    if (arg == null || isUri(arg)) {
      return null;
    }
    try {
      return Path.of(arg);
    } catch (InvalidPathException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + " is not a path of this machine: " + e.getReason());
    }
  }

  /** What data read on the executors allows: CSV files with their targets, no split, no standardisation (yet). */
  private void checkExecutorData(CommandLine cli, ClusterTraining cluster) {
    String which = isUri(data) ? "--data " + data : "--test " + test;
    if (cluster == null) {
      throw new CommandLine.ParameterException(cli, which + " is a URI, read by Spark's executors: it needs --spark MASTER"
          + " (a file of this machine is a plain path; see docs/spark.md)");
    }
    if (!isUri(data) || (test != null && !isUri(test))) {
      throw new CommandLine.ParameterException(cli, "--data and --test are both URIs (read by the executors)"
          + " or both paths of this machine, not one of each");
    }
    if (targetFile != null || testTargetFile != null) {
      throw new CommandLine.ParameterException(cli, "--target-file and --test-target-file need data on this machine;"
          + " data the executors read holds the targets in its last columns");
    }
    if (testSplit != null && testSplit != 0) {
      throw new CommandLine.ParameterException(cli, "--test-split needs data on this machine; data the executors read"
          + " is not split: give the test data as --test URI (without it the measures are on the training data)");
    }
    if (standardize) {
      throw new CommandLine.ParameterException(cli, "--standardize is not supported with data the executors read"
          + " (yet): standardise the CSV beforehand, or train on a path of this machine");
    }
  }

  /**
   * Why training stopped and what to do. A non-finite loss in the very first step comes before
   * any update, so the learning rate cannot be the cause: the data or the initial params are.
   */
  private String diverged(TrainingDivergedException e, double rate) {
    String where = "the " + e.what() + " became " + e.value() + " in epoch " + e.epoch() + ", step " + e.step() + " of "
        + e.steps() + "; nothing was written. ";
    if (e.epoch() == 1 && e.step() == 1) {
      return where + "That is before any update, so the learning rate is not the cause: the data or the initial params"
          + " give a non-finite " + e.what() + " (look for huge or missing values in " + data
          + (standardize ? "" : ", try --standardize") + ", or check the model's loss on such values).";
    }
    return where + "Try a smaller learning rate (--lr " + (rate / 10) + "; it was " + rate + ")"
        + (standardize ? "" : ", --standardize") + " or --clip 1.";
  }

  /** {@code test accuracy 0.9667}, {@code test R2 0.4812}, {@code test loss 0.1234}; {@code train ...} without test data. */
  static String finalLine(TrainResult result, Scorer.Task task) {
    return (result.finalOnTest() ? "test " : "train ") + measured(task, result.finalScore());
  }

  /**
   * {@code "accuracy 0.9667"}, {@code "R2 0.4812"}, {@code "loss 0.1234"}. R² is undefined when
   * every target column is constant (no variance to explain): then it says so, with the loss.
   */
  static String measured(Scorer.Task task, Score score) {
    double value = task == Scorer.Task.NONE ? score.loss() : score.metric();
    String text = String.format(Locale.ROOT, "%s %.4f", task.metricName(), value);
    if (task == Scorer.Task.REGRESSION && Double.isNaN(value)) {
      return task.metricName() + " nan (undefined: the targets are constant, so there is no variance to explain;"
          + " loss " + DataLoading.number(score.loss()) + ")";
    }
    return text;
  }

  static Scorer.Task parseTask(String value, CommandLine cli) {
    return switch (value) {
      case "auto" -> null;
      case "classification" -> Scorer.Task.CLASSIFICATION;
      case "regression" -> Scorer.Task.REGRESSION;
      default -> throw new CommandLine.ParameterException(cli, "--task is auto, classification or regression, not '" + value + "'");
    };
  }

  static String describe(Scorer scorer) {
    return switch (scorer.task()) {
      case CLASSIFICATION -> "classifier (accuracy of output " + scorer.output() + ")";
      case REGRESSION -> "regression (R2 of output " + scorer.output() + ")";
      case NONE -> "measured by its loss (no output has the targets' width)";
    };
  }

  static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
