package dev.nabla.runtime;

/**
 * One implementation of the matrix-product kernels behind {@link Gemm}: the scalar Java loops,
 * or the SIMD ones on the incubating Vector API. {@link #ACTIVE} is chosen once, when the class
 * is first used, the way Lucene picks its vectorization provider: SIMD when the JVM was started
 * with {@code --add-modules jdk.incubator.vector} (and {@code -Dnabla.simd=false} is not set),
 * scalar otherwise. The softmax rows' kernels ({@link SoftmaxKernels}) and the activations'
 * ({@link ActivationKernels}) are picked with them, the same way, and one line on standard error
 * says which (for all three).
 *
 * <p>Element-wise contract of {@link #gemm}: {@code C[i,j] (=|+=) sum_{p<k} A(i,p) B(p,j)} with
 * {@code A(i,p) = a[aOff + i*ars + p*acs]}, {@code B(p,j) = b[bOff + p*brs + j*bcs]} and
 * {@code C[i,j] = c[cOff + i*n + j]}. Arguments are already checked.
 */
interface GemmKernels {
  GemmKernels ACTIVE = Selection.CHOSEN.gemm();

  /** A short description for the log line and {@code nabla bench}. */
  String description();

  void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs,
      float[] b, int bOff, int brs, int bcs, float[] c, int cOff, boolean accumulate);

  void gemm(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int brs, int bcs, double[] c, int cOff, boolean accumulate);

  /** The plain-Java kernels ({@link GemmF32}, {@link GemmF64}). */
  final class Scalar implements GemmKernels {
    @Override
    public String description() {
      return "scalar Java kernels";
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs,
        float[] b, int bOff, int brs, int bcs, float[] c, int cOff, boolean accumulate) {
      GemmF32.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate);
    }

    @Override
    public void gemm(int m, int n, int k, double[] a, int aOff, int ars, int acs,
        double[] b, int bOff, int brs, int bcs, double[] c, int cOff, boolean accumulate) {
      GemmF64.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, accumulate);
    }
  }

  /**
   * Picks the implementations once, the products', the softmax rows' and the activations'
   * together (all SIMD or all scalar), and says which in one line.
   */
  final class Selection {
    /** The kernels in use. */
    record Chosen(GemmKernels gemm, SoftmaxKernels softmax, ActivationKernels activations) {}

    static final Chosen CHOSEN = choose();

    private Selection() {}

    static Chosen choose() {
      Chosen chosen = new Chosen(new Scalar(), new SoftmaxKernels.Scalar(), new ActivationKernels.Scalar());
      String why = "start java with --add-modules jdk.incubator.vector for SIMD";
      if (!"false".equals(System.getProperty("nabla.simd"))
          && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
        try {
          chosen = new Chosen(
              (GemmKernels) Class.forName("dev.nabla.runtime.VectorGemm").getDeclaredConstructor().newInstance(),
              (SoftmaxKernels) Class.forName("dev.nabla.runtime.VectorSoftmax").getDeclaredConstructor().newInstance(),
              (ActivationKernels) Class.forName("dev.nabla.runtime.VectorActivations").getDeclaredConstructor().newInstance());
          why = null;
        } catch (ReflectiveOperationException | LinkageError e) {
          why = "the Vector API did not load: " + e;
        }
      } else if ("false".equals(System.getProperty("nabla.simd"))) {
        why = "-Dnabla.simd=false";
      }
      if (!"true".equals(System.getProperty("nabla.quiet"))) {
        System.err.println("nabla: using " + chosen.gemm().description() + (why == null ? "" : " (" + why + ")"));
      }
      return chosen;
    }
  }
}
