package dev.nabla.runtime.kernels;

/**
 * The one place that picks the kernel implementations: the matrix products' ({@link GemmKernels}),
 * the softmax rows' ({@link SoftmaxKernels}) and the activations' ({@link ActivationKernels}),
 * all together (all SIMD or all scalar), once, when a kernel is first used. The way Lucene picks
 * its vectorization provider: SIMD ({@code VectorGemm}, {@code VectorSoftmax},
 * {@code VectorActivations}) when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} and {@code -Dnabla.simd=false} is not set, the
 * scalar Java loops otherwise. One line on standard error says which (unless
 * {@code -Dnabla.quiet=true}). The SIMD classes are loaded by name, so the runtime still works
 * without the incubator module.
 */
final class KernelSelection {
  /** The kernels in use. */
  record Chosen(GemmKernels gemm, SoftmaxKernels softmax, ActivationKernels activations) {}

  static final Chosen CHOSEN = choose();

  private KernelSelection() {}

  static Chosen choose() {
    Chosen chosen = new Chosen(new GemmKernels.Scalar(), new SoftmaxKernels.Scalar(), new ActivationKernels.Scalar());
    String why = "start java with --add-modules jdk.incubator.vector for SIMD";
    if (!"false".equals(System.getProperty("nabla.simd"))
        && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      try {
        chosen = new Chosen(
            (GemmKernels) load("VectorGemm"),
            (SoftmaxKernels) load("VectorSoftmax"),
            (ActivationKernels) load("VectorActivations"));
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

  /** A new instance of a SIMD class of this package, by name so that nothing else links it. */
  private static Object load(String simpleName) throws ReflectiveOperationException {
    String name = KernelSelection.class.getPackageName() + "." + simpleName;
    return Class.forName(name).getDeclaredConstructor().newInstance();
  }
}
