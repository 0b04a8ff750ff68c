package dev.nabla.runtime;

import dev.nabla.runtime.kernels.Gemm;
import dev.nabla.runtime.kernels.Softmax;
import java.util.List;

/**
 * A hand-written model for the tests, standing in for generated code:
 * <pre>
 *   model TinyMlp {
 *     input x[in] grad; target d[out];
 *     param W1[hidden, in] = he; param b1[hidden]; param W2[out, hidden] = xavier; param b2[out] = normal(0, 0.1);
 *     hyper lambda = 1e-3;
 *     y1 = tanh(W1 @ x + b1); z2 = W2 @ y1 + b2;
 *     output Y = softmax(z2);                        # CE;  Y = z2 for L2
 *     loss L = cross_entropy(Y, d) + lambda * norm2(W1);   # or l2(z2, d) + lambda * norm2(W1)
 *   }
 * </pre>
 * {@code bug} plants a gradient error: {@code 1.01 * 2 lambda W1} instead of {@code 2 lambda W1}.
 */
final class TinyMlp implements Model {
  enum Loss { CE, L2 }

  final int in;
  final int hidden;
  final int out;
  final Loss loss;
  boolean bug;
  private double lambda = 1e-3;
  private final NdArray w1;
  private final NdArray b1;
  private final NdArray w2;
  private final NdArray b2;

  TinyMlp(int in, int hidden, int out, Loss loss) {
    this.in = in;
    this.hidden = hidden;
    this.out = out;
    this.loss = loss;
    w1 = NdArray.zeros(DType.F64, hidden, in);
    b1 = NdArray.zeros(DType.F64, hidden);
    w2 = NdArray.zeros(DType.F64, out, hidden);
    b2 = NdArray.zeros(DType.F64, out);
  }

  @Override
  public String name() {
    return "TinyMlp";
  }

  @Override
  public DType dtype() {
    return DType.F64;
  }

  @Override
  public List<TensorSpec> params() {
    return List.of(new TensorSpec("W1", new int[] {hidden, in}), new TensorSpec("b1", new int[] {hidden}),
        new TensorSpec("W2", new int[] {out, hidden}), new TensorSpec("b2", new int[] {out}));
  }

  @Override
  public List<TensorSpec> inputs() {
    return List.of(new TensorSpec("x", new int[] {in}));
  }

  @Override
  public List<TensorSpec> targets() {
    return List.of(new TensorSpec("d", new int[] {out}));
  }

  @Override
  public List<TensorSpec> outputs() {
    return List.of(new TensorSpec("Y", new int[] {out}));
  }

  @Override
  public List<String> gradInputs() {
    return List.of("x");
  }

  @Override
  public List<String> hyperNames() {
    return List.of("lambda");
  }

  @Override
  public double hyper(String name) {
    if (!name.equals("lambda")) {
      throw new IllegalArgumentException("no hyper '" + name + "'");
    }
    return lambda;
  }

  @Override
  public void setHyper(String name, double value) {
    hyper(name);
    lambda = value;
  }

  @Override
  public NdArray param(String name) {
    return switch (name) {
      case "W1" -> w1;
      case "b1" -> b1;
      case "W2" -> w2;
      case "b2" -> b2;
      default -> throw new IllegalArgumentException("no param '" + name + "'");
    };
  }

  @Override
  public void initialize(long seed) {
    Init.he(w1, seed, "W1");
    Init.zeros(b1);
    Init.xavier(w2, seed, "W2");
    Init.normal(b2, seed, "b2", 0, 0.1);
  }

  @Override
  public ModelRun newRun(int batchSize) {
    return new Run(batchSize);
  }

  final class Run implements ModelRun {
    final int b;
    final double[] x;
    final double[] d;
    final double[] y1;
    final double[] z2;
    final double[] y;
    final double[] ls;
    final double[] dz2;
    final double[] dy1;
    final NdArray xArr;
    final NdArray dArr;
    final NdArray yArr;
    final NdArray gW1 = NdArray.zeros(DType.F64, hidden, in);
    final NdArray gb1 = NdArray.zeros(DType.F64, hidden);
    final NdArray gW2 = NdArray.zeros(DType.F64, out, hidden);
    final NdArray gb2 = NdArray.zeros(DType.F64, out);
    final NdArray gx;
    boolean forwarded;

