package dev.nabla.runtime.train;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import dev.nabla.runtime.data.Dataset;
import java.util.List;

/**
 * Copies rows of a {@link Dataset} into a run's input and target buffers: the feature columns
 * are the inputs flattened in declaration order, the target columns the targets flattened in
 * declaration order. Rows without targets leave the target buffers at 0. Allocates nothing once
 * it has seen a run (it keeps the buffers of the two most recent runs).
 */
public final class Feeder {
  private final int[] inputSizes;
  private final int[] targetSizes;
  private final Views inputs;
  private final Views targets;

  /** A feeder for the model's inputs and targets. */
  public Feeder(Model model) {
    List<TensorSpec> in = model.inputs();
    List<TensorSpec> tg = model.targets();
    inputs = new Views(Views.Kind.INPUT, in.stream().map(TensorSpec::name).toArray(String[]::new));
    inputSizes = in.stream().mapToInt(TensorSpec::size).toArray();
    targets = new Views(Views.Kind.INPUT, tg.stream().map(TensorSpec::name).toArray(String[]::new));
    targetSizes = tg.stream().mapToInt(TensorSpec::size).toArray();
  }

  /** Fills the run's {@code B} instances with rows {@code order[from .. from + B)} of {@code data}. */
  public void fill(ModelRun run, Dataset data, int[] order, int from) {
    int b = run.batchSize();
    NdArray[] in = inputs.of(run);
    int offset = 0;
    for (int k = 0; k < in.length; k++) {
      copy(in[k], data.x(), data.features(), offset, inputSizes[k], order, from, b);
      offset += inputSizes[k];
    }
    NdArray[] tg = targets.of(run);
    offset = 0;
    for (int k = 0; k < tg.length; k++) {
      NdArray buf = tg[k];
      if (data.hasTargets()) {
        copy(buf, data.y(), data.targets(), offset, targetSizes[k], order, from, b);
      } else {
        buf.fill(0);
      }
      offset += targetSizes[k];
    }
  }

  private static void copy(NdArray dst, float[] src, int stride, int offset, int size, int[] order, int from, int b) {
    if (dst.dtype() == DType.F32) {
      float[] d = dst.floats();
      for (int i = 0; i < b; i++) {
        System.arraycopy(src, order[from + i] * stride + offset, d, i * size, size);
      }
    } else {
      double[] d = dst.doubles();
      for (int i = 0; i < b; i++) {
        int s = order[from + i] * stride + offset;
        for (int j = 0; j < size; j++) {
          d[i * size + j] = src[s + j];
        }
      }
    }
  }
}
