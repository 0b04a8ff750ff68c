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
 * <p>The whole round trip, from a CSV file to a prediction for one new row (this is
 * {@code dev.nabla.samples.plugin.TrainIris} in the repository's {@code samples/plugin}, built and
 * run by its tests):
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
 */
package dev.nabla.runtime.train;
