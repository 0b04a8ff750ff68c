/**
 * The numeric kernels generated code calls from its loops, on flat arrays with offsets:
 * matrix products ({@link dev.nabla.runtime.kernels.Gemm}), row softmax and log-softmax
 * ({@link dev.nabla.runtime.kernels.Softmax}), transcendental activations over blocks
 * ({@link dev.nabla.runtime.kernels.Activations}), elementwise functions for fused loops
 * ({@link dev.nabla.runtime.kernels.Scalars}), and the batch splitter
 * ({@link dev.nabla.runtime.kernels.BatchLoops}) over the shared thread pool.
 *
 * <p>The public classes check their arguments and delegate to one implementation of each kernel
 * interface ({@code GemmKernels}, {@code SoftmaxKernels}, {@code ActivationKernels}): the scalar
 * Java loops, or the SIMD ones on the incubating Vector API ({@code VectorGemm},
 * {@code VectorSoftmax}, {@code VectorActivations}). {@code KernelSelection} is the one place
 * that picks them, all together, at first use.
 */
package dev.nabla.runtime.kernels;
