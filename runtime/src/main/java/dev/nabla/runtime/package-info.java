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
 * <p><b>Using a model from Java.</b> A model file {@code iris.nn} becomes a class {@code Iris}
 * (through nabla-maven-plugin or the annotation processor; see docs/getting-started.md) that
 * implements {@link dev.nabla.runtime.Model}. Three classes do the rest:
 * {@link dev.nabla.runtime.data.Data} reads data for it (CSV, IDX, Java arrays), splits and
 * standardises; {@link dev.nabla.runtime.train.Training} trains it (fluent: data, optimizer,
 * epochs, batch, seed, callbacks, then {@code fit()}, which returns the history);
 * {@link dev.nabla.runtime.train.Predictor} computes outputs, classes and measures. Params are
 * saved and loaded with {@link dev.nabla.runtime.Model#saveParams} and
 * {@link dev.nabla.runtime.Model#loadParams(java.nio.file.Path)} ({@code .npz}, readable by
 * NumPy).
 *
 * <p>The whole round trip, from a CSV file ({@code Path csv}) to saved params ({@code Path
 * params}) and a prediction for one new row, with the classes of {@link dev.nabla.runtime.data}
 * and {@link dev.nabla.runtime.train} imported. This is the body of
 * {@code dev.nabla.samples.plugin.TrainIris} in the repository's {@code samples/plugin}, which its
 * tests build and run:
 *
 * <pre>{@code
 * Iris model = new Iris();                                   // generated from iris.nn
 * Dataset all = Data.read(csv, model);                       // 4 features, then a label 0..2
 * Splits.Split parts = Data.split(all, 0.2, 1);              // 20% held out, seed 1
 * Standardizer scale = Data.standardize(parts.train(), parts.test());
 *
 * TrainResult result = Training.of(model)
 *     .data(parts.train())
 *     .testData(parts.test())
 *     .optimizer(Optimizer.Kind.ADAM).learningRate(0.01)
 *     .epochs(100)
 *     .batch(16)
 *     .seed(1)
 *     .onEpoch(e -> {
 *       if (e.epoch() % 20 == 0) {
 *         System.out.printf("epoch %d: loss %.4f, test accuracy %.4f%n", e.epoch(), e.trainLoss(), e.testMetric());
 *       }
 *     })
 *     .fit();
 * System.out.printf("test accuracy %.4f%n", result.finalScore().metric());
 * model.saveParams(params);
 *
 * Iris trained = new Iris();
 * trained.loadParams(params);
 * Dataset flower = Data.of(trained, new double[][] {{6.3, 3.3, 6.0, 2.5}});
 * scale.apply(flower);                                       // as the training data was
 * int[] species = new Predictor(trained).classes(flower);
 * System.out.println("species " + species[0]);               // 2: virginica
 * }</pre>
 *
 * <p>The other packages, each with one concern:
 * <ul>
 *   <li>{@link dev.nabla.runtime.kernels}: the numeric kernels the generated loops call
 *       (matrix products, softmax rows, activations, elementwise scalars) and the thread pool
 *       that splits batches; scalar and SIMD implementations, picked in one place;</li>
 *   <li>{@link dev.nabla.runtime.io}: NumPy {@code .npy}/{@code .npz} files and atomic file
 *       writes;</li>
 *   <li>{@link dev.nabla.runtime.data}: data sets for a model ({@code Data}: CSV, IDX, Java
 *       arrays), splitting, standardisation;</li>
 *   <li>{@link dev.nabla.runtime.train}: training ({@code Training}), prediction
 *       ({@code Predictor}), the optimizers, the training loop and its measures.</li>
 * </ul>
 */
package dev.nabla.runtime;
