package dev.nabla.spark;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import java.io.Serializable;
import java.util.List;

/**
 * What the driver broadcasts every step: a copy of the model's params (in its dtype, declaration
 * order) and its hyperparameters, so an executor's own instance of the model class computes
 * with exactly the driver's values.
 */
final class Params implements Serializable {
  private static final long serialVersionUID = 1L;

  private final float[][] floats;
  private final double[][] doubles;
  private final String[] hyperNames;
  private final double[] hypers;

  private Params(float[][] floats, double[][] doubles, String[] hyperNames, double[] hypers) {
    this.floats = floats;
    this.doubles = doubles;
    this.hyperNames = hyperNames;
    this.hypers = hypers;
  }

  /** A copy of {@code model}'s params and hyperparameters now. */
  static Params of(Model model) {
    List<TensorSpec> specs = model.params();
    boolean f32 = model.dtype() == DType.F32;
    float[][] f = f32 ? new float[specs.size()][] : null;
    double[][] d = f32 ? null : new double[specs.size()][];
    for (int i = 0; i < specs.size(); i++) {
      NdArray p = model.param(specs.get(i).name());
      if (f32) {
        f[i] = p.floats().clone();
      } else {
        d[i] = p.doubles().clone();
      }
    }
    String[] names = model.hyperNames().toArray(String[]::new);
    double[] values = new double[names.length];
    for (int i = 0; i < names.length; i++) {
      values[i] = model.hyper(names[i]);
    }
    return new Params(f, d, names, values);
  }

  /** Sets {@code model}'s params and hyperparameters to these values. */
  void copyInto(Model model) {
    List<TensorSpec> specs = model.params();
    for (int i = 0; i < specs.size(); i++) {
      NdArray p = model.param(specs.get(i).name());
      if (floats != null) {
        System.arraycopy(floats[i], 0, p.floats(), 0, floats[i].length);
      } else {
        System.arraycopy(doubles[i], 0, p.doubles(), 0, doubles[i].length);
      }
    }
    for (int i = 0; i < hyperNames.length; i++) {
      model.setHyper(hyperNames[i], hypers[i]);
    }
  }

  /** The number of param values (what a step sends to every executor, times 4 or 8 bytes). */
  long size() {
    long n = 0;
    int count = floats != null ? floats.length : doubles.length;
    for (int i = 0; i < count; i++) {
      n += floats != null ? floats[i].length : doubles[i].length;
    }
    return n;
  }
}