    Run(int b) {
      this.b = b;
      xArr = NdArray.zeros(DType.F64, b, in);
      dArr = NdArray.zeros(DType.F64, b, out);
      yArr = NdArray.zeros(DType.F64, b, out);
      gx = NdArray.zeros(DType.F64, b, in);
      x = xArr.doubles();
      d = dArr.doubles();
      y = yArr.doubles();
      y1 = new double[b * hidden];
      z2 = new double[b * out];
      ls = new double[b * out];
      dz2 = new double[b * out];
      dy1 = new double[b * hidden];
    }

    @Override
    public Model model() {
      return TinyMlp.this;
    }

    @Override
    public int batchSize() {
      return b;
    }

    @Override
    public NdArray input(String name) {
      return switch (name) {
        case "x" -> xArr;
        case "d" -> dArr;
        default -> throw new IllegalArgumentException("no input '" + name + "'");
      };
    }

    @Override
    public double forward() {
      Gemm.abT(b, hidden, in, x, 0, w1.doubles(), 0, y1, 0, false);
      for (int t = 0; t < b; t++) {
        for (int j = 0; j < hidden; j++) {
          y1[t * hidden + j] = Math.tanh(y1[t * hidden + j] + b1.doubles()[j]);
        }
      }
      Gemm.abT(b, out, hidden, y1, 0, w2.doubles(), 0, z2, 0, false);
      for (int t = 0; t < b; t++) {
        for (int j = 0; j < out; j++) {
          z2[t * out + j] += b2.doubles()[j];
        }
      }
      double sum = 0;
      if (loss == Loss.CE) {
        Softmax.logSoftmax(b, out, z2, 0, ls, 0);
        Softmax.softmax(b, out, z2, 0, y, 0);
        for (int i = 0; i < b * out; i++) {
          sum -= d[i] * ls[i];
        }
      } else {
        System.arraycopy(z2, 0, y, 0, b * out);
        for (int i = 0; i < b * out; i++) {
          sum += 0.5 * (z2[i] - d[i]) * (z2[i] - d[i]);
        }
      }
      double[] w = w1.doubles();
      double norm = 0;
      for (double v : w) {
        norm += v * v;
      }
      forwarded = true;
      return sum / b + lambda * norm;
    }

    @Override
    public NdArray output(String name) {
      if (!name.equals("Y")) {
        throw new IllegalArgumentException("no output '" + name + "'");
      }
      return yArr;
    }

    @Override
    public void backward() {
      if (!forwarded) {
        throw new IllegalStateException("backward before forward");
      }
      for (int t = 0; t < b; t++) {
        double dsum = 0;
        for (int j = 0; j < out; j++) {
          dsum += d[t * out + j];
        }
        for (int j = 0; j < out; j++) {
          int i = t * out + j;
          double g = loss == Loss.CE ? y[i] * dsum - d[i] : z2[i] - d[i];
          dz2[i] = g / b;
        }
      }
      Gemm.aTb(out, hidden, b, dz2, 0, y1, 0, gW2.doubles(), 0, false);
      columnSums(b, out, dz2, gb2.doubles());
      Gemm.ab(b, hidden, out, dz2, 0, w2.doubles(), 0, dy1, 0, false);
      for (int i = 0; i < b * hidden; i++) {
        dy1[i] *= 1 - y1[i] * y1[i];
      }
      Gemm.aTb(hidden, in, b, dy1, 0, x, 0, gW1.doubles(), 0, false);
      double[] g = gW1.doubles();
      double[] w = w1.doubles();
      double decay = 2 * lambda * (bug ? 1.01 : 1.0);
      for (int i = 0; i < g.length; i++) {
        g[i] += decay * w[i];
      }
      columnSums(b, hidden, dy1, gb1.doubles());
      Gemm.ab(b, in, hidden, dy1, 0, w1.doubles(), 0, gx.doubles(), 0, false);
    }

    /** {@code sums[j] = sum_r x[r, j]} over a row-major {@code [rows, n]} block. */
    private static void columnSums(int rows, int n, double[] x, double[] sums) {
      java.util.Arrays.fill(sums, 0, n, 0.0);
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < n; j++) {
          sums[j] += x[r * n + j];
        }
      }
    }

    @Override
    public NdArray gradient(String name) {
      return switch (name) {
        case "W1" -> gW1;
        case "b1" -> gb1;
        case "W2" -> gW2;
        case "b2" -> gb2;
        case "x" -> gx;
        default -> throw new IllegalArgumentException("no gradient '" + name + "'");
      };
    }
  }
}
