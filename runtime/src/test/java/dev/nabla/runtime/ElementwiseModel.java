package dev.nabla.runtime;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * A one-param test model: {@code loss L = sum_i f(w_i)} with a hand-given derivative, for
 * probing the gradient checker (kinks, NaN, wrong derivatives). No inputs.
 */
final class ElementwiseModel implements Model {
  private final NdArray w;
  private final DoubleUnaryOperator f;
  private final DoubleUnaryOperator df;

  ElementwiseModel(double[] w, DoubleUnaryOperator f, DoubleUnaryOperator df) {
    this.w = NdArray.of(w.clone(), w.length);
    this.f = f;
    this.df = df;
  }

  @Override
  public String name() {
    return "Elementwise";
  }

  @Override
  public DType dtype() {
    return DType.F64;
  }

  @Override
  public List<TensorSpec> params() {
    return List.of(new TensorSpec("w", w.shape()));
  }

  @Override
  public List<TensorSpec> inputs() {
    return List.of();
  }

  @Override
  public List<TensorSpec> targets() {
    return List.of();
  }

  @Override
  public List<TensorSpec> outputs() {
    return List.of();
  }

  @Override
  public List<String> gradInputs() {
    return List.of();
  }

  @Override
  public List<String> hyperNames() {
    return List.of();
  }

  @Override
  public double hyper(String name) {
    throw new IllegalArgumentException("no hyper '" + name + "'");
  }

  @Override
  public void setHyper(String name, double value) {
    hyper(name);
  }

  @Override
  public NdArray param(String name) {
    if (!name.equals("w")) {
      throw new IllegalArgumentException("no param '" + name + "'");
    }
    return w;
  }

  @Override
  public void initialize(long seed) {
    Init.normal(w, seed, "w", 0, 1);
  }

  @Override
  public ModelRun newRun(int batchSize) {
    NdArray grad = NdArray.zeros(DType.F64, w.shape());
    return new ModelRun() {
      @Override
      public Model model() {
        return ElementwiseModel.this;
      }

      @Override
      public int batchSize() {
        return batchSize;
      }

      @Override
      public NdArray input(String name) {
        throw new IllegalArgumentException("no input '" + name + "'");
      }

      @Override
      public double forward() {
        double s = 0;
        for (double v : w.doubles()) {
          s += f.applyAsDouble(v);
        }
        return s;
      }

      @Override
      public NdArray output(String name) {
        throw new IllegalArgumentException("no output '" + name + "'");
      }

      @Override
      public void backward() {
        for (int i = 0; i < w.size(); i++) {
          grad.setDouble(i, df.applyAsDouble(w.getDouble(i)));
        }
      }

      @Override
      public NdArray gradient(String name) {
        if (!name.equals("w")) {
          throw new IllegalArgumentException("no gradient '" + name + "'");
        }
        return grad;
      }
    };
  }
}
