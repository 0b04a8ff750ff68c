package dev.nabla.samples.plugin;

import dev.nabla.runtime.data.Data;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Splits;
import dev.nabla.runtime.data.Standardizer;
import dev.nabla.runtime.train.Optimizer;
import dev.nabla.runtime.train.Predictor;
import dev.nabla.runtime.train.TrainResult;
import dev.nabla.runtime.train.Training;
import java.nio.file.Path;

/**
 * Trains the iris model ({@code samples/models/iris.nn}, generated into {@link Iris} by
 * nabla-maven-plugin) from Java: reads the CSV, holds out a test part, standardises, trains with
 * Adam, saves the params, loads them into a fresh model and predicts one flower. The body of
 * {@link #run} is the example of the runtime's package overview ({@code dev.nabla.runtime}),
 * word for word (a test keeps them equal).
 *
 * <pre>
 * java -cp samples/plugin/target/classes:runtime/target/classes dev.nabla.samples.plugin.TrainIris samples/data/iris.csv out/iris.npz
 * </pre>
 */
public final class TrainIris {
  private TrainIris() {}

  public static void main(String[] args) {
    Path csv = Path.of(args.length > 0 ? args[0] : "samples/data/iris.csv");
    Path params = Path.of(args.length > 1 ? args[1] : "iris.npz");
    run(csv, params);
  }

  /** Trains, saves, reloads and predicts; returns the test accuracy. */
  static double run(Path csv, Path params) {
    // example: start
    Iris model = new Iris();                                   // generated from iris.nn
    Dataset all = Data.read(csv, model);                       // 4 features, then a label 0..2
    Splits.Split parts = Data.split(all, 0.2, 1);              // 20% held out, seed 1
    Standardizer scale = Data.standardize(parts.train(), parts.test());

    TrainResult result = Training.of(model)
        .data(parts.train())
        .testData(parts.test())
        .optimizer(Optimizer.Kind.ADAM).learningRate(0.01)
        .epochs(100)
        .batch(16)
        .seed(1)
        .onEpoch(e -> {
          if (e.epoch() % 20 == 0) {
            System.out.printf("epoch %d: loss %.4f, test accuracy %.4f%n", e.epoch(), e.trainLoss(), e.testMetric());
          }
        })
        .fit();
    System.out.printf("test accuracy %.4f%n", result.finalScore().metric());
    model.saveParams(params);

    Iris trained = new Iris();
    trained.loadParams(params);
    Dataset flower = Data.of(trained, new double[][] {{6.3, 3.3, 6.0, 2.5}});
    scale.apply(flower);                                       // as the training data was
    int[] species = new Predictor(trained).classes(flower);
    System.out.println("species " + species[0]);               // 2: virginica
    // example: end
    return result.finalScore().metric();
  }
}
