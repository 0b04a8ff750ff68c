package dev.nabla.compiler.cli;

import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.runtime.DType;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import dev.nabla.runtime.data.Data;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Layout;
import dev.nabla.runtime.data.Standardizer;
import dev.nabla.runtime.train.Predictor;
import dev.nabla.runtime.train.Scorer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nabla predict FILE.nn --params P.npz --data DATA [-o OUT.csv]}: runs the model forward on
 * every row and writes a CSV with a header line: every output (flattened, {@code Y_0 .. Y_9} for
 * an output {@code Y[10]}), then {@code class} for a classifier. When DATA has target columns
 * they are not fed to the outputs; they give the accuracy (or R²), printed as
 * {@code accuracy 0.9667} on stdout with {@code -o}, on stderr without (stdout then holds the
 * CSV). The standardisation stored with the params (by {@code train --standardize}) is applied
 * to the features.
 */
@Command(name = "predict", sortOptions = false,
    description = "Write the outputs (and the predicted class) for every row of a data set.")
final class PredictCommand extends ModelCommand {
  @Option(names = "--params", paramLabel = "P.npz", required = true, description = "the trained params")
  Path params;

  @Option(names = "--data", paramLabel = "DATA", required = true,
      description = "a CSV file (targets optional; optionally gzipped), an IDX images file or an IDX directory (t10k preferred)")
  Path data;

  @Option(names = "--target-file", paramLabel = "FILE", description = "the targets in a separate CSV file")
  Path targetFile;

  @Option(names = "-o", paramLabel = "OUT.csv", description = "where to write the predictions (default: stdout)")
  Path output;

  @Option(names = "--task", paramLabel = "auto|classification|regression",
      description = "whether to write a class column and measure accuracy or R2 (default: auto)")
  String task = "auto";

  @Mixin
  PrecisionOption precision;

  @Override
  Precision precision() {
    return precision.get();
  }

  @Override
  void checkOptions() {
    if (output != null) {
      Outputs.check(spec.commandLine(), "-o", output, new Outputs.Input("the model file", file),
          new Outputs.Input("--params", params), new Outputs.Input("--data", data),
          new Outputs.Input("--target-file", targetFile),
          new Outputs.Input("the standardisation of --params", Standardizer.sidecar(params)));
    }
  }

  @Override
  int run(Model model, CheckedModel checked) throws IOException {
    return predict(model);
  }

  private int predict(Model model) throws IOException {
    Scorer.Task forced = TrainCommand.parseTask(task, spec.commandLine());
    Layout layout = Layout.of(model);
    Standardizer standardizer = ParamsFile.loadForPrediction(model, params, layout.features(), err());
    Dataset d = Data.readForPrediction(data, targetFile, model);
    if (standardizer != null) {
      standardizer.apply(d);
    }
    Scorer.Task t = forced != null ? forced : Scorer.infer(model, d);
    Scorer scorer = Scorer.of(model, t);
    if (output != null) {
      Outputs.write(output, stream -> {
        Writer w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        write(model, d, scorer, w);
        w.flush();
      });
    } else {
      Writer w = new BufferedWriter(out());
      write(model, d, scorer, w);
      w.flush();
    }
    if (d.hasTargets()) {
      PrintWriter where = output != null ? out() : err();
      where.println(TrainCommand.measured(scorer.task(), scorer.evaluate(d)));
      where.flush();
    }
    return ExitCodes.OK;
  }

  private static void write(Model model, Dataset d, Scorer scorer, Writer w) throws IOException {
    List<TensorSpec> outputs = model.outputs();
    boolean classes = scorer.task() == Scorer.Task.CLASSIFICATION;
    int k = model.targets().stream().mapToInt(TensorSpec::size).sum();
    StringBuilder header = new StringBuilder();
    for (TensorSpec o : outputs) {
      if (o.size() == 1 && o.rank() == 0) {
        append(header, o.name());
      } else {
        for (int j = 0; j < o.size(); j++) {
          append(header, o.name() + "_" + j);
        }
      }
    }
    if (classes) {
      append(header, "class");
    }
    w.write(header.append('\n').toString());
    boolean f32 = model.dtype() == DType.F32;
    StringBuilder line = new StringBuilder();
    // The same Predictor a user's program makes.
    new Predictor(model).forEachBatch(d, (run, first) -> {
      for (int i = 0; i < run.batchSize(); i++) {
        line.setLength(0);
        for (TensorSpec o : outputs) {
          NdArray a = run.output(o.name());
          int width = o.size();
          for (int j = 0; j < width; j++) {
            double v = a.getDouble(i * width + j);
            append(line, f32 ? Float.toString((float) v) : Double.toString(v));
          }
        }
        if (classes) {
          append(line, Integer.toString(Scorer.predictedClass(run.output(scorer.output()), i, k)));
        }
        w.write(line.append('\n').toString());
      }
    });
  }

  private static void append(StringBuilder sb, String field) {
    if (!sb.isEmpty()) {
      sb.append(',');
    }
    sb.append(field);
  }
}
