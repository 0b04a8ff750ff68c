/**
 * The runtime's entry point, what generated models and their users program against: a compiled
 * {@link dev.nabla.runtime.Model} (declared tensors as {@link dev.nabla.runtime.TensorSpec}s,
 * params, hyperparameters, params files) and its batch runs ({@link dev.nabla.runtime.ModelRun}),
 * arrays ({@link dev.nabla.runtime.NdArray}, {@link dev.nabla.runtime.DType},
 * {@link dev.nabla.runtime.Shapes}), seeded initialisation ({@link dev.nabla.runtime.Init},
 * {@link dev.nabla.runtime.Rng}), the finite-difference
 * {@link dev.nabla.runtime.GradientCheck}, {@link dev.nabla.runtime.NablaDataException}
 * for unusable data, and {@link dev.nabla.runtime.HeapLimits}, the checks before large
 * allocations (params, batch buffers, arrays in files) that refuse with a
 * {@link dev.nabla.runtime.MemoryLimitException} instead of running out of memory.
 *
 * <p>The other packages, each with one concern:
 * <ul>
 *   <li>{@link dev.nabla.runtime.kernels}: the numeric kernels the generated loops call
 *       (matrix products, softmax rows, activations, elementwise scalars) and the thread pool
 *       that splits batches; scalar and SIMD implementations, picked in one place;</li>
 *   <li>{@link dev.nabla.runtime.io}: NumPy {@code .npy}/{@code .npz} files and atomic file
 *       writes;</li>
 *   <li>{@link dev.nabla.runtime.data}: reading data sets (CSV, IDX), splitting,
 *       standardisation;</li>
 *   <li>{@link dev.nabla.runtime.train}: optimizers and the training loop.</li>
 * </ul>
 */
package dev.nabla.runtime;
