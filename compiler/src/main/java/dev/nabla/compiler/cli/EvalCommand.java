package dev.nabla.compiler.cli;

import dev.nabla.compiler.check.CheckedModel;
import dev.nabla.compiler.codegen.Precision;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NablaDataException;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import dev.nabla.runtime.data.Layout;
import dev.nabla.runtime.data.Standardizer;
import dev.nabla.runtime.io.Npz;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nabla eval}: forward and backward on one batch from {@code .npz} to {@code .npz}: the
 * batch-mean {@code loss}, every output ([B, ...]) and {@code grad_<param>} /
 * {@code grad_<input>}.
 */
@Command(name = "eval", description = "Run forward and backward on one batch and write loss, outputs and gradients.")
final class EvalCommand extends ModelCommand {
  @Option(names = "--params", paramLabel = "P.npz", required = true, description = "the params")
  Path params;

  @Option(names = "--batch", paramLabel = "B.npz", required = true, description = "the batch: every input and target, batch first")
  Path batchFile;

  @Option(names = "--out", paramLabel = "O.npz", description = "where to write the results (default: print the loss only)")
  Path out;

  @Mixin
  PrecisionOption precision;

  @Option(names = "--hyper", paramLabel = "NAME=VALUE", description = "set a hyper (repeatable)")
  List<String> hypers = new ArrayList<>();

  @Override
  Precision precision() {
    return precision.get();
  }

  @Override
  void checkOptions() {
    if (out != null) {
      Outputs.check(spec.commandLine(), "--out", out, new Outputs.Input("the model file", file),
          new Outputs.Input("--params", params), new Outputs.Input("--batch", batchFile));
    }
  }

  @Override
  int run(Model model, CheckedModel checked) {
    for (String h : hypers) {
      int eq = h.indexOf('=');
      if (eq < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--hyper takes NAME=VALUE, not '" + h + "'");
      }
      String name = h.substring(0, eq);
      if (!model.hyperNames().contains(name)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "model " + model.name() + " has no hyper '" + name + "' (it has " + model.hyperNames() + ")");
      }
      double value;
      try {
        value = Double.parseDouble(h.substring(eq + 1));
      } catch (NumberFormatException e) {
        value = Double.NaN;
      }
      if (!Double.isFinite(value)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--hyper " + name + " needs a finite number, not '" + h.substring(eq + 1) + "'");
      }
      model.setHyper(name, value);
    }
    Standardizer standardizer = ParamsFile.load(model, params, Layout.of(model).features());
    if (standardizer != null) {
      err().println("nabla: note: eval uses the batch as given; it does not apply the standardisation stored in "
          + params);
    }
    List<String> fed = java.util.stream.Stream.concat(model.inputs().stream(), model.targets().stream())
        .map(TensorSpec::name).toList();
    Map<String, NdArray> batch = Npz.read(batchFile, fed, "an input or target of model " + model.name());
    int size = batchSize(model, batch);
    ModelRun run = model.newRun(size);
    run.setInputs(batch, batchFile.toString());
    double loss = run.forward();
    run.backward();
    Map<String, NdArray> results = new LinkedHashMap<>();
    results.put("loss", NdArray.scalar(loss));
    for (TensorSpec o : model.outputs()) {
      results.put(o.name(), run.output(o.name()).copy());
    }
    for (TensorSpec p : model.params()) {
      results.put("grad_" + p.name(), run.gradient(p.name()).copy());
    }
    for (String in : model.gradInputs()) {
      results.put("grad_" + in, run.gradient(in).copy());
    }
    if (out != null) {
      Outputs.write(out, stream -> Npz.write(stream, results));
    }
    out().println("loss " + loss);
    return ExitCodes.OK;
  }

  /** The batch size: the first axis of the first input, which every entry must share. */
  private int batchSize(Model model, Map<String, NdArray> batch) {
    List<TensorSpec> specs = new ArrayList<>(model.inputs());
    specs.addAll(model.targets());
    for (TensorSpec s : specs) {
      NdArray a = batch.get(s.name());
      if (a != null && a.rank() == s.shape().length + 1) {
        if (a.dim(0) == 0) {
          throw new NablaDataException(batchFile + ": the batch is empty: '" + s.name() + "' is " + a.shapeString()
              + ", with 0 instances on its first axis");
        }
        return a.dim(0);
      }
    }
    throw new NablaDataException(batchFile + ": no entry has a batch axis for the inputs "
        + specs.stream().map(TensorSpec::name).toList() + " of model " + model.name());
  }
}
