package dev.nabla.runtime.kernels;

/**
 * The one place that picks the kernel implementations: the matrix products' ({@link GemmKernels}),
 * the softmax rows' ({@link SoftmaxKernels}) and the activations' ({@link ActivationKernels}),
 * all together (all SIMD or all scalar), once, when a kernel is first used. The way Lucene picks
 * its vectorization provider: SIMD ({@code VectorGemm}, {@code VectorSoftmax},
 * {@code VectorActivations}) when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} and {@code -Dnabla.simd=false} is not set, the
 * scalar Java loops otherwise. The SIMD classes are loaded by name, so the runtime still works
 * without the incubator module.
 *
 * <p>Which kernels, and why not SIMD, is {@link Gemm#kernels()}, also logged once through
 * {@link System.Logger} (logger {@code dev.nabla.runtime}: the scalar fallback at INFO, as it says
 * how to get SIMD, the SIMD kernels at DEBUG), so the application's logging configuration decides
 * whether it is shown; the runtime itself never writes to standard error.
 */
final class KernelSelection {
  /** The kernels in use, and why not SIMD (null when SIMD). */
  record Chosen(GemmKernels gemm, SoftmaxKernels softmax, ActivationKernels activations, String whyNotSimd) {
    /** {@code "scalar Java kernels (-Dnabla.simd=false)"}, {@code "SIMD kernels (...)"}. */
    String line() {
      return gemm.description() + (whyNotSimd == null ? "" : " (" + whyNotSimd + ")");
    }
  }

  static final Chosen CHOSEN = choose();

  private KernelSelection() {}

  static Chosen choose() {
    Chosen chosen = new Chosen(new GemmKernels.Scalar(), new SoftmaxKernels.Scalar(), new ActivationKernels.Scalar(), null);
    String why = "start java with --add-modules jdk.incubator.vector for SIMD";
    if (!"false".equals(System.getProperty("nabla.simd"))
        && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      try {
        chosen = new Chosen(
            (GemmKernels) load("VectorGemm"),
            (SoftmaxKernels) load("VectorSoftmax"),
            (ActivationKernels) load("VectorActivations"),
            null);
        why = null;
      } catch (ReflectiveOperationException | LinkageError e) {
        why = "the Vector API did not load: " + e;
      }
    } else if ("false".equals(System.getProperty("nabla.simd"))) {
      why = "-Dnabla.simd=false";
    }
    chosen = new Chosen(chosen.gemm(), chosen.softmax(), chosen.activations(), why);
    System.getLogger("dev.nabla.runtime").log(why == null ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
        "nabla: using " + chosen.line());
    return chosen;
  }

  /** A new instance of a SIMD class of this package, by name so that nothing else links it. */
  private static Object load(String simpleName) throws ReflectiveOperationException {
    String name = KernelSelection.class.getPackageName() + "." + simpleName;
    return Class.forName(name).getDeclaredConstructor().newInstance();
  }
}
