package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.runtime.data.Data;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Splits;
import dev.nabla.runtime.train.TrainResult;
import dev.nabla.runtime.train.Training;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The convolutional sample (models/lenet.nn: two conv2d + maxpool2d stages on [1, 8, 8] images)
 * learns the digits. Trained on the float classes the processor generated, as
 * {@code nabla train samples/models/lenet.nn --data samples/data/digits.csv.gz --lr 0.003 --epochs 30}
 * trains it (that command reports 0.9944, 357 of 359), it classifies at least 98.5% of the
 * held-out 20% correctly (354); the margin below the command's figure is three images.
 */
class LeNetDigitsTest {
  @Test
  void convolutionsClassifyTheHeldOutDigits() {
    LeNet model = new LeNet();
    Dataset all = Data.read(Path.of("data", "digits.csv.gz"), model);
    Splits.Split parts = Data.split(all, 0.2, 1);
    TrainResult r = Training.of(model).data(parts.train()).testData(parts.test()).learningRate(0.003).epochs(30).fit();
    assertEquals(359, r.finalScore().rows());
    assertTrue(r.finalScore().metric() >= 0.985, () -> "test accuracy " + r.finalScore().metric());
  }
}
