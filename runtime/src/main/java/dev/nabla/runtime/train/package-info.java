/**
 * Training and using compiled models from Java.
 *
 * <p>A model file {@code iris.nn} becomes a class {@code Iris} (through nabla-maven-plugin or the
 * annotation processor, see docs/getting-started.md) that implements
 * {@link dev.nabla.runtime.Model}. This package trains any such model:
 * <ul>
 *   <li>{@link dev.nabla.runtime.train.Training}: configure (data, optimizer, epochs, batch,
 *       seed, callbacks), then {@code fit()}, which returns the history
 *       ({@link dev.nabla.runtime.train.TrainResult}, one
 *       {@link dev.nabla.runtime.train.EpochStats} per epoch);</li>
 *   <li>{@link dev.nabla.runtime.train.Predictor}: outputs, predicted classes and measures
 *       ({@link dev.nabla.runtime.train.Score}: loss, accuracy or R²) of the current params;</li>
 *   <li>underneath: the update rules ({@link dev.nabla.runtime.train.Optimizer}: SGD, momentum,
 *       Adam, clipping by global norm), the epoch loop ({@link dev.nabla.runtime.train.Trainer})
 *       and the measures ({@link dev.nabla.runtime.train.Scorer}).</li>
 * </ul>
 * Data comes from {@link dev.nabla.runtime.data.Data} (CSV, IDX, Java arrays; splitting,
 * standardising); params are saved and loaded with {@link dev.nabla.runtime.Model#saveParams}
 * and {@link dev.nabla.runtime.Model#loadParams(java.nio.file.Path)} ({@code .npz}, readable by
 * NumPy).
 *
 * <p>The package overview of {@link dev.nabla.runtime} has an example of the whole round trip.
 */
package dev.nabla.runtime.train;
