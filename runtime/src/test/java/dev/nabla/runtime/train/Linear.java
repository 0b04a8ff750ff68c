package dev.nabla.runtime.train;

import dev.nabla.runtime.DType;
import dev.nabla.runtime.Model;
import dev.nabla.runtime.ModelRun;
import dev.nabla.runtime.NdArray;
import dev.nabla.runtime.TensorSpec;
import java.util.List;

/**
 * A hand-written model for the tests: {@code input x[n]; target d[k]; param W[k, n]; param b[k];
 * output y = W @ x + b; loss L = l2(y, d)} (half the squared error), in either precision. Its
 * forward and backward allocate nothing.
 */
final class Linear implements Model {
  final int n;
  final int k;
  final DType dtype;
  final NdArray w;
  final NdArray b;

  Linear(int n, int k, DType dtype) {
    this.n = n;
    this.k = k;
    this.dtype = dtype;
    w = NdArray.zeros(dtype, k, n);
    b = NdArray.zeros(dtype, k);
  }

  @Override
  public String name() {
    return "Linear";
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public List<TensorSpec> params() {
    return List.of(new TensorSpec("W", new int[] {k, n}), new TensorSpec("b", new int[] {k}));
  }

  @Override
  public List<TensorSpec> inputs() {
    return List.of(new TensorSpec("x", new int[] {n}));
  }

  @Override
  public List<TensorSpec> targets() {
    return List.of(new TensorSpec("d", new int[] {k}));
  }

  @Override
  public List<TensorSpec> outputs() {
    return List.of(new TensorSpec("y", new int[] {k}));
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
    throw new IllegalArgumentException(name);
  }

  @Override
  public void setHyper(String name, double value) {
    throw new IllegalArgumentException(name);
  }

  @Override
  public NdArray param(String name) {
    return switch (name) {
      case "W" -> w;
      case "b" -> b;
      default -> throw new IllegalArgumentException(name);
    };
  }

  @Override
  public void initialize(long seed) {
    dev.nabla.runtime.Init.normal(w, seed, "W", 0, 0.1);
    b.fill(0);
  }

  @Override
  public ModelRun newRun(int batchSize) {
    return new Run(batchSize);
  }

  final class Run implements ModelRun {
    final int size;
    final NdArray x;
    final NdArray d;
    final NdArray y;
    final NdArray gw;
    final NdArray gb;

    Run(int size) {
      this.size = size;
      x = NdArray.zeros(dtype, size, n);
      d = NdArray.zeros(dtype, size, k);
      y = NdArray.zeros(dtype, size, k);
      gw = NdArray.zeros(dtype, k, n);
      gb = NdArray.zeros(dtype, k);
    }

    @Override
    public Model model() {
      return Linear.this;
    }

    @Override
    public int batchSize() {
      return size;
    }

    @Override
    public NdArray input(String name) {
      return switch (name) {
        case "x" -> x;
        case "d" -> d;
        default -> throw new IllegalArgumentException(name);
      };
    }

    @Override
    public double forward() {
      double loss = 0;
      for (int t = 0; t < size; t++) {
        for (int i = 0; i < k; i++) {
          double s = b.getDouble(i);
          for (int j = 0; j < n; j++) {
            s += w.getDouble(i * n + j) * x.getDouble(t * n + j);
          }
          y.setDouble(t * k + i, s);
          double e = y.getDouble(t * k + i) - d.getDouble(t * k + i);
          loss += 0.5 * e * e;
        }
      }
      return loss / size;
    }

    @Override
    public NdArray output(String name) {
      if (!name.equals("y")) {
        throw new IllegalArgumentException(name);
      }
      return y;
    }

    @Override
    public void backward() {
      gw.fill(0);
      gb.fill(0);
      for (int t = 0; t < size; t++) {
        for (int i = 0; i < k; i++) {
          double e = (y.getDouble(t * k + i) - d.getDouble(t * k + i)) / size;
          gb.setDouble(i, gb.getDouble(i) + e);
          for (int j = 0; j < n; j++) {
            gw.setDouble(i * n + j, gw.getDouble(i * n + j) + e * x.getDouble(t * n + j));
          }
        }
      }
    }

    @Override
    public NdArray gradient(String name) {
      return switch (name) {
        case "W" -> gw;
        case "b" -> gb;
        default -> throw new IllegalArgumentException(name);
      };
    }
  }
}
